package io.wimse4j.core.wit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.ClaimsBridge;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.SignatureVerifier;

import java.util.Optional;

/**
 * The prepared confirmation keys of one {@link WitVerifier} (WIT-7, WIT-8, V-4): a WIT's
 * {@code cnf.jwk} as a checked {@link PublicJwk} and the {@link SignatureVerifier} of its proofs,
 * kept in a bounded cache keyed by the key material ({@code alg}, {@code kty}, {@code crv},
 * {@code x}, {@code y}, or {@code n}, {@code e}) independently of the WIT cache. A renewed WIT with
 * the same key, or a WIT the WIT cache dropped, thus reuses the BouncyCastle key object and the
 * precomputation BouncyCastle keeps on it (for a P-256 key, verifying with a reused key costs about
 * half of verifying with a new one). Only keys of WITs whose signature verified are added.
 *
 * <p>A hit whose {@code cnf.jwk} is member for member the cached one reuses both; one with the same
 * key material but other members (a different {@code kid}, say) is parsed and checked in full and
 * only reuses the verifier, which depends on nothing but the material. Thread-safe.
 */
final class ProofKeys {
    /** A checked confirmation key: the JSON it was read from, the key and its proof verifier. */
    record Prepared(ObjectNode json, PublicJwk jwk, SignatureVerifier verifier) {
    }

    private final Cache<String, Prepared> cache;

    /** Keeps up to {@code size} prepared keys; 0 prepares every key anew. */
    ProofKeys(int size) {
        this.cache = size == 0 ? null : Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    }

    /** The WIT's {@code cnf.jwk} (WIT-7): {@link Reason#MISSING_CLAIM} when absent, {@link Reason#INVALID_CNF_KEY} when not an object. */
    static JwtClaims cnfJwk(JwtClaims claims) throws WimseException {
        Optional<JwtClaims> cnf;
        Optional<JwtClaims> jwk;
        try {
            cnf = claims.object("cnf");
            jwk = cnf.isPresent() ? cnf.get().object("jwk") : Optional.empty();
        } catch (WimseException notAnObject) {
            throw new WimseException(Reason.INVALID_CNF_KEY, "WIT 'cnf.jwk' is not a JSON object");
        }
        return jwk.orElseThrow(() -> new WimseException(Reason.MISSING_CLAIM, "WIT has no 'cnf.jwk' claim"));
    }

    /** The checked key and verifier of {@code cnfJwk} for {@code alg} ({@link Reason#INVALID_CNF_KEY} when unusable). */
    Prepared prepare(JwtClaims cnfJwk, JwsAlgorithm alg, String algName) throws WimseException {
        ObjectNode json = ClaimsBridge.node(cnfJwk);
        String material = cache == null ? null : material(json, algName);
        Prepared cached = material == null ? null : cache.getIfPresent(material);
        if (cached != null && cached.json().equals(json)) {
            return cached;
        }
        PublicJwk jwk;
        SignatureVerifier verifier;
        try {
            jwk = cnfJwk.asPublicJwk();
            if (!jwk.isForSignatures()) {
                throw new WimseException(Reason.INVALID_KEY, "'use'/'key_ops' do not allow signature verification");
            }
            verifier = cached != null ? cached.verifier() : jwk.verifier(alg);
        } catch (WimseException e) {
            throw new WimseException(Reason.INVALID_CNF_KEY, "WIT 'cnf.jwk': " + e.detail());
        }
        Prepared prepared = new Prepared(json, jwk, verifier);
        if (material != null && cached == null) {
            cache.put(material, prepared);
        }
        return prepared;
    }

    /** The cache key of {@code json}'s key material under {@code algName}, or null when it is incomplete. */
    private static String material(ObjectNode json, String algName) {
        String kty = text(json, "kty");
        if (kty == null) {
            return null;
        }
        String[] members = switch (kty) {
            case "EC" -> new String[] {"crv", "x", "y"};
            case "OKP" -> new String[] {"crv", "x"};
            case "RSA" -> new String[] {"n", "e"};
            default -> null;
        };
        if (members == null) {
            return null;
        }
        StringBuilder key = new StringBuilder(160).append(algName).append('\0').append(kty);
        for (String m : members) {
            String v = text(json, m);
            if (v == null) {
                return null;
            }
            key.append('\0').append(v);
        }
        return key.toString();
    }

    private static String text(ObjectNode json, String name) {
        JsonNode n = json.get(name);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** Prepared keys held, approximately (for tests). */
    long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
