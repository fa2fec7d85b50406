package io.wimse4j.core.id;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A workload identifier (ID-1): {@code wimse://<trust-domain>/<path>} (draft-ietf-wimse-identifier-03)
 * or {@code spiffe://<trust-domain>[/<path>]} (the SPIFFE ID). The path means something only inside
 * its trust domain (ID-2), so identifiers compare as whole strings, never by prefix.
 *
 * <p>{@link #parse(String)} accepts the canonical form only and never normalizes or repairs (ID3-2):
 * an identifier in another case, with percent-encoding, a doubled or trailing slash or a dot segment
 * is refused with {@link Reason#INVALID_IDENTIFIER}, not fixed, so the identifier kept is the exact
 * string received and equality of two identifiers (record equality) is equality of their strings,
 * byte for byte. Verifiers parse an identifier before they use it for anything: issuer selection,
 * trust lookup, authorization, caching, audit (ID3-2). The rules:
 * <ul>
 *   <li>ID3-1: an absolute URI with a non-empty authority, the trust domain; no userinfo, port,
 *       query or fragment; at most {@value #MAX_BYTES} bytes (2048 accepted, 2049 refused).</li>
 *   <li>ID3-3, {@code wimse}: the literal lower-case prefix {@code wimse://}; a trust domain of
 *       {@code [a-z0-9._-]} ({@link TrustDomain}), without percent-encoding, not ending with a dot.
 *       wimse4j also refuses an empty label ({@code .a}, {@code a..b}): such a name is no DNS name,
 *       and a trust domain is meant to be one.</li>
 *   <li>ID3-4, {@code wimse}: a path of at least one segment ({@code wimse://example.com} and
 *       {@code wimse://example.com/} are refused); segments of the URI unreserved characters
 *       {@code A-Z a-z 0-9 - . _ ~} only, case-sensitive; no empty, {@code .} or {@code ..} segment,
 *       no percent-encoding, no repeated or trailing slash.</li>
 *   <li>ID3-5: the trust domain is not an IP address, unless the identifier is read with
 *       {@link IdentifierSyntax#LEGACY_IP_TRUST_DOMAINS} (an explicit opt-in, for canonical IPv4
 *       addresses only); an IPv6 literal ({@code [::1]}) is always refused.</li>
 *   <li>ID3-6, {@code spiffe}: the SPIFFE ID rules: the literal lower-case prefix {@code spiffe://};
 *       a trust domain of {@code [a-z0-9._-]}; an empty path (a trust domain's own ID) or segments of
 *       {@code [A-Za-z0-9._-]}, none empty, {@code .} or {@code ..}, no trailing slash; at most
 *       {@value #MAX_BYTES} bytes. ID3-5 applies to SPIFFE IDs as well.</li>
 * </ul>
 *
 * @param scheme      {@code wimse} or {@code spiffe}
 * @param trustDomain the authority
 * @param path        the path, starting with {@code /}; empty only for a {@code spiffe} trust domain ID
 */
public record WorkloadIdentifier(String scheme, TrustDomain trustDomain, String path) {
    /** Longest identifier accepted, in bytes (ID3-1; every accepted character is one byte). */
    public static final int MAX_BYTES = 2048;
    /** The {@code wimse} URI scheme (workload-creds section 7.3, identifier-03). */
    public static final String WIMSE = "wimse";
    /** The {@code spiffe} URI scheme. */
    public static final String SPIFFE = "spiffe";

    private static final String PREFIX = "invalid workload identifier: ";

    /**
     * Re-validates the parts: every rule of {@link #parse(String)} except ID3-5's, as
     * {@link IdentifierSyntax#LEGACY_IP_TRUST_DOMAINS} reads them (a record's constructor cannot take
     * the option; identifiers read from configuration or the wire go through {@code parse}).
     *
     * @throws IllegalArgumentException when the parts are invalid
     */
    public WorkloadIdentifier {
        if (trustDomain == null || path == null) {
            throw new IllegalArgumentException("trust domain and path are required");
        }
        String problem = partsProblem(scheme, trustDomain.name(), path);
        if (problem == null && scheme.length() + 3 + trustDomain.name().length() + path.length() > MAX_BYTES) {
            problem = "longer than " + MAX_BYTES + " bytes";
        }
        if (problem != null) {
            throw new IllegalArgumentException(PREFIX + problem);
        }
    }

    /**
     * Parses and validates an identifier with {@link IdentifierSyntax#STRICT}, reporting
     * {@link Reason#INVALID_IDENTIFIER} (and which rule it breaks) on failure.
     */
    public static WorkloadIdentifier parse(String value) throws WimseException {
        return parse(value, IdentifierSyntax.STRICT);
    }

    /**
     * Parses and validates an identifier read with {@code syntax} (whether its trust domain may be an
     * IPv4 address, ID3-5), reporting {@link Reason#INVALID_IDENTIFIER} on failure.
     */
    public static WorkloadIdentifier parse(String value, IdentifierSyntax syntax) throws WimseException {
        Objects.requireNonNull(syntax, "syntax");
        if (value == null || value.isEmpty()) {
            throw invalid("empty");
        }
        // size first, before looking at the content (ID3-1)
        if (value.length() > MAX_BYTES || value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("longer than " + MAX_BYTES + " bytes (ID3-1)");
        }
        String scheme;
        if (value.startsWith(WIMSE + "://")) {
            scheme = WIMSE;
        } else if (value.startsWith(SPIFFE + "://")) {
            scheme = SPIFFE;
        } else {
            throw invalid("scheme must be 'wimse://' or 'spiffe://', exactly, in lower case (ID3-3, ID3-6)");
        }
        if (value.indexOf('?') >= 0) {
            throw invalid("a query is not allowed (ID3-1)");
        }
        if (value.indexOf('#') >= 0) {
            throw invalid("a fragment is not allowed (ID3-1)");
        }
        int authorityStart = scheme.length() + 3;
        int pathStart = value.indexOf('/', authorityStart);
        String authority = pathStart < 0 ? value.substring(authorityStart) : value.substring(authorityStart, pathStart);
        String path = pathStart < 0 ? "" : value.substring(pathStart);
        String problem = authorityProblem(authority);
        if (problem == null) {
            problem = partsProblem(scheme, authority, path);
        }
        if (problem == null) {
            String ip = TrustDomain.ipProblem(authority, syntax);
            problem = ip == null ? null : "trust domain: " + ip;
        }
        if (problem != null) {
            throw invalid(problem);
        }
        return new WorkloadIdentifier(scheme, new TrustDomain(authority), path);
    }

    /** Builds an identifier from parts, e.g. {@code of("wimse", "example.com", "/svc/a")}, as {@link #parse(String)} does. */
    public static WorkloadIdentifier of(String scheme, String trustDomain, String path) throws WimseException {
        return parse(scheme + "://" + trustDomain + path);
    }

    private static WimseException invalid(String why) {
        return new WimseException(Reason.INVALID_IDENTIFIER, PREFIX + why);
    }

    /** What a URI authority may carry and a trust domain may not (ID3-1, ID3-5); null when none of it. */
    private static String authorityProblem(String authority) {
        if (authority.isEmpty()) {
            return "the trust domain (authority) is empty (ID3-1)";
        }
        if (authority.indexOf('@') >= 0) {
            return "userinfo is not allowed in the authority (ID3-1)";
        }
        if (authority.startsWith("[")) {
            return "an IP address is not allowed as a trust domain (an IPv6 literal; ID3-5)";
        }
        if (authority.indexOf(':') >= 0) {
            return "a port is not allowed in the authority (ID3-1)";
        }
        return null;
    }

    /** Scheme, trust domain syntax and path (all but ID3-5's IP check); null when they are valid. */
    private static String partsProblem(String scheme, String trustDomain, String path) {
        boolean wimse = WIMSE.equals(scheme);
        if (!wimse && !SPIFFE.equals(scheme)) {
            return "scheme must be 'wimse' or 'spiffe'";
        }
        String td = TrustDomain.syntaxProblem(trustDomain);
        if (td == null && wimse) {
            td = TrustDomain.wimseProblem(trustDomain);
        }
        if (td != null) {
            return "trust domain: " + td;
        }
        return wimse ? wimsePathProblem(path) : spiffePathProblem(path);
    }

    /** ID3-4. */
    private static String wimsePathProblem(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return "a wimse identifier needs a path of at least one non-empty segment (ID3-4)";
        }
        return segmentsProblem(path, true, "(ID3-4)");
    }

    /** ID3-6: the SPIFFE ID path; empty is a trust domain's own ID. */
    private static String spiffePathProblem(String path) {
        return path.isEmpty() ? null : segmentsProblem(path, false, "(ID3-6)");
    }

    /** The segments of a non-empty {@code path}: {@code ~} is allowed in a {@code wimse} path only. */
    private static String segmentsProblem(String path, boolean wimse, String rule) {
        if (path.charAt(0) != '/') {
            return "the path must start with '/' " + rule;
        }
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                String segment = path.substring(segmentStart, i);
                if (segment.isEmpty()) {
                    return i == path.length() ? "a trailing '/' is not allowed " + rule
                            : "an empty path segment (repeated '/') is not allowed " + rule;
                }
                if (segment.equals(".") || segment.equals("..")) {
                    return "dot segments ('.', '..') are not allowed " + rule;
                }
                segmentStart = i + 1;
                continue;
            }
            char c = path.charAt(i);
            if (c == '%') {
                return "percent-encoding is not allowed in the path " + rule;
            }
            if (!isSpiffePathChar(c) && !(wimse && c == '~')) {
                return "character '" + TrustDomain.printable(c) + "' is not allowed in a " + (wimse
                        ? "wimse path (unreserved characters only: A-Z a-z 0-9 - . _ ~) "
                        : "SPIFFE path (letters, digits, '.', '-', '_') ") + rule;
            }
        }
        return null;
    }

    private static boolean isSpiffePathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_';
    }

    /** The identifier as a URI string, exactly as parsed, e.g. {@code wimse://example.com/svc/a}. */
    public String value() {
        return scheme + "://" + trustDomain.name() + path;
    }

    /** True when this identifier belongs to {@code domain} (ID-2: scope paths by trust domain). */
    public boolean isMemberOf(TrustDomain domain) {
        return trustDomain.equals(domain);
    }

    @Override
    public String toString() {
        return value();
    }
}
