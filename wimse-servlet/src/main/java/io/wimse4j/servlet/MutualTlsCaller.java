package io.wimse4j.servlet;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import jakarta.servlet.http.HttpServletRequest;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The caller of a mutual-TLS request: the client certificate chain the container read from the
 * handshake (request attribute {@value #CERTIFICATE_ATTRIBUTE}), validated as a client's Workload
 * Identity Certificate (WIC-4, MT-1, MT-3); never a header (MT-6).
 */
final class MutualTlsCaller {
    /** Where a Servlet container puts the client's certificate chain (Servlet specification, 3.10). */
    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final WicValidator validator;

    MutualTlsCaller(WicValidator validator) {
        this.validator = validator;
    }

    VerifiedWic caller(HttpServletRequest request) throws WimseException {
        Object attribute = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        // no chain is the validator's refusal too, so an observer counts it (MT-2)
        List<X509Certificate> chain = attribute instanceof X509Certificate[] certs ? List.of(certs) : List.of();
        return validator.validate(chain);
    }

    /** {@code tokens}, when its WIT names the certificate's workload (defence in depth: one workload presents both). */
    static VerifiedCaller sameWorkload(VerifiedWic peer, VerifiedCaller tokens) throws WimseException {
        if (!tokens.workload().equals(peer.identifier())) {
            throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "the WIT names " + tokens.workload()
                    + ", the client certificate " + peer.identifier() + ": one workload must present both");
        }
        return tokens;
    }
}
