package io.wimse4j.core.id;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.util.Objects;

/**
 * A trust domain: the authority of a workload identifier (ID-1), tied out of band to the trust
 * anchors of its authorized issuer (ID-3). Names are compared exactly, byte for byte (ID3-2): a name
 * is never lower-cased, trimmed or otherwise repaired, so {@code Example.com} is refused, not read as
 * {@code example.com}.
 *
 * <p>A name is 1 to {@value #MAX_LENGTH} characters of {@code [a-z0-9._-]}, without percent-encoding
 * (ID3-3, and the SPIFFE trust-domain rules, ID3-6), and not an IP address (ID3-5): see
 * {@link IdentifierSyntax#STRICT} for what counts as one and
 * {@link IdentifierSyntax#LEGACY_IP_TRUST_DOMAINS} for the explicit opt-in. The {@code wimse} scheme
 * adds rules of its own (no trailing dot, no empty label), which {@link WorkloadIdentifier} checks:
 * a SPIFFE trust domain may end with a dot, a {@code wimse} one may not, so a trust domain read
 * from configuration ({@link #parse(String)}) is not refused for them.
 *
 * <p>Read names from configuration or the wire with {@link #parse(String)} or
 * {@link #parse(String, IdentifierSyntax)}. The canonical constructor checks the same syntax but
 * accepts the names any syntax accepts, a canonical IPv4 address included (a record's constructor
 * cannot take the option): it is for names the program itself spells out.
 *
 * @param name the trust domain name, e.g. {@code example.com}
 */
public record TrustDomain(String name) {
    /** Longest trust domain name accepted (a URI host, and so a SPIFFE trust domain, is at most 255 octets). */
    public static final int MAX_LENGTH = 255;

    /**
     * Checks the syntax of {@code name}: what {@link #parse(String, IdentifierSyntax)} checks with
     * {@link IdentifierSyntax#LEGACY_IP_TRUST_DOMAINS}.
     *
     * @throws IllegalArgumentException for an invalid name
     */
    public TrustDomain {
        String problem = problem(name, IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        if (problem != null) {
            throw new IllegalArgumentException("invalid trust domain: " + problem);
        }
    }

    /**
     * Parses a trust domain name with {@link IdentifierSyntax#STRICT}, reporting
     * {@link Reason#INVALID_IDENTIFIER} on failure.
     */
    public static TrustDomain parse(String name) throws WimseException {
        return parse(name, IdentifierSyntax.STRICT);
    }

    /**
     * Parses a trust domain name read with {@code syntax} (whether an IPv4 address is accepted, ID3-5),
     * reporting {@link Reason#INVALID_IDENTIFIER} on failure.
     */
    public static TrustDomain parse(String name, IdentifierSyntax syntax) throws WimseException {
        Objects.requireNonNull(syntax, "syntax");
        String problem = problem(name, syntax);
        if (problem != null) {
            throw new WimseException(Reason.INVALID_IDENTIFIER, "invalid trust domain: " + problem);
        }
        return new TrustDomain(name);
    }

    /** Why {@code name} is not a trust domain under {@code syntax}, or null when it is one. */
    static String problem(String name, IdentifierSyntax syntax) {
        String problem = syntaxProblem(name);
        return problem != null ? problem : ipProblem(name, syntax);
    }

    /** The characters and the length (ID3-3, ID3-6), or null when they are right. */
    static String syntaxProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            if (c == '%') {
                return "percent-encoding is not allowed ('%' at index " + i + "; ID3-3)";
            }
            if (!ok) {
                return "character '" + printable(c) + "' at index " + i
                        + " is not allowed (lower-case letters, digits, '.', '-', '_'; ID3-3)";
            }
        }
        return null;
    }

    /**
     * ID3-5: null when {@code name} is no IP address, or a canonical IPv4 address that {@code syntax}
     * accepts; otherwise why it is refused. Call after {@link #syntaxProblem(String)}.
     */
    static String ipProblem(String name, IdentifierSyntax syntax) {
        if (!endsInNumber(name)) {
            return null;
        }
        if (isCanonicalIpv4(name)) {
            return syntax.allowsIpv4TrustDomains() ? null : "an IP address is not allowed as a trust domain"
                    + " (ID3-5; IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS opts in to canonical IPv4 addresses)";
        }
        return "its last label is numeric, so URL parsers read it as an IP address, which is not allowed"
                + " as a trust domain (ID3-5)";
    }

    /**
     * Whether the last label (after one trailing dot) is a number as URL parsers (WHATWG's "ends in a
     * number") and {@code inet_aton} read it: decimal digits, or {@code 0x} and hexadecimal digits.
     */
    private static boolean endsInNumber(String name) {
        int end = name.endsWith(".") ? name.length() - 1 : name.length();
        int start = name.lastIndexOf('.', end - 1) + 1;
        if (end <= start) {
            return false;
        }
        String last = name.substring(start, end);
        if (last.startsWith("0x")) {
            return last.chars().skip(2).allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        }
        return last.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Four dot-separated decimal octets 0-255 without leading zeros, e.g. {@code 10.0.0.1}. */
    private static boolean isCanonicalIpv4(String name) {
        String[] octets = name.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || (o.length() > 1 && o.charAt(0) == '0')
                    || !o.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The rules the {@code wimse} scheme adds (ID3-3): no trailing dot, no empty label; null when met. */
    static String wimseProblem(String name) {
        if (name.endsWith(".")) {
            return "a wimse trust domain must not end with a dot (ID3-3)";
        }
        if (name.startsWith(".") || name.contains("..")) {
            return "a wimse trust domain must not have an empty label (a leading '.' or '..'; ID3-3)";
        }
        return null;
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    @Override
    public String toString() {
        return name;
    }
}
