package io.wimse4j.server;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.server.internal.AttestationMethod;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Attestor} found: the identifier the evidence names and what the issuance still has
 * to check or do about it. The issuance then checks the identifier (in the trust domain, ID-3;
 * registered; allowed this method) before it issues anything.
 *
 * @param method           the attestation method
 * @param identifier       the workload identifier the evidence yields (not yet checked against the
 *                         trust domain or the registrations)
 * @param evidenceIssuedAt for evidence this server issued under a registration (a WIT being
 *                         renewed): when it was issued ({@link Instant#MIN} when it does not say);
 *                         evidence older than the current registration of the identifier belongs
 *                         to an earlier one and is refused
 * @param joinToken        the one-time join token to use up once every other check has passed
 *                         (never shown by {@link #toString()})
 */
record Attestation(AttestationMethod method, WorkloadIdentifier identifier, Optional<Instant> evidenceIssuedAt,
                   Optional<String> joinToken) {
    /** Checks the parts. */
    Attestation {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(evidenceIssuedAt, "evidenceIssuedAt");
        Objects.requireNonNull(joinToken, "joinToken");
    }

    /** An attestation with nothing left to check or use up. */
    static Attestation of(AttestationMethod method, WorkloadIdentifier identifier) {
        return new Attestation(method, identifier, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "Attestation[" + method.wireName() + ", " + identifier + evidenceIssuedAt.map(t -> ", evidence iat " + t).orElse("")
                + (joinToken.isPresent() ? ", join token" : "") + "]";
    }
}
