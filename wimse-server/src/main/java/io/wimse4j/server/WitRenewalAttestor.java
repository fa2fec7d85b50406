package io.wimse4j.server;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code wit} method (renewal): the request carries the workload's current WIT and a WPT in its
 * headers (WIT-10), checked by the core {@link RequestVerifier} against the server's own published
 * keys with the issuance endpoint as audience (V-1..V-14; V-6 the audience, V-9 the WPT used once).
 * It yields the WIT's {@code sub} and the WIT's {@code iat}, so the issuance refuses a WIT issued
 * before the current registration of that identifier. Refusals: the core {@code Reason}'s problem.
 */
final class WitRenewalAttestor implements Attestor {
    private final RequestVerifier verifier;

    /** An attestor checking renewals with {@code verifier} (trusting the server's own keys only). */
    WitRenewalAttestor(RequestVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public AttestationMethod method() {
        return AttestationMethod.WIT;
    }

    @Override
    public Attestation attest(AttestationRequest request) throws Problem {
        VerifiedCaller caller;
        try {
            caller = verifier.verify(request.facts());
        } catch (WimseException e) {
            throw Problem.of(e);
        }
        // a WIT without iat cannot show it is younger than the registration: refused like an older one
        Instant issuedAt = caller.wit().issuedAt().orElse(Instant.MIN);
        return new Attestation(method(), caller.workload(), Optional.of(issuedAt), Optional.empty());
    }
}
