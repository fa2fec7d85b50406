package io.wimse4j.x509.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * DNS names for WIC subjectAltNames (WIC-3): lower-case letters, digits and hyphens in labels of 1..63
 * characters (no leading or trailing hyphen), at most 253 characters, no trailing dot, no wildcard, and
 * a last label that is not all digits (so an IPv4 address is never taken for a name).
 */
public final class DnsNames {
    private DnsNames() {
    }

    /** {@code names} validated, in order, without duplicates (a duplicate is refused). */
    public static List<String> validate(List<String> names) throws WimseException {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String n : names) {
            check(n);
            if (!out.add(n)) {
                throw new WimseException(Reason.INVALID_CLAIM, "DNS name " + n + " appears twice");
            }
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** Refuses {@code name} unless it is a DNS name as described above. */
    public static void check(String name) throws WimseException {
        if (name == null || name.isEmpty() || name.length() > 253) {
            throw invalid(name, "must have 1..253 characters");
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                throw invalid(name, "has an empty label or one longer than 63 characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw invalid(name, "has a label starting or ending with '-'");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    throw invalid(name, "may hold only lower-case letters, digits, '-' and '.'");
                }
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid(name, "ends in an all-digit label (an IP address is not a DNS name)");
        }
    }

    private static WimseException invalid(String name, String why) {
        String shown = name == null ? "null" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return new WimseException(Reason.INVALID_CLAIM, "DNS name " + shown + " " + why);
    }
}
