package io.wimse4j.core.wpt;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A Workload Proof Token whose type, algorithm, signature (with the WIT's {@code cnf} key),
 * times, {@code jti} and {@code wth} a {@link WptVerifier} has checked. The audience and the
 * other-token hashes are checked against the request by the request verifier. Only a
 * {@link WptVerifier} can create one.
 */
public final class VerifiedWpt {
    private final String audience;
    private final Instant expiresAt;
    private final String jwtId;
    private final Optional<String> accessTokenHash;
    private final Optional<String> txnTokenHash;
    private final Map<String, String> otherTokenHashes;

    VerifiedWpt(String audience, Instant expiresAt, String jwtId, Optional<String> accessTokenHash,
                Optional<String> txnTokenHash, Map<String, String> otherTokenHashes) {
        this.audience = audience;
        this.expiresAt = expiresAt;
        this.jwtId = jwtId;
        this.accessTokenHash = accessTokenHash;
        this.txnTokenHash = txnTokenHash;
        this.otherTokenHashes = Map.copyOf(otherTokenHashes);
    }

    /** The single {@code aud} value. */
    public String audience() {
        return audience;
    }

    /** {@code exp}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** {@code jti}. */
    public String jwtId() {
        return jwtId;
    }

    /** {@code ath}, if present. */
    public Optional<String> accessTokenHash() {
        return accessTokenHash;
    }

    /** {@code tth}, if present. */
    public Optional<String> txnTokenHash() {
        return txnTokenHash;
    }

    /** {@code oth}: header name to hash; empty when absent. */
    public Map<String, String> otherTokenHashes() {
        return otherTokenHashes;
    }
}
