package io.wimse4j.core.wpt;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.wit.WitInfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A calling workload's credentials: its WIT and the signer over the private key the WIT's
 * {@code cnf.jwk} names (KEY-1, KEY-2). Construction checks that the signer's algorithm is
 * {@code cnf.jwk.alg} (WPT-2) and that its key really is the confirmation key (one test signature),
 * so a mismatched pair fails here rather than at every receiver. The WIT's hash ({@code wth}, WPT-7)
 * is computed here once, not for every proof.
 */
public final class WorkloadCredentials {
    private final WitInfo wit;
    private final JwsSigner signer;
    /** base64url(SHA-256(WIT)), every proof's {@code wth} (WPT-7): hashed once per credential, not per proof. */
    private final String witHash;

    private WorkloadCredentials(WitInfo wit, JwsSigner signer) {
        this.wit = wit;
        this.signer = signer;
        this.witHash = Hashes.tokenHash(wit.token());
    }

    /** Pairs {@code wit} with {@code signer}, checking that they belong together. */
    public static WorkloadCredentials of(String wit, JwsSigner signer) throws WimseException {
        Objects.requireNonNull(signer, "signer");
        WitInfo info = WitInfo.decodeUnverified(wit);
        if (signer.algorithm() != info.proofAlgorithm()) {
            throw new WimseException(Reason.ALG_MISMATCH, "the signer uses " + signer.algorithm()
                    + " but the WIT's cnf.jwk.alg is " + info.proofAlgorithm());
        }
        byte[] probe = "wimse4j key check".getBytes(StandardCharsets.US_ASCII);
        if (!info.confirmationKey().verifier(info.proofAlgorithm()).verify(probe, 0, probe.length, signer.sign(probe))) {
            throw new WimseException(Reason.INVALID_KEY, "the signer's key is not the WIT's confirmation key");
        }
        return new WorkloadCredentials(info, signer);
    }

    /** The compact WIT. */
    public String wit() {
        return wit.token();
    }

    /** The workload identifier in the WIT. */
    public WorkloadIdentifier subject() {
        return wit.subject();
    }

    /** When the WIT expires; after that the key must not be used (KEY-3). */
    public Instant expiresAt() {
        return wit.expiresAt();
    }

    /** The {@code wth} of proofs made with these credentials (WPT-7). */
    String witHash() {
        return witHash;
    }

    /** The proof signer. */
    public JwsSigner signer() {
        return signer;
    }

    @Override
    public String toString() {
        return "WorkloadCredentials[sub=" + wit.subject() + ", exp=" + wit.expiresAt() + "]";
    }
}
