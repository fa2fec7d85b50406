package io.wimse4j.core.jose;

import java.time.Instant;

/**
 * A token whose structure, header, registered claims and signature a {@link JwsVerifier} has
 * checked. Only a verifier can create one; the token kind reads its own claims from
 * {@link #claims()}. Immutable.
 */
public final class VerifiedJws {
    private final String token;
    private final JwsHeader header;
    private final JwtClaims claims;
    private final Instant expiresAt;
    private final SignatureVerifier signedBy;

    VerifiedJws(String token, JwsHeader header, JwtClaims claims, Instant expiresAt, SignatureVerifier signedBy) {
        this.token = token;
        this.header = header;
        this.claims = claims;
        this.expiresAt = expiresAt;
        this.signedBy = signedBy;
    }

    /** The compact token as presented. */
    public String token() {
        return token;
    }

    /** The checked JOSE header. */
    public JwsHeader header() {
        return header;
    }

    /** The claims, signed by {@link #signedBy()}. */
    public JwtClaims claims() {
        return claims;
    }

    /** The {@code exp}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The key that verified the signature. */
    public SignatureVerifier signedBy() {
        return signedBy;
    }

    @Override
    public String toString() {
        return "VerifiedJws[" + claims.label() + ", alg=" + header.algorithmName() + ", exp=" + expiresAt + "]";
    }
}
