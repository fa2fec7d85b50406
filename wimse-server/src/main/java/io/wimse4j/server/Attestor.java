package io.wimse4j.server;

import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;

/**
 * Checks the evidence of one attestation method ({@code attestation.method} of {@code POST /v1/wit}
 * and {@code POST /v1/wic}) and says which workload identifier it proves: {@link JoinTokenAttestor},
 * {@link WitRenewalAttestor}, {@link KubernetesAttestor}. The issuance calls {@link #attest} after the
 * proof of possession checked out (for a WIC: before, the CSR's signature is checked when signing),
 * checks the identifier it yields against the trust domain (ID-3) and the registrations
 * ({@link RegistrationCheck}), and calls {@link #commit} only when every check has passed (a WIT:
 * right before it signs; a WIC: right after it signed, before the certificate is shown to anyone), so a
 * refused request uses nothing up. Implementations are immutable and thread-safe.
 */
interface Attestor {
    /** The method this attestor checks. */
    AttestationMethod method();

    /**
     * Checks the evidence of {@code request} (whose method is {@link #method()}).
     *
     * @throws Problem the refusal, with the contract's problem code
     */
    Attestation attest(AttestationRequest request) throws Problem;

    /**
     * Uses up what {@code attestation} spends (a one-time join token), once every other check has
     * passed; nothing for methods whose evidence can be presented again.
     *
     * @throws Problem when it was used up meanwhile
     */
    default void commit(Attestation attestation) throws Problem {
    }
}
