package io.wimse4j.core.wit;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.KeySource;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.key.TrustBundle;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A Workload Identity Token whose signature, type, times, subject and confirmation key a
 * {@link WitVerifier} has checked. Only a verifier can create one. Unknown claims are kept but
 * never interpreted (WIT-11).
 */
public final class VerifiedWit {
    private final String token;
    private final String tokenHash;
    private final WorkloadIdentifier subject;
    private final Optional<String> issuer;
    private final Optional<String> jwtId;
    private final Optional<Instant> issuedAt;
    private final Instant expiresAt;
    /** {@code exp} plus the verifier's leeway: from this instant on the WIT is expired (C2-5). */
    final Instant expiredAt;
    private final PublicJwk confirmationKey;
    private final String confirmationAlgorithmName;
    private final SignatureVerifier proofVerifier;
    private final JwtClaims claims;
    final TrustBundle verifiedWith;
    private final KeySource proofKeys;

    VerifiedWit(String token, String tokenHash, WorkloadIdentifier subject, Optional<String> issuer,
                Optional<String> jwtId, Optional<Instant> issuedAt, Instant expiresAt, Instant expiredAt, PublicJwk confirmationKey,
                String confirmationAlgorithmName, SignatureVerifier proofVerifier, JwtClaims claims,
                TrustBundle verifiedWith) {
        this.token = token;
        this.tokenHash = tokenHash;
        this.subject = subject;
        this.issuer = issuer;
        this.jwtId = jwtId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.expiredAt = expiredAt;
        this.confirmationKey = confirmationKey;
        this.confirmationAlgorithmName = confirmationAlgorithmName;
        this.proofVerifier = proofVerifier;
        this.claims = claims;
        this.verifiedWith = verifiedWith;
        this.proofKeys = KeySource.single(proofVerifier, confirmationAlgorithmName, "WIT's cnf.jwk");
    }

    /** The compact token as presented. */
    public String token() {
        return token;
    }

    /** base64url(SHA-256(token)): the value a WPT's {@code wth} must carry (WPT-7). */
    public String tokenHash() {
        return tokenHash;
    }

    /** The workload identifier ({@code sub}, WIT-4). */
    public WorkloadIdentifier subject() {
        return subject;
    }

    /** The trust domain of {@link #subject()}. */
    public TrustDomain trustDomain() {
        return subject.trustDomain();
    }

    /** The {@code iss} claim, if present (WIT-3). */
    public Optional<String> issuer() {
        return issuer;
    }

    /** The {@code jti} claim, if present (WIT-6). */
    public Optional<String> jwtId() {
        return jwtId;
    }

    /** The {@code iat} claim, if present. */
    public Optional<Instant> issuedAt() {
        return issuedAt;
    }

    /** The {@code exp} claim (WIT-5). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The workload's public key, {@code cnf.jwk} (WIT-7). */
    public PublicJwk confirmationKey() {
        return confirmationKey;
    }

    /** The {@code cnf.jwk.alg} string: a proof's {@code alg} must equal it exactly (WIT-8, V-3). */
    public String confirmationAlgorithmName() {
        return confirmationAlgorithmName;
    }

    /** The algorithm of {@link #confirmationAlgorithmName()}. */
    public JwsAlgorithm confirmationAlgorithm() {
        return proofVerifier.algorithm();
    }

    /**
     * The key source of proofs made with this WIT (V-3, V-4): the {@code cnf} key, for a header
     * {@code alg} exactly equal to {@link #confirmationAlgorithmName()}; made once per verified WIT.
     */
    public KeySource proofKeySource() {
        return proofKeys;
    }

    /** Verifies proofs made with the workload's key (V-4). */
    public SignatureVerifier proofVerifier() {
        return proofVerifier;
    }

    /** One claim as a plain Java value (String, Number, Boolean, List, Map), if present. */
    public Optional<Object> claim(String name) {
        return claims.value(name);
    }

    /** All claims as plain Java values; a new unmodifiable map each call. */
    public Map<String, Object> claims() {
        return claims.asMap();
    }

    @Override
    public String toString() {
        return "VerifiedWit[sub=" + subject + ", exp=" + expiresAt + ", alg=" + confirmationAlgorithmName + "]";
    }
}
