package io.wimse4j.core.id;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.nio.charset.StandardCharsets;

/**
 * A workload identifier (ID-1): {@code wimse://<trust-domain>/<path>} or
 * {@code spiffe://<trust-domain>/<path>}. The path means something only inside its trust domain
 * (ID-2), so identifiers compare as whole strings, never by prefix.
 *
 * <p>Rules enforced by {@link #parse(String)}: at most {@value #MAX_BYTES} bytes; scheme
 * {@code wimse} or {@code spiffe} in lower case; a non-empty trust-domain authority (see
 * {@link TrustDomain}) without userinfo or port; no query, no fragment; path segments non-empty
 * and not {@code .} or {@code ..}, no trailing slash. {@code wimse} path segments may use RFC 3986
 * {@code pchar}s (with well-formed percent-encoding); {@code spiffe} path segments are limited to
 * {@code [A-Za-z0-9._-]} as the SPIFFE ID specification requires.
 *
 * @param scheme      {@code wimse} or {@code spiffe}
 * @param trustDomain the authority
 * @param path        the path, empty or starting with {@code /}
 */
public record WorkloadIdentifier(String scheme, TrustDomain trustDomain, String path) {
    /** Longest identifier accepted, in UTF-8 bytes. */
    public static final int MAX_BYTES = 2048;
    /** The {@code wimse} URI scheme (workload-creds section 7.3). */
    public static final String WIMSE = "wimse";
    /** The {@code spiffe} URI scheme. */
    public static final String SPIFFE = "spiffe";

    /** Re-validates the parts; throws {@link IllegalArgumentException} when they are invalid. */
    public WorkloadIdentifier {
        if (trustDomain == null || path == null) {
            throw new IllegalArgumentException("trust domain and path are required");
        }
        String problem = pathProblem(scheme, path);
        if (problem != null) {
            throw new IllegalArgumentException("invalid workload identifier: " + problem);
        }
    }

    /** Parses and validates an identifier, reporting {@link Reason#INVALID_IDENTIFIER} on failure. */
    public static WorkloadIdentifier parse(String value) throws WimseException {
        if (value == null || value.isEmpty()) {
            throw invalid("empty");
        }
        if (value.length() > MAX_BYTES || value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("longer than " + MAX_BYTES + " bytes");
        }
        String scheme;
        if (value.startsWith(WIMSE + "://")) {
            scheme = WIMSE;
        } else if (value.startsWith(SPIFFE + "://")) {
            scheme = SPIFFE;
        } else {
            throw invalid("scheme must be 'wimse://' or 'spiffe://' (lower case)");
        }
        int authorityStart = scheme.length() + 3;
        int pathStart = value.indexOf('/', authorityStart);
        String authority = pathStart < 0 ? value.substring(authorityStart) : value.substring(authorityStart, pathStart);
        String path = pathStart < 0 ? "" : value.substring(pathStart);
        if (value.indexOf('?') >= 0) {
            throw invalid("a query is not allowed");
        }
        if (value.indexOf('#') >= 0) {
            throw invalid("a fragment is not allowed");
        }
        if (authority.isEmpty()) {
            throw invalid("the trust domain (authority) is empty");
        }
        if (authority.indexOf('@') >= 0) {
            throw invalid("userinfo is not allowed in the authority");
        }
        if (authority.indexOf(':') >= 0) {
            throw invalid("a port is not allowed in the authority");
        }
        String tdProblem = TrustDomain.problem(authority);
        if (tdProblem != null) {
            throw invalid("trust domain: " + tdProblem);
        }
        String problem = pathProblem(scheme, path);
        if (problem != null) {
            throw invalid(problem);
        }
        return new WorkloadIdentifier(scheme, new TrustDomain(authority), path);
    }

    /** Builds an identifier from parts, e.g. {@code of("wimse", "example.com", "/svc/a")}. */
    public static WorkloadIdentifier of(String scheme, String trustDomain, String path) throws WimseException {
        return parse(scheme + "://" + trustDomain + path);
    }

    private static WimseException invalid(String why) {
        return new WimseException(Reason.INVALID_IDENTIFIER, "invalid workload identifier: " + why);
    }

    private static String pathProblem(String scheme, String path) {
        if (!WIMSE.equals(scheme) && !SPIFFE.equals(scheme)) {
            return "scheme must be 'wimse' or 'spiffe'";
        }
        if (path.isEmpty()) {
            return null;
        }
        if (path.charAt(0) != '/') {
            return "path must start with '/'";
        }
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                String segment = path.substring(segmentStart, i);
                if (segment.isEmpty()) {
                    return i == path.length() ? "trailing '/' is not allowed" : "empty path segment";
                }
                if (segment.equals(".") || segment.equals("..")) {
                    return "dot segments are not allowed";
                }
                segmentStart = i + 1;
                continue;
            }
            char c = path.charAt(i);
            if (SPIFFE.equals(scheme)) {
                if (!isSpiffePathChar(c)) {
                    return "character '" + TrustDomain.printable(c) + "' is not allowed in a SPIFFE path";
                }
            } else if (c == '%') {
                if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
                    return "malformed percent-encoding";
                }
                i += 2;
            } else if (!isPchar(c)) {
                return "character '" + TrustDomain.printable(c) + "' is not allowed in a path";
            }
        }
        return null;
    }

    private static boolean isSpiffePathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_';
    }

    private static boolean isPchar(char c) {
        return isSpiffePathChar(c) || c == '~' || "!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The identifier as a URI string, e.g. {@code wimse://example.com/svc/a}. */
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
