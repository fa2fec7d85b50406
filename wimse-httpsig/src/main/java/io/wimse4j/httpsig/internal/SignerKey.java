package io.wimse4j.httpsig.internal;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.wit.VerifiedWit;

import java.util.Objects;

/**
 * Who signed a message and the key to check it with: the WIT's {@code sub} and the verifier of its
 * {@code cnf} key (HS-1). Made from a {@link VerifiedWit}; the known-answer tests make one from a WIT
 * they trust explicitly (its issuer key was never published). Not part of the API.
 *
 * @param subject  the signer's workload identifier
 * @param verifier the verifier of signatures made with the WIT's {@code cnf} key and {@code cnf.jwk.alg}
 * @param wit      the verified WIT, or null only in those tests
 */
public record SignerKey(WorkloadIdentifier subject, SignatureVerifier verifier, VerifiedWit wit) {
    /** Requires a subject and a verifier. */
    public SignerKey {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(verifier, "verifier");
    }

    /** The key of a verified WIT. */
    public static SignerKey of(VerifiedWit wit) {
        return new SignerKey(wit.subject(), wit.proofVerifier(), wit);
    }

    @Override
    public String toString() {
        return "SignerKey[" + subject + ", " + verifier.algorithm() + "]";
    }
}
