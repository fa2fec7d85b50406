package io.wimse4j.core.id;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

/**
 * A trust domain: the authority of a workload identifier (ID-1), tied out of band to the trust
 * anchors of its authorized issuer (ID-3). Names are lower-case DNS-like labels of
 * {@code [a-z0-9._-]}, compared exactly.
 *
 * @param name the trust domain name, e.g. {@code example.com}
 */
public record TrustDomain(String name) {
    /** Longest trust domain name accepted (a DNS name is at most 255 octets). */
    public static final int MAX_LENGTH = 255;

    /** Validates the name; throws {@link IllegalArgumentException} for an invalid one. */
    public TrustDomain {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid trust domain: " + problem);
        }
    }

    /** Parses a trust domain name, reporting {@link Reason#INVALID_IDENTIFIER} on failure. */
    public static TrustDomain parse(String name) throws WimseException {
        String problem = problem(name);
        if (problem != null) {
            throw new WimseException(Reason.INVALID_IDENTIFIER, "invalid trust domain: " + problem);
        }
        return new TrustDomain(name);
    }

    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return "character '" + printable(c) + "' at index " + i
                        + " is not allowed (lower-case letters, digits, '.', '-', '_')";
            }
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
