package io.wimse4j.core.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.StrictJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trust anchors of one trust domain (ID-3): the public keys its Identity Server signs WITs
 * with, several at once during rotation, selected by {@code kid}. Immutable.
 */
public final class TrustBundle {
    /** Most keys accepted in one bundle, to bound the work of a token without {@code kid}. */
    public static final int MAX_KEYS = 32;

    private final TrustDomain trustDomain;
    private final List<TrustedKey> keys;

    private TrustBundle(TrustDomain trustDomain, List<TrustedKey> keys) {
        this.trustDomain = trustDomain;
        this.keys = List.copyOf(keys);
    }

    /** A bundle of the given keys. */
    public static TrustBundle of(TrustDomain trustDomain, List<TrustedKey> keys) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a trust bundle needs at least one key");
        }
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("a trust bundle holds at most " + MAX_KEYS + " keys");
        }
        return new TrustBundle(trustDomain, keys);
    }

    /**
     * Reads a JWKS ({@code {"keys":[...]}}) or a single public JWK. Keys with {@code use} other
     * than {@code sig} are skipped; private members, symmetric keys, off-curve points and unknown
     * algorithms are rejected with {@link Reason#INVALID_KEY}.
     */
    public static TrustBundle fromJwks(TrustDomain trustDomain, String json) throws WimseException {
        ObjectNode root = StrictJson.parseObject(json, "JWKS");
        List<JsonNode> jwks = new ArrayList<>();
        if (root.has("keys")) {
            JsonNode arr = root.get("keys");
            if (!arr.isArray()) {
                throw new WimseException(Reason.INVALID_KEY, "JWKS 'keys' is not an array");
            }
            arr.forEach(jwks::add);
        } else {
            jwks.add(root);
        }
        List<TrustedKey> keys = new ArrayList<>();
        for (JsonNode node : jwks) {
            JWK jwk = JwkKeys.parsePublic(node);
            if (!JwkKeys.isForSignatures(jwk)) {
                continue;
            }
            for (JwsAlgorithm alg : JwkKeys.algorithmsFor(jwk)) {
                keys.add(new TrustedKey(Optional.ofNullable(jwk.getKeyID()), JwkKeys.verifier(jwk, alg)));
            }
        }
        if (keys.isEmpty()) {
            throw new WimseException(Reason.INVALID_KEY, "the JWKS holds no signature key");
        }
        if (keys.size() > MAX_KEYS) {
            throw new WimseException(Reason.INVALID_KEY, "the JWKS holds more than " + MAX_KEYS + " keys");
        }
        return new TrustBundle(trustDomain, keys);
    }

    /** The trust domain these anchors belong to. */
    public TrustDomain trustDomain() {
        return trustDomain;
    }

    /** All keys. */
    public List<TrustedKey> keys() {
        return keys;
    }

    /**
     * The keys that may have signed a token with {@code alg} and optional {@code kid}: with a
     * {@code kid}, only keys of that {@code kid}; without one, every key of that algorithm.
     */
    public List<TrustedKey> candidates(JwsAlgorithm alg, Optional<String> kid) {
        List<TrustedKey> out = new ArrayList<>(2);
        for (TrustedKey k : keys) {
            if (k.algorithm() == alg && (kid.isEmpty() || kid.equals(k.keyId()))) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "TrustBundle[" + trustDomain + ", " + keys.size() + " keys]";
    }
}
