package io.wimse4j.core.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.JwkBridge;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.internal.StrictJson;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A public JSON Web Key (RFC 7517) as wimse4j accepts it: an asymmetric signature key (EC P-256 or
 * P-384, Ed25519, RSA of 2048 to 4096 bits), no private members, points on their curve. It is the
 * type of a WIT's confirmation key ({@code cnf.jwk}, WIT-7) and of published issuer keys; a key
 * with {@code alg} names the one algorithm it is for (WIT-8). Immutable; equal when the JWK members
 * are equal. {@link #toString()} shows no key material.
 */
public final class PublicJwk {
    static {
        JwkBridge.register(new JwkBridge.Access() {
            @Override
            public PublicJwk wrap(JWK jwk) {
                return new PublicJwk(jwk);
            }

            @Override
            public JWK unwrap(PublicJwk key) {
                return key.jwk;
            }
        });
    }

    private final JWK jwk;
    /** The members as a map, made on first use: a WIT's key is often never asked for it. */
    private volatile Map<String, Object> members;

    private PublicJwk(JWK jwk) {
        if (jwk.isPrivate()) {
            throw new IllegalArgumentException("not a public JWK");
        }
        this.jwk = jwk;
    }

    /**
     * Parses a public JWK from untrusted JSON (strict: duplicate members refused), refusing private
     * members ({@code d}, {@code p}, ...), symmetric keys, points off the curve and unusable sizes
     * with {@link Reason#INVALID_KEY}.
     */
    public static PublicJwk parse(String json) throws WimseException {
        Objects.requireNonNull(json, "json");
        JWK jwk = JwkKeys.parsePublic(StrictJson.parseObject(json, "JWK"));
        PublicJwk key = new PublicJwk(jwk);
        for (JwsAlgorithm alg : key.algorithms()) { // an unknown or unfitting 'alg' is refused here
            key.verifier(alg);                        // and so are sizes and points that cannot verify
        }
        return key;
    }

    /** The JWK as compact JSON. */
    public String toJson() {
        return jwk.toJSONString();
    }

    /** The JWK members as plain Java values (String, Number, List), unmodifiable. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = members;
        if (m == null) {
            m = Collections.unmodifiableMap(jwk.toJSONObject());
            members = m;
        }
        return m;
    }

    /** The key type, {@code kty}: {@code EC}, {@code OKP} or {@code RSA}. */
    public String keyType() {
        return jwk.getKeyType().getValue();
    }

    /** The {@code kid}, if any. */
    public Optional<String> keyId() {
        return Optional.ofNullable(jwk.getKeyID());
    }

    /** The {@code alg} member exactly as written, if any (WIT-8: a {@code cnf.jwk} must have one). */
    public Optional<String> algorithmName() {
        return jwk.getAlgorithm() == null ? Optional.empty() : Optional.of(jwk.getAlgorithm().getName());
    }

    /** The {@code use} member, if any. */
    public Optional<String> use() {
        return jwk.getKeyUse() == null ? Optional.empty() : Optional.of(jwk.getKeyUse().getValue());
    }

    /**
     * The algorithms this key may verify: its {@code alg} when present, otherwise every algorithm
     * its type and curve fit, for an Ed25519 key both {@code EdDSA} and {@code Ed25519} (ALG-1)
     * ({@link Reason#UNSUPPORTED_ALG} for an unknown {@code alg}, {@link Reason#INVALID_KEY} for
     * one that does not fit the key, such as {@code Ed25519} on a P-256 key).
     */
    public Set<JwsAlgorithm> algorithms() throws WimseException {
        return Set.copyOf(JwkKeys.algorithmsFor(jwk));
    }

    /** True when {@code use} and {@code key_ops} allow verifying signatures (absent, {@code sig}, {@code verify}). */
    public boolean isForSignatures() {
        return JwkKeys.isForSignatures(jwk);
    }

    /** The RFC 7638 SHA-256 thumbprint, base64url: a stable fingerprint of the key material. */
    public String thumbprint() {
        try {
            return jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the thumbprint of a checked key", e);
        }
    }

    /** A verifier of signatures made with this key under {@code algorithm}. */
    public SignatureVerifier verifier(JwsAlgorithm algorithm) throws WimseException {
        return JwkKeys.verifier(jwk, Objects.requireNonNull(algorithm, "algorithm"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicJwk other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "PublicJwk[kty=" + keyType() + keyId().map(k -> ", kid=" + k).orElse("")
                + algorithmName().map(a -> ", alg=" + a).orElse("") + "]";
    }
}
