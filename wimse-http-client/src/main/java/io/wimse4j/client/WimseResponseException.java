package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.io.IOException;
import java.util.Objects;

/**
 * A response was refused: its HTTP Message Signature did not verify, it was unsigned though the
 * request asked for a signature, or it answered another request (HS-6). Thrown by
 * {@link SigningHttpClient#send} and delivered as the failure of {@link SigningHttpClient#sendAsync};
 * the response body never reaches the caller's body handler. The message never contains a token,
 * key or signature.
 */
public final class WimseResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final int statusCode;

    /** Wraps {@code cause}, keeping its {@link Reason}, for a response with {@code statusCode}. */
    public WimseResponseException(WimseException cause, int statusCode) {
        super("response refused (status " + statusCode + "): " + Objects.requireNonNull(cause, "cause").getMessage(), cause);
        this.reason = cause.reason();
        this.statusCode = statusCode;
    }

    /** Why the response was refused. */
    public Reason reason() {
        return reason;
    }

    /** The status code of the refused response. */
    public int statusCode() {
        return statusCode;
    }
}
