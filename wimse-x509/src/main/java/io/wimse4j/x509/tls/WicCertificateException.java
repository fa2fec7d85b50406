package io.wimse4j.x509.tls;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.security.cert.CertificateException;

/**
 * A peer's certificate refused in a TLS handshake, with the {@link Reason} (MT-1..MT-4): the validator's
 * ({@link Reason#INVALID_CERTIFICATE}, {@link Reason#UNKNOWN_KEY}, {@link Reason#EXPIRED}, ...) or
 * {@link Reason#PEER_NOT_AUTHORIZED} when the peer is valid but not the one expected or authorized. The
 * message never holds certificate contents beyond the peer's identifier.
 */
public final class WicCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient WimseException failure;

    WicCertificateException(WimseException failure) {
        super(failure.reason().name() + ": " + failure.detail(), failure);
        this.failure = failure;
    }

    /** Why the peer was refused. */
    public Reason reason() {
        return failure.reason();
    }

    /** The explanation, safe to log. */
    public String detail() {
        return failure.detail();
    }
}
