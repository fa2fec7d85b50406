package io.wimse4j.core.key;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.SignatureVerifier;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The trust anchors of one trust domain (ID-3, C2-2): the public keys its Identity Server signs
 * WITs with, several at once during rotation, selected by {@code kid} (C2-1). Immutable. Two bundles
 * are {@linkplain #equals equal} when they hold the same keys (same {@code kid}, algorithm and
 * RFC 7638 thumbprint) for the same trust domain, so a source that rebuilds an unchanged bundle
 * keeps verified WITs cached.
 *
 * <p>A bundle also comes from a SPIFFE bundle (ALG-2, see {@link #fromSpiffeBundle}): then only its
 * {@code "use": "wit-svid"} keys are WIT keys, and its {@linkplain #spiffeSequence() sequence number}
 * and {@linkplain #spiffeRefreshHint() refresh hint} are kept. Such a bundle may hold no WIT key at
 * all (the trust domain revoked its keys, or publishes none for WITs): it then verifies no WIT
 * ({@link Reason#UNKNOWN_KEY}). Equality also compares whether the keys came from {@code wit-svid}
 * entries ({@link #isSpiffe()}), not the sequence number or the refresh hint.
 */
public final class TrustBundle {
    /** Most keys accepted in one bundle. */
    public static final int MAX_KEYS = 32;

    /** The kind of document a bundle was read from (ALG-2). */
    public enum Format {
        /** Built from keys in code ({@link #of}). */
        KEYS,
        /** A plain JWKS (RFC 7517) or one public JWK: keys with {@code use} absent or {@code sig}. */
        JWKS,
        /**
         * A SPIFFE bundle (SPIFFE Trust Domain and Bundle, section 4): only {@code "use": "wit-svid"}
         * entries are WIT keys, each with a {@code kid} (WIT-SVID, section 6).
         */
        SPIFFE_BUNDLE,
        /**
         * A WIT bundle as go-spiffe's {@code witbundle} reads it: a JWKS whose every key is a WIT-SVID
         * key ({@code use} absent or {@code wit-svid}), each with a {@code kid}.
         */
        WIT_BUNDLE
    }

    private final TrustDomain trustDomain;
    private final List<TrustedKey> keys;
    private final Format format;
    private final OptionalLong sequence;
    private final Optional<Duration> refreshHint;
    /** kid of each SVID entry that is not a WIT key, to its {@code use} (for error details). */
    private final Map<String, String> otherSvidKids;
    private final int hash;

    private TrustBundle(TrustDomain trustDomain, List<TrustedKey> keys) {
        this(trustDomain, keys, Format.KEYS, OptionalLong.empty(), Optional.empty(), Map.of());
    }

    private TrustBundle(TrustDomain trustDomain, List<TrustedKey> keys, Format format, OptionalLong sequence,
                        Optional<Duration> refreshHint, Map<String, String> otherSvidKids) {
        this.trustDomain = trustDomain;
        this.keys = List.copyOf(keys);
        this.format = format;
        this.sequence = sequence;
        this.refreshHint = refreshHint;
        this.otherSvidKids = Map.copyOf(otherSvidKids);
        Set<String> seen = new HashSet<>();
        int h = 31 * trustDomain.hashCode() + (isSpiffe() ? 1 : 0);
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
     * Reads a JWKS ({@code {"keys":[...]}}), a single public JWK, or a SPIFFE bundle, telling them
     * apart by content (ALG-2): a document with a {@code spiffe_sequence} or {@code spiffe_refresh_hint}
     * member, or with a key whose {@code use} ends with {@code -svid} ({@code wit-svid},
     * {@code jwt-svid}, {@code x509-svid}), is read as {@link #fromSpiffeBundle}; any other as a plain
     * JWKS through {@link TrustedKey#fromJwks}, where keys with {@code use} other than {@code sig}
     * are skipped, and private members, symmetric keys, off-curve points, an {@code alg} that does not
     * fit its key, no usable key and two keys of one algorithm sharing a {@code kid} are rejected with
     * {@link Reason#INVALID_KEY}, an {@code alg} wimse4j does not know (compared case-sensitively:
     * {@code EdDSA} and {@code Ed25519} are known, ALG-1) with {@link Reason#UNSUPPORTED_ALG}. A go-spiffe
     * WIT bundle without {@code use} members reads as a plain JWKS here ({@code kid} optional);
     * {@link #fromWitBundle} reads it with go-spiffe's rules.
     */
    public static TrustBundle fromJwks(TrustDomain trustDomain, String json) throws WimseException {
        return read(trustDomain, json, null);
    }

    /**
     * Reads a SPIFFE bundle (ALG-2; SPIFFE Trust Domain and Bundle, section 4; WIT-SVID, section 6) as
     * the WIT trust anchors of {@code trustDomain}: the entries with {@code "use": "wit-svid"} are the
     * WIT keys, each needing a {@code kid}; {@code x509-svid} and {@code jwt-svid} entries, entries
     * without {@code use} and entries of unknown use or key type are ignored, so a JWT-SVID key never
     * verifies a WIT. {@code keys} is required; no two SVID entries may share a {@code kid};
     * {@code spiffe_sequence} and {@code spiffe_refresh_hint}, when present, must be JSON integers
     * from 0 to 2^63-1. A bundle without any WIT key loads and verifies no WIT. Refusals:
     * {@link Reason#INVALID_KEY} (or {@link Reason#INVALID_JSON} for text that is not strict JSON).
     */
    public static TrustBundle fromSpiffeBundle(TrustDomain trustDomain, String json) throws WimseException {
        return read(trustDomain, json, Format.SPIFFE_BUNDLE);
    }

    /**
     * Reads a WIT bundle as go-spiffe's {@code witbundle} package writes it (ALG-2): a JWKS whose
     * keys are all WIT-SVID keys, so a key without {@code use} is a WIT key too; every WIT key needs a
     * {@code kid} ({@link Reason#INVALID_KEY} otherwise, as go-spiffe refuses such a bundle); keys
     * with another {@code use} ({@code jwt-svid}...) are ignored. Otherwise as {@link #fromSpiffeBundle}.
     */
    public static TrustBundle fromWitBundle(TrustDomain trustDomain, String json) throws WimseException {
        return read(trustDomain, json, Format.WIT_BUNDLE);
    }

    private static TrustBundle read(TrustDomain trustDomain, String json, Format format) throws WimseException {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(json, "json");
        BundleDocument.Parsed p = BundleDocument.read(json, format);
        try {
            return new TrustBundle(trustDomain, p.keys(), p.format(), p.sequence(), p.refreshHint(), p.otherSvidKids());
        } catch (IllegalArgumentException e) {
            throw new WimseException(Reason.INVALID_KEY, BundleDocument.describe(p.format()) + " " + e.getMessage());
        }
    }

    /** The trust domain these anchors belong to. */
    public TrustDomain trustDomain() {
        return trustDomain;
    }

    /** All keys (from a SPIFFE or WIT bundle: its WIT keys only; possibly none). */
    public List<TrustedKey> keys() {
        return keys;
    }

    /** The kind of document the bundle was read from ({@link Format#KEYS} when built with {@link #of}). */
    public Format format() {
        return format;
    }

    /**
     * True when the keys came from {@code wit-svid} entries: the bundle was read as a
     * {@link Format#SPIFFE_BUNDLE} or a {@link Format#WIT_BUNDLE} (ALG-2).
     */
    public boolean isSpiffe() {
        return format == Format.SPIFFE_BUNDLE || format == Format.WIT_BUNDLE;
    }

    /**
     * The SPIFFE bundle's {@code spiffe_sequence} (ALG-2; SPIFFE Trust Domain and Bundle 4.1.1), which
     * grows whenever the publisher changes the bundle; empty when absent or not a SPIFFE bundle.
     */
    public OptionalLong spiffeSequence() {
        return sequence;
    }

    /**
     * The SPIFFE bundle's {@code spiffe_refresh_hint} (ALG-2; SPIFFE Trust Domain and Bundle 4.1.2):
     * how often the publisher suggests checking for a new bundle; empty when absent or not a SPIFFE bundle.
     */
    public Optional<Duration> spiffeRefreshHint() {
        return refreshHint;
    }

    /**
     * The key that may have signed a token with {@code alg} and optional {@code kid} (C2-1): see
     * {@link TrustedKey#select}. A {@code kid} that names a SPIFFE bundle's {@code jwt-svid} or
     * {@code x509-svid} entry selects nothing ({@link Reason#UNKNOWN_KEY}, ALG-2), and neither does
     * anything in a SPIFFE bundle without WIT keys.
     */
    public List<SignatureVerifier> select(JwsAlgorithm alg, Optional<String> kid, boolean requireKid) throws WimseException {
        String owner = "trust domain " + trustDomain;
        if (keys.isEmpty() && !(kid.isEmpty() && requireKid)) {
            throw new WimseException(Reason.UNKNOWN_KEY, owner + " has no WIT key: " + BundleDocument.describe(format)
                    + " holds no " + BundleDocument.WIT_SVID + " entry (ALG-2)");
        }
        try {
            return TrustedKey.select(keys, alg, kid, requireKid, owner);
        } catch (WimseException e) {
            String use = kid.map(otherSvidKids::get).orElse(null);
            if (e.reason() != Reason.UNKNOWN_KEY || use == null) {
                throw e;
            }
            throw new WimseException(Reason.UNKNOWN_KEY, e.detail() + ": the token's 'kid' names a " + use
                    + " entry of " + BundleDocument.describe(format) + ", which never verifies a WIT (ALG-2)");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof TrustBundle other) || other.hash != hash || !other.trustDomain.equals(trustDomain)
                || other.isSpiffe() != isSpiffe() || other.keys.size() != keys.size()) {
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
        return "TrustBundle[" + trustDomain + ", " + keys.size() + " keys" + (format == Format.KEYS || format == Format.JWKS
                ? "" : ", " + format + sequence.stream().mapToObj(n -> " #" + n).findFirst().orElse("")) + "]";
    }
}
