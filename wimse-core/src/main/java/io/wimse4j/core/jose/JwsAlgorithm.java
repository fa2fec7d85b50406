package io.wimse4j.core.jose;

import java.util.Optional;

/**
 * The asymmetric JWS algorithms wimse4j accepts (WIT-1, WIT-8). {@code none}, HMAC and
 * encryption algorithms are not members, so they can never be selected. ES256 is mandatory to
 * support (WIT-8).
 *
 * <p>Ed25519 signatures have two names (ALG-1): {@link #EdDSA}, the polymorphic name of RFC 8037
 * that RFC 9864 deprecates but nearly every JOSE library accepts, and {@link #Ed25519}, RFC 9864's
 * fully-specified name that the current drafts' examples use. Both sign and verify the same way
 * (pure Ed25519, RFC 8032) and both are accepted everywhere; they are still two algorithms, so the
 * comparison of a proof's {@code alg} with its WIT's {@code cnf.jwk.alg} (V-3) stays an exact
 * string comparison: an {@code EdDSA} proof under an {@code Ed25519} key is a mismatch, and the
 * other way round. wimse4j emits {@code EdDSA} unless {@code Ed25519} is asked for
 * ({@code docs/algorithms.md} gives the reasons).
 */
public enum JwsAlgorithm {
    /**
     * Ed25519 under its polymorphic RFC 8037 name, deprecated by RFC 9864 and accepted by the
     * widest set of peers: the name wimse4j emits by default (ALG-1). Keys: OKP, curve Ed25519;
     * signatures of 64 bytes.
     */
    EdDSA("OKP", "Ed25519", 64),
    /**
     * Ed25519 under its fully-specified RFC 9864 name (ALG-1): the same keys (OKP, curve Ed25519)
     * and the same 64-byte signatures as {@link #EdDSA}, a different {@code alg} value.
     */
    Ed25519("OKP", "Ed25519", 64),
    /** ECDSA P-256 with SHA-256, signature r||s of 64 bytes. */
    ES256("EC", "P-256", 64),
    /** ECDSA P-384 with SHA-384, signature r||s of 96 bytes. */
    ES384("EC", "P-384", 96),
    /** RSASSA-PSS with SHA-256 and MGF1-SHA-256, 32-byte salt. */
    PS256("RSA", null, -1),
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256("RSA", null, -1);

    /** Smallest RSA modulus accepted, in bits. */
    public static final int MIN_RSA_BITS = 2048;
    /** Largest RSA modulus accepted, in bits: bounds the work an attacker-chosen key can cause. */
    public static final int MAX_RSA_BITS = 4096;
    /** Largest RSA public exponent accepted, in bits (65537 is 17 bits). */
    public static final int MAX_RSA_EXPONENT_BITS = 32;

    private static final JwsAlgorithm[] VALUES = values();

    private final String keyType;
    private final String curve;
    private final int signatureLength;
    /** This constant as an {@code Optional}, made once: {@link #fromJwaName} runs on every token. */
    private final Optional<JwsAlgorithm> asOptional;

    JwsAlgorithm(String keyType, String curve, int signatureLength) {
        this.keyType = keyType;
        this.curve = curve;
        this.signatureLength = signatureLength;
        this.asOptional = Optional.of(this);
    }

    /** The JWA name, exactly as it appears in {@code alg}. */
    public String jwaName() {
        return name();
    }

    /** The JWK {@code kty} of keys for this algorithm. */
    public String keyType() {
        return keyType;
    }

    /** The JWK {@code crv} of keys for this algorithm, or {@code null} for RSA. */
    public String curve() {
        return curve;
    }

    /** Fixed signature length in bytes, or -1 when it depends on the key (RSA). */
    public int signatureLength() {
        return signatureLength;
    }

    /**
     * Looks up an algorithm by its exact, case-sensitive JWA name: {@code "EdDSA"} and
     * {@code "Ed25519"} are two algorithms (ALG-1), {@code "ed25519"} is none. Allocates nothing.
     */
    public static Optional<JwsAlgorithm> fromJwaName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (JwsAlgorithm a : VALUES) { // values() would copy the array on every token
            if (a.name().equals(name)) {
                return a.asOptional;
            }
        }
        return Optional.empty();
    }
}
