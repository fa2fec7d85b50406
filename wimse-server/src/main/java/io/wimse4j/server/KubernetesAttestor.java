package io.wimse4j.server;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.server.attest.ServiceAccountIdentity;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.server.internal.Registration;
import io.wimse4j.server.internal.RegistrationStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code kubernetes} method: {@code attestation.token} is a projected service-account token,
 * checked by the configured {@link ServiceAccountTokenVerifier}; the registration mapped to its
 * namespace and service account gives the identifier. Refusals: {@code malformed-request} (no
 * token), {@code attestation-failed} (the method is not configured, or the token does not verify),
 * {@code unregistered-identifier} (no registration for that service account).
 */
final class KubernetesAttestor implements Attestor {
    private final Optional<ServiceAccountTokenVerifier> verifier;
    private final RegistrationStore registrations;

    /** An attestor with {@code verifier}; without one every {@code kubernetes} request is refused. */
    KubernetesAttestor(Optional<ServiceAccountTokenVerifier> verifier, RegistrationStore registrations) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
    }

    @Override
    public AttestationMethod method() {
        return AttestationMethod.KUBERNETES;
    }

    @Override
    public Attestation attest(AttestationRequest request) throws Problem {
        String token = request.attestationToken();
        ServiceAccountTokenVerifier v = verifier.orElseThrow(() ->
                Problem.of(Problem.Code.ATTESTATION_FAILED, "kubernetes attestation is not configured on this server"));
        ServiceAccountIdentity sa;
        try {
            sa = v.verify(token);
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.ATTESTATION_FAILED, "service-account token: " + e.detail());
        }
        Registration registration = registrations.findByServiceAccount(
                        new Registration.ServiceAccount(sa.namespace(), sa.serviceAccount()))
                .orElseThrow(() -> Problem.of(Problem.Code.UNREGISTERED_IDENTIFIER,
                        "no registration for service account " + sa.namespace() + "/" + sa.serviceAccount()));
        return Attestation.of(method(), registration.id());
    }
}
