package io.wimse4j.httpsig;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.wit.VerifiedWit;

import java.time.Instant;
import java.util.List;

/**
 * A response whose WIT and WIMSE signature an {@link HttpSignatureVerifier} has checked, bound to the
 * request it answers by {@code wimse-req-nonce}: a signed response without it, or with another request's
 * nonce, is refused (HS-6). Only a verifier creates one. Check
 * {@link #workload()} against the server you meant to call.
 */
public final class VerifiedSignedResponse {
    private final WorkloadIdentifier workload;
    private final VerifiedWit wit;
    private final List<String> covered;
    private final Instant created;
    private final Instant expires;

    VerifiedSignedResponse(WorkloadIdentifier workload, VerifiedWit wit, List<String> covered, Instant created, Instant expires) {
        this.workload = workload;
        this.wit = wit;
        this.covered = List.copyOf(covered);
        this.created = created;
        this.expires = expires;
    }

    /** The responding workload, its WIT's {@code sub}. */
    public WorkloadIdentifier workload() {
        return workload;
    }

    /** The responder's verified WIT. */
    public VerifiedWit wit() {
        return wit;
    }

    /** The covered component identifiers, serialized, in signature order. */
    public List<String> covered() {
        return covered;
    }

    /** {@code created}. */
    public Instant created() {
        return created;
    }

    /** {@code expires}. */
    public Instant expires() {
        return expires;
    }

    @Override
    public String toString() {
        return "VerifiedSignedResponse[" + workload + ", " + covered + "]";
    }
}
