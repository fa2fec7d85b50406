package io.wimse4j.core.wit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsVerifier;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.VerifiedJws;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Workload Identity Tokens (WIT-1..WIT-11, ID-3). The signing key comes from the trust
 * bundle of the trust domain in {@code sub}, chosen by {@code kid}, never from the token; a WIT
 * signed by another trust domain's key therefore fails. Verified WITs are cached by token (bounded,
 * never past {@code exp}, dropped when the trust bundle changes), so a WIT seen before costs a map
 * lookup; the confirmation keys of verified WITs are kept apart, by key material (bounded), so a WIT
 * that is not cached but whose key is skips parsing and preparing the key. Opt-in stricter rules,
 * e.g. the SPIFFE WIT-SVID's (ALG-2): {@link Builder#profile}. Immutable and thread-safe; build it with {@link #builder()}.
 * {@code sub} is validated (canonical form only) before its trust domain selects a bundle (ID3-2): an
 * invalid one is refused with {@link Reason#INVALID_IDENTIFIER} and the trust source is never asked.
 */
public final class WitVerifier {
    /** Media type suffix of a WIT (WIT-2). */
    public static final String TYP = "wit+jwt";
    /**
     * The default proof algorithms ({@code cnf.jwk.alg}): ES256, ES384 and Ed25519 under both of its
     * names, EdDSA and Ed25519 (ALG-1); RSA is opt-in.
     */
    public static final Set<JwsAlgorithm> DEFAULT_PROOF_ALGORITHMS =
            Set.copyOf(EnumSet.of(JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.EdDSA, JwsAlgorithm.Ed25519));
    /** Default number of verified WITs cached ({@link Builder#cacheSize(int)}). */
    private static final int DEFAULT_CACHE_SIZE = 10_000;
    /** Default number of prepared confirmation keys kept ({@link Builder#keyCacheSize(int)}). */
    private static final int DEFAULT_KEY_CACHE_SIZE = 10_000;
    /** Largest configurable maximum WIT lifetime. */
    public static final Duration MAX_LIFETIME_CAP = Duration.ofDays(7);

    private final TrustBundleSource trust;
    private final Clock clock;
    private final Duration leeway;
    private final Set<String> allowedIssuers;
    private final Set<JwsAlgorithm> proofAlgorithms;
    private final int maxTokenLength;
    /** Verified WITs by token; {@code null} when caching is off. */
    private final WitCache cache;
    private final ProofKeys proofKeys;
    private final boolean requireKid;
    private final IdentifierSyntax identifierSyntax;
    private final WitProfile profile;
    private final JwsVerifier jwsVerifier;

    private WitVerifier(Builder b) {
        this.trust = b.trust;
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.allowedIssuers = Set.copyOf(b.allowedIssuers);
        this.profile = b.profile;
        this.proofAlgorithms = b.profile.restrict(b.proofAlgorithms, "proofAlgorithms");
        this.maxTokenLength = b.maxTokenLength;
        this.requireKid = b.profile != WitProfile.WIMSE || b.requireKid;
        this.identifierSyntax = b.identifierSyntax;
        ClaimsValidator.Builder claims = ClaimsValidator.builder().clock(b.clock).leeway(b.leeway)
                .maxLifetime(b.maxLifetime);
        if (profile == WitProfile.WIMSE) {
            claims.expectAudienceIfPresent(b.audiences);
        } else {
            claims.ignoreAudience(); // the profile refuses any 'aud' with its own reason
        }
        if (allowedIssuers.isEmpty()) {
            claims.ignoreIssuer();
        } else {
            claims.expectIssuers(allowedIssuers);
        }
        this.jwsVerifier = JwsVerifier.builder().label("WIT").type(TYP)
                .algorithms(b.profile.restrict(b.algorithms, "algorithms"))
                .maxTokenLength(b.maxTokenLength).claims(claims.build()).build();
        this.proofKeys = new ProofKeys(b.keyCacheSize);
        this.cache = b.cacheSize == 0 ? null : new WitCache(b.cacheSize, clock, MAX_LIFETIME_CAP);
    }

    /** A new builder; {@link Builder#trust(TrustBundleSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True when {@code token}'s JOSE header declares a WIT: {@code typ} {@code wit+jwt} in any case,
     * with or without {@code application/} (WIT-2), whether or not the token verifies. Used to refuse
     * a WIT wherever a bearer token is read (WIT-9). Only the header part is decoded (strictly): it
     * is covered by the signature and cannot be altered, whereas the signature part can be
     * re-encoded (padding, foreign characters, non-canonical trailing bits) into a token that
     * lenient JOSE libraries still verify but a strict parse of the whole token rejects.
     */
    public static boolean declaresWitType(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || dot > CompactJws.DEFAULT_MAX_TOKEN_LENGTH) {
            return false;
        }
        ObjectNode header;
        try {
            header = StrictJson.parseObject(Base64Url.decode(token, 0, dot), "JOSE header");
        } catch (WimseException notAJoseHeader) {
            return false;
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual()) {
            return false;
        }
        String t = typ.textValue().toLowerCase(Locale.ROOT);
        return t.equals(TYP) || t.equals("application/" + TYP);
    }

    /**
     * Verifies {@code token}. The result carries the token's hash ({@link VerifiedWit#tokenHash()}),
     * which a proof's {@code wth} must equal.
     */
    public VerifiedWit verify(String token) throws WimseException {
        if (token == null || token.isEmpty()) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "WIT is empty");
        }
        if (token.length() > maxTokenLength) {
            throw new WimseException(Reason.TOKEN_TOO_LARGE, "WIT is longer than " + maxTokenLength + " characters");
        }
        Instant now = clock.instant();
        if (cache != null) {
            // keyed by the token itself: a hit costs its String hash and one comparison, no digest
            VerifiedWit hit = cache.get(token);
            if (hit != null && stillValid(hit, now)) {
                return hit;
            }
        }
        VerifiedWit wit = verifyUncached(token, Hashes.tokenHash(token), now);
        if (cache != null) {
            cache.put(wit);
        }
        return wit;
    }

    private boolean stillValid(VerifiedWit wit, Instant now) {
        if (!now.isBefore(wit.expiredAt)) {
            return false; // C2-5: expired at exactly exp + leeway
        }
        TrustBundle current = trust.bundleFor(wit.trustDomain()).orElse(null);
        // equal keys, not the same object: a source that rebuilds an unchanged bundle keeps the cache hot
        return wit.verifiedWith.equals(current);
    }

    private VerifiedWit verifyUncached(String token, String tokenHash, Instant now) throws WimseException {
        WitKeys keys = new WitKeys(trust, identifierSyntax, profile, requireKid);
        VerifiedJws jws = jwsVerifier.verify(token, now, keys);
        JwtClaims claims = jws.claims();
        WorkloadIdentifier subject = keys.subject(); // the key source ran: the signature verified with its bundle
        Optional<String> iss = claims.string("iss");
        Optional<String> jti = claims.jwtId();
        Optional<Instant> iat = claims.time("iat");

        JwtClaims cnfJwk = ProofKeys.cnfJwk(claims);
        String cnfAlgName = cnfJwk.string("alg").orElseThrow(() ->
                new WimseException(Reason.INVALID_CNF_KEY, "WIT 'cnf.jwk' has no 'alg' (WIT-8)"));
        JwsAlgorithm cnfAlg = JwsAlgorithm.fromJwaName(cnfAlgName).filter(proofAlgorithms::contains).orElseThrow(() ->
                new WimseException(Reason.UNSUPPORTED_ALG, "WIT 'cnf.jwk.alg' " + cnfAlgName + " is not accepted"));
        ProofKeys.Prepared key = proofKeys.prepare(cnfJwk, cnfAlg, cnfAlgName);
        return new VerifiedWit(token, tokenHash, subject, iss, jti, iat, jws.expiresAt(), jws.expiresAt().plus(leeway),
                key.jwk(), cnfAlgName, key.verifier(), claims, keys.bundle());
    }

    /** The prepared confirmation keys (for tests). */
    ProofKeys proofKeys() {
        return proofKeys;
    }

    /** The clock this verifier reads. */
    public Clock clock() {
        return clock;
    }

    /** The leeway applied to time checks. */
    public Duration leeway() {
        return leeway;
    }

    /** The longest token accepted, in characters. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** How {@code sub} is read (ID3-5: whether its trust domain may be an IP address). */
    public IdentifierSyntax identifierSyntax() {
        return identifierSyntax;
    }

    /** The profile whose rules this verifier applies on top of the WIT's (ALG-2). */
    public WitProfile profile() {
        return profile;
    }

    /** Builder for {@link WitVerifier}; strict by default. */
    public static final class Builder {
        private TrustBundleSource trust;
        private Clock clock = Clock.systemUTC();
        private Duration leeway = Duration.ofSeconds(60);
        private Set<String> allowedIssuers = Set.of();
        private Set<JwsAlgorithm> algorithms = EnumSet.allOf(JwsAlgorithm.class);
        private Set<JwsAlgorithm> proofAlgorithms = DEFAULT_PROOF_ALGORITHMS;
        private WitProfile profile = WitProfile.WIMSE;
        private int maxTokenLength = CompactJws.DEFAULT_MAX_TOKEN_LENGTH;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private int keyCacheSize = DEFAULT_KEY_CACHE_SIZE;
        private Set<String> audiences = Set.of();
        private boolean requireKid;
        private IdentifierSyntax identifierSyntax = IdentifierSyntax.STRICT;
        private Duration maxLifetime = Duration.ofHours(24);

        private Builder() {
        }

        /** Longest acceptable remaining WIT lifetime, 1 min to 7 days (default 24 h; WIT-5: hours). */
        public Builder maxLifetime(Duration max) {
            Objects.requireNonNull(max, "max");
            if (max.compareTo(Duration.ofMinutes(1)) < 0 || max.compareTo(MAX_LIFETIME_CAP) > 0) {
                throw new IllegalArgumentException("maximum WIT lifetime must be between 1 min and 7 days");
            }
            this.maxLifetime = max;
            return this;
        }

        /** Where trust bundles come from (required). */
        public Builder trust(TrustBundleSource trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Allowed clock skew, 0 to 5 minutes (default 60 s). */
        public Builder leeway(Duration leeway) {
            this.leeway = ClaimsValidator.checkLeeway(leeway);
            return this;
        }

        /** When non-empty, {@code iss} is required and must be one of these (WIT-3). */
        public Builder allowedIssuers(Set<String> issuers) {
            this.allowedIssuers = Set.copyOf(issuers);
            return this;
        }

        /** Algorithms accepted for the WIT signature (default: all of {@link JwsAlgorithm}). */
        public Builder algorithms(Set<JwsAlgorithm> algorithms) {
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("at least one algorithm is required");
            }
            this.algorithms = EnumSet.copyOf(algorithms);
            return this;
        }

        /**
         * The audiences this recipient answers to as a WIT {@code aud} (C2-5): a WIT without
         * {@code aud} is accepted, one with {@code aud} only when it names one of these (default:
         * none, so any WIT carrying {@code aud} is refused with {@link Reason#AUDIENCE_MISMATCH}).
         */
        public Builder audiences(Set<String> audiences) {
            this.audiences = Set.copyOf(audiences);
            return this;
        }

        /**
         * Requires every WIT to carry {@code kid} ({@link Reason#KID_REQUIRED}), as the SPIFFE
         * WIT-SVID profile does. Default: a WIT without {@code kid} is accepted only when its trust
         * domain holds exactly one key for its {@code alg} (C2-1, {@link Reason#AMBIGUOUS_KEY}).
         * {@link WitProfile#SPIFFE_WIT_SVID} requires {@code kid} whatever this says.
         */
        public Builder requireKid(boolean require) {
            this.requireKid = require;
            return this;
        }

        /**
         * How {@code sub} is read (default {@link IdentifierSyntax#STRICT}: a trust domain that is an IP
         * address is refused, {@link Reason#INVALID_IDENTIFIER}). {@link IdentifierSyntax#LEGACY_IP_TRUST_DOMAINS}
         * accepts canonical IPv4 ones ({@code wimse://10.0.0.1/svc}), ID3-5's legacy opt-in.
         */
        public Builder identifierSyntax(IdentifierSyntax syntax) {
            this.identifierSyntax = Objects.requireNonNull(syntax, "syntax");
            return this;
        }

        /**
         * The profile whose rules apply on top of the WIT's (default {@link WitProfile#WIMSE}), e.g.
         * {@link WitProfile#SPIFFE_WIT_SVID} (ALG-2). That profile requires {@code kid} whatever
         * {@link #requireKid} says and narrows {@link #algorithms} and {@link #proofAlgorithms} to those
         * it allows ({@link WitProfile#algorithms()}); {@link #build()} refuses it with non-empty
         * {@link #audiences} (a WIT-SVID carries no {@code aud}) and with algorithm settings of which
         * the profile allows none.
         */
        public Builder profile(WitProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * Algorithms accepted for {@code cnf.jwk.alg}, i.e. for proofs (default:
         * {@link #DEFAULT_PROOF_ALGORITHMS}; RSA proofs are opt-in). The two names of Ed25519 are
         * listed separately (ALG-1): a set with {@link JwsAlgorithm#EdDSA} but not
         * {@link JwsAlgorithm#Ed25519} refuses a WIT whose {@code cnf.jwk.alg} is {@code Ed25519}
         * ({@link Reason#UNSUPPORTED_ALG}), and the other way round.
         */
        public Builder proofAlgorithms(Set<JwsAlgorithm> algorithms) {
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("at least one algorithm is required");
            }
            this.proofAlgorithms = EnumSet.copyOf(algorithms);
            return this;
        }

        /** Longest WIT accepted, in characters (default 8192, at least 256). */
        public Builder maxTokenLength(int max) {
            if (max < 256 || max > 1 << 20) {
                throw new IllegalArgumentException("maxTokenLength must be between 256 and 1048576");
            }
            this.maxTokenLength = max;
            return this;
        }

        /**
         * How many verified WITs to cache (default 10000; 0 disables the cache).
         *
         * <p><b>Memory</b> (measured with JOL 0.17 on JDK 17, compressed references, WITs of about
         * 600 characters whose keys have verified a few proofs): an entry, with its confirmation key,
         * takes about 3.3 KB with an EdDSA key and about 11.4 KB with an ES256 key, 8 KB of which is
         * the precomputation BouncyCastle keeps on a reused P-256 key (what makes verifying with it
         * about twice as fast as with a new key). A full default cache thus holds about 33 MB
         * (EdDSA) or 114 MB (ES256); longer WITs add their length in bytes.
         *
         * <p><b>Sizing.</b> A calling workload instance holds one live WIT, two while it renews, so
         * about twice the number of calling instances keeps every request after the first of a WIT a
         * hit; 10000 covers about 5000 calling instances. A miss verifies the WIT's signature and
         * reads its claims; its key comes from the {@linkplain #keyCacheSize(int) key cache} when it
         * is there.
         */
        public Builder cacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("cacheSize must not be negative");
            }
            this.cacheSize = size;
            return this;
        }

        /**
         * How many prepared confirmation keys ({@code cnf.jwk}, WIT-7) to keep, by key material,
         * independently of the WIT cache (default 10000; 0 prepares every key
         * anew). A WIT that is not cached but whose key is (a renewed WIT with the same key, one
         * the WIT cache dropped) reuses the parsed key and BouncyCastle's precomputation on it. Only
         * keys of WITs whose signature verified are kept.
         *
         * <p><b>Memory</b> (measured as for {@link #cacheSize(int)}): a key that a cached WIT also
         * holds adds about 0.25 KB; one whose WIT is no longer cached takes about 1.3 KB (EdDSA) or
         * 9.3 KB (ES256, mostly BouncyCastle's precomputation).
         */
        public Builder keyCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("keyCacheSize must not be negative");
            }
            this.keyCacheSize = size;
            return this;
        }

        /** Builds the verifier. */
        public WitVerifier build() {
            if (trust == null) {
                throw new IllegalStateException("trust(...) is required");
            }
            if (profile != WitProfile.WIMSE && !audiences.isEmpty()) {
                throw new IllegalStateException("the " + profile + " profile refuses any WIT 'aud': audiences(...) contradict it");
            }
            return new WitVerifier(this);
        }
    }
}
