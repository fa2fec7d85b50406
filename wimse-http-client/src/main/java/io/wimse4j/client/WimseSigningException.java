package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.io.IOException;
import java.util.Objects;

/**
 * An outgoing request could not be signed (no valid credentials, expired WIT, a repeated bound
 * header, ...). Thrown by {@link SigningHttpClient#send} and delivered as the failure of
 * {@link SigningHttpClient#sendAsync}; the request was not sent. The message never contains a token
 * or key material.
 */
public final class WimseSigningException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    /** Wraps {@code cause}, keeping its {@link Reason}. */
    public WimseSigningException(WimseException cause) {
        super("request not sent, signing failed: " + Objects.requireNonNull(cause, "cause").getMessage(), cause);
        this.reason = cause.reason();
    }

    /** Why signing failed. */
    public Reason reason() {
        return reason;
    }
}
