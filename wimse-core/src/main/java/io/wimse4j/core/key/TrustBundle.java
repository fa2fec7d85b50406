package io.wimse4j.core.key;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.SignatureVerifier;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The trust anchors of one trust domain (ID-3, C2-2): the public keys its Identity Server signs
 * WITs with, several at once during rotation, selected by {@code kid} (C2-1). Immutable. Two bundles
 * are {@linkplain #equals equal} when they hold the same keys (same {@code kid}, algorithm and
 * RFC 7638 thumbprint) for the same trust domain, so a source that rebuilds an unchanged bundle
 * keeps verified WITs cached.
 */
public final class TrustBundle {
    /** Most keys accepted in one bundle. */
    public static final int MAX_KEYS = 32;

    private final TrustDomain trustDomain;
    private final List<TrustedKey> keys;
    private final int hash;

    private TrustBundle(TrustDomain trustDomain, List<TrustedKey> keys) {
        this.trustDomain = trustDomain;
        this.keys = List.copyOf(keys);
        Set<String> seen = new HashSet<>();
        int h = trustDomain.hashCode();
        for (TrustedKey k : this.keys) {
            if (k.keyId().isPresent() && !seen.add(k.algorithm() + " " + k.keyId().get())) {
                throw new IllegalArgumentException("two " + k.algorithm() + " keys share one 'kid' (C2-1)");
            }
            h = 31 * h + Objects.hash(k.keyId(), k.algorithm(), k.thumbprint().orElse(""));
        }
        this.hash = h;
    }

    /** A bundle of the given keys (1 to {@value #MAX_KEYS}; no two of one algorithm sharing a {@code kid}). */
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
     * Reads a JWKS ({@code {"keys":[...]}}) or a single public JWK through
     * {@link TrustedKey#fromJwks}. Keys with {@code use} other than {@code sig} are skipped;
     * private members, symmetric keys, off-curve points, an {@code alg} that does not fit its key
     * and two keys of one algorithm sharing a {@code kid} are rejected with
     * {@link Reason#INVALID_KEY}, an {@code alg} wimse4j does not know (compared case-sensitively:
     * {@code EdDSA} and {@code Ed25519} are known, ALG-1) with {@link Reason#UNSUPPORTED_ALG}.
     */
    public static TrustBundle fromJwks(TrustDomain trustDomain, String json) throws WimseException {
        Objects.requireNonNull(trustDomain, "trustDomain");
        List<TrustedKey> keys = TrustedKey.fromJwks(json, EnumSet.allOf(JwsAlgorithm.class), true, false, MAX_KEYS);
        try {
            return new TrustBundle(trustDomain, keys);
        } catch (IllegalArgumentException e) {
            throw new WimseException(Reason.INVALID_KEY, "the JWKS " + e.getMessage());
        }
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
     * The key that may have signed a token with {@code alg} and optional {@code kid} (C2-1): see
     * {@link TrustedKey#select}.
     */
    public List<SignatureVerifier> select(JwsAlgorithm alg, Optional<String> kid, boolean requireKid) throws WimseException {
        return TrustedKey.select(keys, alg, kid, requireKid, "trust domain " + trustDomain);
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof TrustBundle other) || other.hash != hash || !other.trustDomain.equals(trustDomain)
                || other.keys.size() != keys.size()) {
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).sameKey(other.keys.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "TrustBundle[" + trustDomain + ", " + keys.size() + " keys]";
    }
}
