package io.wimse4j.core.error;

import java.util.Objects;

/**
 * The one checked exception of wimse4j: a credential, proof or request was rejected, for the
 * {@link Reason} given. The {@link #detail()} explains the failure for logs and problem details;
 * it never contains a token or key material.
 */
public final class WimseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String detail;

    /** Creates an exception for {@code reason} with a human-readable {@code detail}. */
    public WimseException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    /** Creates an exception for {@code reason} with a detail and an underlying cause. */
    public WimseException(Reason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + sanitize(detail), cause, false, false);
        this.reason = reason;
        this.detail = sanitize(detail);
    }

    /** Longest detail kept; details may quote attacker-chosen names (an {@code alg}, a header). */
    public static final int MAX_DETAIL_LENGTH = 300;

    /** Replaces control characters (log injection) and truncates to {@link #MAX_DETAIL_LENGTH}. */
    static String sanitize(String detail) {
        if (detail == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(detail.length(), MAX_DETAIL_LENGTH + 3));
        for (int i = 0; i < detail.length() && sb.length() < MAX_DETAIL_LENGTH; i++) {
            char c = detail.charAt(i);
            sb.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (detail.length() > MAX_DETAIL_LENGTH) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Why the input was rejected. */
    public Reason reason() {
        return reason;
    }

    /** A human-readable explanation; safe to log and to return in a problem-details body. */
    public String detail() {
        return detail;
    }
}
