package io.wimse4j.x509;

import java.io.IOException;

/**
 * PEM text or a PEM file that {@link Pem} refuses: not strict RFC 7468, too large, the wrong kind of
 * block, or content that does not decode (a certificate, key or request). The message says what is
 * wrong and where, never the key material.
 */
public final class PemException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A refusal described by {@code message}. */
    public PemException(String message) {
        super(message);
    }

    /** A refusal described by {@code message}, caused by {@code cause}. */
    public PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
