package io.wimse4j.core.request;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.internal.ObservedVerification;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitProfile;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.VerifiedWpt;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.core.wpt.WptVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The receiving workload's single entry point (V-1..V-14): takes the request's method, target URI
 * and every header value and returns the {@link VerifiedCaller}, or throws a
 * {@link WimseException} whose {@link Reason} maps to an RFC 9457 problem (V-14).
 *
 * <p>Order: exactly one WIT and one WPT header (V-1), no WIT used as a bearer token (WIT-9), the
 * WIT (cached by hash), the WPT against it (V-2..V-5, V-7, V-8), the audience (V-6), the
 * access-token, Txn-Token and other-token bindings (V-10..V-13), and last the replay check (V-9),
 * so a rejected proof never consumes its {@code jti}. Immutable and thread-safe; build it with
 * {@link #builder()}. Strict by default: replay protection on, audience = the target URI.
 */
public final class RequestVerifier {
    private final WitVerifier witVerifier;
    private final WptVerifier wptVerifier;
    private final Clock clock;
    private final Duration leeway;
    private final AudienceCheck audiences;
    private final OthPolicy othPolicy;
    private final ReplayCache replayCache;
    private final int maxTokenLength;
    private final ProofTransports transports;
    /** Null when none: {@link #verify} then reads no clock for it. */
    private final WimseObserver observer;

    private RequestVerifier(Builder b) {
        this.observer = WimseObserver.isNone(b.observer) ? null : WimseObserver.guarded(b.observer);
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.maxTokenLength = b.maxTokenLength;
        this.witVerifier = WitVerifier.builder().trust(b.trust).clock(b.clock).leeway(b.leeway)
                .allowedIssuers(b.allowedIssuers).algorithms(b.witAlgorithms).proofAlgorithms(b.proofAlgorithms)
                .maxTokenLength(b.maxTokenLength).cacheSize(b.witCacheSize).keyCacheSize(b.witKeyCacheSize).maxLifetime(b.maxWitLifetime)
                .audiences(b.witAudiences).requireKid(b.requireKid).identifierSyntax(b.identifierSyntax).profile(b.witProfile).build();
        this.wptVerifier = new WptVerifier(b.leeway, b.maxProofLifetime, b.maxTokenLength);
        this.audiences = new AudienceCheck(b.audiences, b.acceptTargetUri);
        this.othPolicy = b.othPolicy;
        this.transports = new ProofTransports(b.transports, b.maxTokenLength);
        this.replayCache = b.replayCache != null ? b.replayCache
                : b.replayProtection ? InMemoryReplayCache.builder().clock(b.clock).build() : null;
    }

    /** A new builder; {@link Builder#trust(TrustBundleSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the request described by {@code facts}. A failure under the wpt-02 transport that is a
     * {@linkplain Reason#isCredentialFailure() credential failure} carries the challenge {@code WPT}
     * ({@link WimseException#httpStatus()} 401, P2-4); every other failure keeps its reason's status.
     * The {@linkplain Builder#observer observer} is told the result ({@link CredentialKind#WPT}).
     */
    public VerifiedCaller verify(HttpRequestFacts facts) throws WimseException {
        if (observer == null) {
            return verifyAnswering(facts);
        }
        return ObservedVerification.run(observer, CredentialKind.WPT, () -> verifyAnswering(facts));
    }

    private VerifiedCaller verifyAnswering(HttpRequestFacts facts) throws WimseException {
        WptTransport transport = transports.answering(facts);
        try {
            return verify(facts, transport);
        } catch (WimseException e) {
            throw ProofTransports.answer(e, transport);
        }
    }

    private VerifiedCaller verify(HttpRequestFacts facts, WptTransport transport) throws WimseException {
        String wit = exactlyOne(facts, WimseHeaders.WORKLOAD_IDENTITY_TOKEN, Reason.MISSING_WIT);
        ProofTransports.Presented presented = transports.presented(facts, transport, wit);
        String wpt = presented.wpt();
        if (wit.length() > maxTokenLength || wpt.length() > maxTokenLength) {
            throw new WimseException(Reason.TOKEN_TOO_LARGE, "a WIMSE token is longer than " + maxTokenLength + " characters");
        }
        List<String> txn = facts.values(WimseHeaders.TXN_TOKEN);
        if (txn.size() > 1) {
            throw new WimseException(Reason.REPEATED_HEADER, "header 'Txn-Token' is repeated");
        }

        VerifiedWit verifiedWit = witVerifier.verify(wit);
        Instant now = clock.instant();
        VerifiedWpt proof = wptVerifier.verify(wpt, verifiedWit, now);

        audiences.check(proof.audience(), facts.targetUri());
        if (transport == WptTransport.AUTHORIZATION && proof.accessTokenHash().isPresent()) {
            throw new WimseException(Reason.ATH_MISMATCH,
                    "WPT 'ath' binds an access token, which a request with 'Authorization: WPT' cannot carry (P2-3)");
        }
        boolean athBound = Bindings.check(proof.accessTokenHash(), presented.accessToken(), Reason.ATH_MISSING, Reason.ATH_MISMATCH, "access token", "ath");
        boolean tthBound = Bindings.check(proof.txnTokenHash(), txn.isEmpty() ? null : txn.get(0), Reason.TTH_MISSING, Reason.TTH_MISMATCH, "Txn-Token", "tth");
        Set<String> bound = Bindings.otherTokens(othPolicy, proof.otherTokenHashes(), facts);

        if (replayCache != null) {
            Instant keepUntil = proof.expiresAt().plus(leeway);
            // expired since the checks above (a slow request): refused as such, not offered to the
            // cache, which refuses an entry that could no longer be told from a replay (C2-5)
            if (!clock.instant().isBefore(keepUntil)) {
                throw new WimseException(Reason.EXPIRED, "WPT expired while the request was being verified");
            }
            if (!replayCache.firstUse(ReplayKey.of(verifiedWit.subject(), proof.jwtId()), keepUntil)) {
                throw new WimseException(Reason.REPLAY, "WPT 'jti' was already used by " + verifiedWit.subject());
            }
            // A replay cache may already have dropped the first use's entry if the proof expired while
            // this request was being checked: re-read the clock so that such a proof is refused.
            if (!clock.instant().isBefore(keepUntil)) { // C2-5
                throw new WimseException(Reason.EXPIRED, "WPT expired while the request was being verified");
            }
        }
        return new VerifiedCaller(verifiedWit, proof, transport, athBound, tthBound, bound);
    }

    private static String exactlyOne(HttpRequestFacts facts, String header, Reason missing) throws WimseException {
        List<String> values = facts.values(header);
        if (values.isEmpty()) {
            throw new WimseException(missing, "the request has no '" + header + "' header");
        }
        if (values.size() > 1) {
            throw new WimseException(Reason.REPEATED_HEADER, "header '" + header + "' appears " + values.size() + " times");
        }
        return values.get(0);
    }

    /** The WPT transports this verifier accepts (both by default). */
    public Set<WptTransport> transports() {
        return transports.accepted();
    }

    /** Builder for {@link RequestVerifier}. */
    public static final class Builder {
        private TrustBundleSource trust;
        private Clock clock = Clock.systemUTC();
        private Duration leeway = Duration.ofSeconds(60);
        private Duration maxProofLifetime = Duration.ofSeconds(300);
        private boolean acceptTargetUri = true;
        private final Set<String> audiences = new LinkedHashSet<>();
        private OthPolicy othPolicy = OthPolicy.none();
        private ReplayCache replayCache;
        private boolean replayProtection = true;
        private Set<String> allowedIssuers = Set.of();
        private Set<JwsAlgorithm> witAlgorithms = EnumSet.allOf(JwsAlgorithm.class);
        private Set<JwsAlgorithm> proofAlgorithms = WitVerifier.DEFAULT_PROOF_ALGORITHMS;
        private Set<String> witAudiences = Set.of();
        private boolean requireKid;
        private int maxTokenLength = CompactJws.DEFAULT_MAX_TOKEN_LENGTH;
        private int witCacheSize = 10_000;
        private int witKeyCacheSize = 10_000;
        private Duration maxWitLifetime = Duration.ofHours(24);
        private Set<WptTransport> transports = EnumSet.allOf(WptTransport.class);
        private IdentifierSyntax identifierSyntax = IdentifierSyntax.STRICT;
        private WitProfile witProfile = WitProfile.WIMSE;
        private WimseObserver observer = WimseObserver.none();

        private Builder() {
        }

        /**
         * Told of every verification: accepted, or refused with its {@link Reason}, and its time
         * (default {@link WimseObserver#none()}, which costs nothing); called guarded, on the request thread.
         */
        public Builder observer(WimseObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * The WPT transports accepted (default both): {@link WptTransport#WORKLOAD_PROOF_TOKEN}, the seed
         * drafts' header, and {@link WptTransport#AUTHORIZATION}, wpt-02's {@code Authorization: WPT}
         * (P2-1). A request using both at once is always refused ({@link Reason#TWO_PROOF_TRANSPORTS}); one
         * using a transport not listed here is refused with {@link Reason#PROOF_TRANSPORT_NOT_ACCEPTED}.
         */
        public Builder transports(Set<WptTransport> transports) {
            if (transports.isEmpty()) {
                throw new IllegalArgumentException("at least one WPT transport is required");
            }
            this.transports = EnumSet.copyOf(transports);
            return this;
        }

        /** Longest acceptable remaining WIT lifetime, 1 min to 7 days (default 24 h, WIT-5). */
        public Builder maxWitLifetime(Duration max) {
            this.maxWitLifetime = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The trust anchors per trust domain (required, ID-3). */
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

        /** Longest acceptable proof lifetime, 1 s to 1 h (default 300 s, V-7). */
        public Builder maxProofLifetime(Duration max) {
            Objects.requireNonNull(max, "max");
            if (max.compareTo(Duration.ofSeconds(1)) < 0 || max.compareTo(WptVerifier.MAX_MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("maximum proof lifetime must be between 1 s and 1 h");
            }
            this.maxProofLifetime = max;
            return this;
        }

        /**
         * Accepts {@code audience} as a WPT {@code aud} (V-6): one of the service's own configured
         * external URIs or an agreed alias. Never derive it from {@code Host} or
         * {@code X-Forwarded-Host}.
         */
        public Builder audience(String audience) {
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("audience must not be blank");
            }
            this.audiences.add(audience);
            return this;
        }

        /**
         * Whether {@code aud} may equal the request's target URI (default true). Turn it off to
         * accept only the configured {@link #audience(String)} values.
         */
        public Builder acceptTargetUri(boolean accept) {
            this.acceptTargetUri = accept;
            return this;
        }

        /** The {@code oth} profile (default: none understood). */
        public Builder othPolicy(OthPolicy policy) {
            this.othPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The replay cache (default: a bounded in-memory cache, V-9). */
        public Builder replayCache(ReplayCache cache) {
            this.replayCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Turns replay detection off (V-9 only RECOMMENDS it). Contradicts {@link #replayCache}. */
        public Builder disableReplayProtection() {
            this.replayProtection = false;
            return this;
        }

        /** When non-empty, a WIT must carry one of these {@code iss} values (WIT-3). */
        public Builder allowedIssuers(Set<String> issuers) {
            this.allowedIssuers = Set.copyOf(issuers);
            return this;
        }

        /** Algorithms accepted for WIT signatures (default: all of {@link JwsAlgorithm}). */
        public Builder witAlgorithms(Set<JwsAlgorithm> algorithms) {
            this.witAlgorithms = EnumSet.copyOf(algorithms);
            return this;
        }

        /**
         * The audiences this service answers to as a WIT {@code aud} (C2-5): a WIT without
         * {@code aud} is accepted; one with {@code aud} only when it names one of these (default
         * none: a WIT carrying {@code aud} is refused, {@link Reason#AUDIENCE_MISMATCH}).
         */
        public Builder witAudiences(Set<String> audiences) {
            this.witAudiences = Set.copyOf(audiences);
            return this;
        }

        /**
         * How the WIT's {@code sub} is read (default {@link IdentifierSyntax#STRICT}, identifier-03);
         * {@link IdentifierSyntax#LEGACY_IP_TRUST_DOMAINS} is the explicit opt-in for IP addresses as
         * trust domains (ID3-5). See {@link WitVerifier.Builder#identifierSyntax(IdentifierSyntax)}.
         */
        public Builder identifierSyntax(IdentifierSyntax syntax) {
            this.identifierSyntax = Objects.requireNonNull(syntax, "syntax");
            return this;
        }

        /**
         * The WIT profile (default {@link WitProfile#WIMSE}); {@link WitProfile#SPIFFE_WIT_SVID} applies
         * the SPIFFE WIT-SVID's stricter rules (ALG-2). See {@link WitVerifier.Builder#profile(WitProfile)}.
         */
        public Builder witProfile(WitProfile profile) {
            this.witProfile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** Requires every WIT to carry {@code kid} (C2-1; the SPIFFE WIT-SVID profile). Default false. */
        public Builder requireKid(boolean require) {
            this.requireKid = require;
            return this;
        }

        /**
         * Algorithms accepted for proofs, i.e. for {@code cnf.jwk.alg} (default
         * {@link WitVerifier#DEFAULT_PROOF_ALGORITHMS}: ES256, ES384, EdDSA, Ed25519 (ALG-1); RSA proofs are opt-in).
         */
        public Builder proofAlgorithms(Set<JwsAlgorithm> algorithms) {
            this.proofAlgorithms = EnumSet.copyOf(algorithms);
            return this;
        }

        /** Longest WIT or WPT accepted, in characters (default 8192). */
        public Builder maxTokenLength(int max) {
            this.maxTokenLength = max;
            return this;
        }

        /**
         * How many verified WITs to cache (default 10000; 0 disables);
         * see {@link WitVerifier.Builder#cacheSize(int)} for the memory an entry takes.
         */
        public Builder witCacheSize(int size) {
            this.witCacheSize = size;
            return this;
        }

        /**
         * How many prepared WIT confirmation keys to keep by key material, apart from the WIT cache
         * (default 10000; 0 disables); see
         * {@link WitVerifier.Builder#keyCacheSize(int)}.
         */
        public Builder witKeyCacheSize(int size) {
            this.witKeyCacheSize = size;
            return this;
        }

        /** Builds the verifier, rejecting contradictory settings. */
        public RequestVerifier build() {
            if (trust == null) {
                throw new IllegalStateException("trust(...) is required");
            }
            if (!acceptTargetUri && audiences.isEmpty()) {
                throw new IllegalStateException("with acceptTargetUri(false) at least one audience(...) is required");
            }
            if (!replayProtection && replayCache != null) {
                throw new IllegalStateException("disableReplayProtection() contradicts replayCache(...)");
            }
            if (witAlgorithms.isEmpty() || proofAlgorithms.isEmpty()) {
                throw new IllegalStateException("at least one algorithm is required");
            }
            return new RequestVerifier(this);
        }
    }
}
