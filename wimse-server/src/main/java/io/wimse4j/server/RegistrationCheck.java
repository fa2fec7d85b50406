package io.wimse4j.server;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.server.internal.Registration;
import io.wimse4j.server.internal.RegistrationStore;

import java.time.Instant;

/**
 * The checks of an attested identifier that every issuance makes ({@code POST /v1/wit} and
 * {@code POST /v1/wic}) before it issues anything: in the server's trust domain (ID-3), registered,
 * the evidence not older than the current registration (a WIT issued before the identifier was
 * deleted and registered again), and the method allowed by the registration.
 */
final class RegistrationCheck {
    private RegistrationCheck() {
    }

    /**
     * The registration of the identifier {@code attestation} yields, once the checks above passed.
     *
     * @throws Problem {@code identifier-outside-trust-domain}, {@code unregistered-identifier},
     *                 {@code attestation-failed} (evidence from an earlier registration),
     *                 {@code method-not-allowed-for-identifier}
     */
    static Registration check(Attestation attestation, TrustDomain trustDomain, RegistrationStore registrations)
            throws Problem {
        Registration registration = registered(attestation, trustDomain, registrations);
        requireAllowed(attestation, registration);
        return registration;
    }

    /** The first three checks of {@link #check}: trust domain, registered, evidence age. */
    static Registration registered(Attestation attestation, TrustDomain trustDomain, RegistrationStore registrations)
            throws Problem {
        WorkloadIdentifier id = attestation.identifier();
        if (!id.isMemberOf(trustDomain)) {
            // ID-3: never an identifier outside the trust domain, whatever the state directory holds
            throw Problem.of(Problem.Code.IDENTIFIER_OUTSIDE_TRUST_DOMAIN, id + " is outside trust domain " + trustDomain);
        }
        Registration registration = registrations.find(id).orElseThrow(() ->
                Problem.of(Problem.Code.UNREGISTERED_IDENTIFIER, id + " is not registered"));
        if (attestation.evidenceIssuedAt().isPresent()) {
            // a WIT from before the identifier was (re-)registered belongs to an earlier registration
            Instant since = registrations.registeredAt(id).orElseThrow();
            if (attestation.evidenceIssuedAt().get().isBefore(since)) {
                throw Problem.of(Problem.Code.ATTESTATION_FAILED, "the " + (attestation.method() == AttestationMethod.WIC ? "WIC" : "WIT")
                        + " was issued before the current registration of "
                        + id + " (" + since + "); a new initial attestation is needed");
            }
        }
        return registration;
    }

    /** The last check of {@link #check}: the registration allows the attestation's method. */
    static void requireAllowed(Attestation attestation, Registration registration) throws Problem {
        if (!registration.allows(attestation.method())) {
            throw Problem.of(Problem.Code.METHOD_NOT_ALLOWED_FOR_IDENTIFIER, "the registration of " + attestation.identifier()
                    + " does not allow attestation method " + attestation.method().wireName());
        }
    }
}
