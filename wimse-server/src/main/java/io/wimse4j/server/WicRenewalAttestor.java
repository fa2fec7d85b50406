package io.wimse4j.server;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicIssuer;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code wic} method (renewal over mutual TLS): the request's TLS client certificate is the
 * workload's current WIC. The handshake proved possession of its key; this attestor validates the
 * chain as a client certificate (MT-1: an RFC 5280 path to the workload CAs this server publishes now,
 * both of them while a rotation overlaps; exactly one URI SAN, in this server's trust domain, ID-3; EKU
 * {@code clientAuth}, MT-3; valid now, never an expired one, KEY-3, MT-7) and yields its URI SAN
 * (WIC-4). The evidence's issuance time is the leaf's {@code notBefore} plus the server's backdating
 * ({@link WicIssuer#DEFAULT_BACKDATE}, the clock-skew allowance the server's issuer puts before the
 * time of signing), so a WIC signed before
 * the identifier's current registration is refused. The identity is the connection's: a party that
 * forwards other workloads' requests must never reach the server with its own WIC (it would renew
 * its identity for them; the mutual-TLS draft's intermediaries consideration).
 * Refusals: {@code attestation-failed} without a client certificate (a client whose key manager chose
 * none: the server's certificate request names the workload CAs), the core {@code Reason}'s problem
 * for an invalid one.
 */
final class WicRenewalAttestor implements Attestor {
    private final WicValidator validator;

    /** An attestor trusting the workload CAs {@code cas} answers at each request, for {@code trustDomain}. */
    WicRenewalAttestor(TrustDomain trustDomain, Supplier<List<X509Certificate>> cas, Clock clock) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(cas, "cas");
        X509TrustSource own = td -> {
            if (!td.equals(trustDomain)) {
                return Optional.empty();
            }
            try {
                return Optional.of(X509TrustBundle.of(trustDomain, cas.get()));
            } catch (WimseException e) {
                return Optional.empty();
            }
        };
        this.validator = WicValidator.builder().trust(own).clock(clock).forClients().expectTrustDomain(trustDomain).build();
    }

    @Override
    public AttestationMethod method() {
        return AttestationMethod.WIC;
    }

    @Override
    public Attestation attest(AttestationRequest request) throws Problem {
        List<X509Certificate> chain = request.tlsClientChain();
        if (chain.isEmpty()) {
            throw Problem.of(Problem.Code.ATTESTATION_FAILED,
                    "method 'wic' needs the current WIC as the TLS client certificate of this request (mutual TLS)");
        }
        VerifiedWic wic;
        try {
            wic = validator.validate(chain);
        } catch (WimseException e) {
            throw Problem.of(e);
        }
        return new Attestation(method(), wic.identifier(), Optional.of(signedAt(wic)), Optional.empty());
    }

    /**
     * When the server signed the WIC: notBefore plus the server's backdating. When the issuer clamped
     * notBefore to its CA's notBefore (a WIC signed in the first minute of its CA's validity) this is
     * up to a minute late; using the clamped notBefore instead would make every such WIC unable to renew.
     */
    private static java.time.Instant signedAt(VerifiedWic wic) {
        return wic.leaf().getNotBefore().toInstant().plus(WicIssuer.DEFAULT_BACKDATE);
    }
}
