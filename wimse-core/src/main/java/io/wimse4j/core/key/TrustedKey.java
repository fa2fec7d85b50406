package io.wimse4j.core.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.JwkBridge;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.SignatureVerifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One public key of an issuer, with its optional {@code kid}, the single algorithm it verifies and,
 * when it came from a JWK, the key's RFC 7638 thumbprint (so that bundles rebuilt from the same
 * keys compare equal). A JWK without {@code alg} that fits several algorithms becomes one
 * {@code TrustedKey} per algorithm: an RSA key one for RS256 and one for PS256, an Ed25519 (OKP)
 * key one for {@code EdDSA} and one for {@code Ed25519}, so it verifies a token under either name
 * (ALG-1). A JWK with {@code alg} verifies under that exact name only: an Ed25519 key declaring
 * {@code "alg":"EdDSA"} does not verify an {@code Ed25519} token, nor the other way round. Each
 * {@code TrustedKey} counts toward a bundle's {@value TrustBundle#MAX_KEYS}-key limit.
 *
 * @param keyId      the JWK {@code kid}, if any
 * @param verifier   verifies signatures for {@link #algorithm()}
 * @param thumbprint the RFC 7638 thumbprint of the key, if known; without it two keys are equal
 *                   only when they share the same verifier object
 */
public record TrustedKey(Optional<String> keyId, SignatureVerifier verifier, Optional<String> thumbprint) {
    /** Validates the components. */
    public TrustedKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(thumbprint, "thumbprint");
    }

    /** A key without a known thumbprint (a verifier from elsewhere, e.g. an HSM's public key). */
    public TrustedKey(Optional<String> keyId, SignatureVerifier verifier) {
        this(keyId, verifier, Optional.empty());
    }

    /** The algorithm this key verifies. */
    public JwsAlgorithm algorithm() {
        return verifier.algorithm();
    }

    /**
     * The one place JWK Sets are read (RFC 7517 section 5): a {@code {"keys":[...]}} document, or a
     * single JWK when {@code allowSingleKey}. Keys whose {@code use} or {@code key_ops} do not allow
     * signature verification are skipped; keys of algorithms outside {@code algorithms} are skipped;
     * a key declaring {@code alg} gives one key for exactly that algorithm, one without gives one per
     * algorithm of {@code algorithms} its type and curve fit (an OKP key: {@code EdDSA} and
     * {@code Ed25519}, ALG-1);
     * a key whose {@code alg} wimse4j does not know is skipped when {@code skipUnknownAlgorithms},
     * and refused otherwise. Private members, symmetric keys, off-curve points and unusable sizes
     * refuse the whole document ({@link Reason#INVALID_KEY}); so do more than {@code maxKeys} keys
     * or none at all.
     */
    public static List<TrustedKey> fromJwks(String json, Set<JwsAlgorithm> algorithms, boolean allowSingleKey,
                                            boolean skipUnknownAlgorithms, int maxKeys) throws WimseException {
        return fromJwks(StrictJson.parseObject(json, "JWKS"), algorithms, allowSingleKey, skipUnknownAlgorithms, maxKeys);
    }

    /** {@link #fromJwks(String, Set, boolean, boolean, int)} on a document already parsed strictly. */
    static List<TrustedKey> fromJwks(ObjectNode root, Set<JwsAlgorithm> algorithms, boolean allowSingleKey,
                                     boolean skipUnknownAlgorithms, int maxKeys) throws WimseException {
        List<JsonNode> nodes = new ArrayList<>();
        if (root.has("keys")) {
            JsonNode arr = root.get("keys");
            if (!arr.isArray()) {
                throw new WimseException(Reason.INVALID_KEY, "JWKS 'keys' is not an array");
            }
            arr.forEach(nodes::add);
        } else if (allowSingleKey) {
            nodes.add(root);
        } else {
            throw new WimseException(Reason.INVALID_KEY, "a JWKS needs a 'keys' array");
        }
        List<TrustedKey> keys = new ArrayList<>();
        for (JsonNode node : nodes) {
            JWK jwk = JwkKeys.parsePublic(node);
            if (JwkKeys.isForSignatures(jwk)) {
                addKeys(jwk, algorithms, skipUnknownAlgorithms, keys);
            }
        }
        if (keys.isEmpty()) {
            throw new WimseException(Reason.INVALID_KEY, "the JWKS holds no usable signature key for " + new java.util.TreeSet<>(algorithms));
        }
        if (keys.size() > maxKeys) {
            throw new WimseException(Reason.INVALID_KEY, "the JWKS holds more than " + maxKeys + " keys");
        }
        return List.copyOf(keys);
    }

    /**
     * Adds the keys of one parsed public {@code jwk} to {@code out}: one per algorithm of
     * {@code algorithms} it fits (its {@code alg}, or every algorithm of its type and curve). An
     * {@code alg} wimse4j does not know is skipped when {@code skipUnknownAlgorithms}, refused otherwise.
     */
    static void addKeys(JWK jwk, Set<JwsAlgorithm> algorithms, boolean skipUnknownAlgorithms, List<TrustedKey> out)
            throws WimseException {
        Set<JwsAlgorithm> fitting;
        try {
            fitting = JwkKeys.algorithmsFor(jwk);
        } catch (WimseException e) {
            if (skipUnknownAlgorithms && e.reason() == Reason.UNSUPPORTED_ALG) {
                return; // a key for an algorithm wimse4j does not know, e.g. RS512
            }
            throw e;
        }
        String thumbprint = JwkBridge.wrap(jwk).thumbprint();
        for (JwsAlgorithm alg : fitting) {
            if (algorithms.contains(alg)) {
                out.add(new TrustedKey(Optional.ofNullable(jwk.getKeyID()), JwkKeys.verifier(jwk, alg), Optional.of(thumbprint)));
            }
        }
    }

    /**
     * Selects the keys that may have verified a token with {@code alg} and optional {@code kid}
     * (C2-1): with a {@code kid}, exactly the key of that {@code kid} and {@code alg}
     * ({@link Reason#UNKNOWN_KEY} when there is none); without one, the single key of that
     * {@code alg} ({@link Reason#UNKNOWN_KEY} when none, {@link Reason#AMBIGUOUS_KEY} when several),
     * or {@link Reason#KID_REQUIRED} when {@code requireKid}. {@code owner} names the key set in
     * error details.
     */
    public static List<SignatureVerifier> select(List<TrustedKey> keys, JwsAlgorithm alg, Optional<String> kid,
                                                 boolean requireKid, String owner) throws WimseException {
        if (kid.isEmpty() && requireKid) {
            throw new WimseException(Reason.KID_REQUIRED, "the token has no 'kid', which " + owner + " requires");
        }
        SignatureVerifier found = null;
        int matches = 0;
        for (TrustedKey k : keys) {
            if (k.algorithm() == alg && (kid.isEmpty() || kid.equals(k.keyId()))) {
                found = k.verifier();
                matches++;
            }
        }
        if (matches == 0) {
            throw new WimseException(Reason.UNKNOWN_KEY, owner + " has no " + alg + " key"
                    + (kid.isPresent() ? " with the token's 'kid'" : ""));
        }
        if (matches > 1) {
            throw new WimseException(kid.isEmpty() ? Reason.AMBIGUOUS_KEY : Reason.UNKNOWN_KEY, kid.isEmpty()
                    ? "the token has no 'kid' and " + owner + " holds " + matches + " " + alg + " keys"
                    : owner + " holds several " + alg + " keys with the token's 'kid'");
        }
        return List.of(found);
    }

    /** Equality for bundle comparison: same kid and algorithm, and the same thumbprint or verifier. */
    boolean sameKey(TrustedKey other) {
        if (!keyId.equals(other.keyId) || algorithm() != other.algorithm()) {
            return false;
        }
        return thumbprint.isPresent() && other.thumbprint.isPresent()
                ? thumbprint.equals(other.thumbprint) : verifier == other.verifier;
    }
}
