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
        super(Objects.requireNonNull(reason, "reason") + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
    }

    /** Creates an exception for {@code reason} with a detail and an underlying cause. */
    public WimseException(Reason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail, cause, false, false);
        this.reason = reason;
        this.detail = detail;
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
