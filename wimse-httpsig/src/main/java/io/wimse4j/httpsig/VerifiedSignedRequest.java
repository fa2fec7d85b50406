package io.wimse4j.httpsig;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.VerifiedWit;

import java.time.Instant;
import java.util.List;

/**
 * A request whose WIT and WIMSE HTTP Message Signature an {@link HttpSignatureVerifier} has checked
 * (HS-1..HS-8): the caller is {@link #workload()}, authenticated by the WIT's {@code cnf} key over the
 * covered components. Only a verifier creates one; a server hands it to
 * {@link HttpSignatureSigner#signResponse} to bind its response to this request (HS-6).
 */
public final class VerifiedSignedRequest {
    private final WorkloadIdentifier workload;
    private final VerifiedWit wit;
    private final HttpRequestFacts request;
    private final String label;
    private final List<String> covered;
    private final Instant created;
    private final Instant expires;
    private final String nonce;
    private final String audience;
    private final boolean signResponseRequested;
    private final SignatureProfile profile;

    VerifiedSignedRequest(WorkloadIdentifier workload, VerifiedWit wit, HttpRequestFacts request, String label, List<String> covered,
                          Instant created,
                          Instant expires, String nonce, String audience, boolean signResponseRequested,
                          SignatureProfile profile) {
        this.workload = workload;
        this.wit = wit;
        this.request = request;
        this.label = label;
        this.covered = List.copyOf(covered);
        this.created = created;
        this.expires = expires;
        this.nonce = nonce;
        this.audience = audience;
        this.signResponseRequested = signResponseRequested;
        this.profile = profile;
    }

    /** The caller's workload identifier, the WIT's {@code sub}. */
    public WorkloadIdentifier workload() {
        return workload;
    }

    /** The caller's verified WIT (HS-7). */
    public VerifiedWit wit() {
        return wit;
    }

    /** The request as verified. */
    public HttpRequestFacts request() {
        return request;
    }

    /** The signature's label (informational: the signature was selected by its tag, HS-2). */
    public String label() {
        return label;
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

    /** {@code nonce}: a signed response carries it as {@code wimse-req-nonce} (HS-6). */
    public String nonce() {
        return nonce;
    }

    /** {@code wimse-aud}, checked against the verifier's configured audiences (HS-4). */
    public String audience() {
        return audience;
    }

    /** True when the caller asked for a signed response ({@code wimse-sign-response}, HS-6). */
    public boolean signResponseRequested() {
        return signResponseRequested;
    }

    /** How the target was covered. */
    public SignatureProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "VerifiedSignedRequest[" + workload + ", " + covered + ", signResponse=" + signResponseRequested + "]";
    }
}
