package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierResolver;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.internal.ObservedVerification;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.httpsig.internal.Checks;
import io.wimse4j.httpsig.internal.Coverage;
import io.wimse4j.httpsig.internal.SignatureBase;
import io.wimse4j.httpsig.internal.SignedBody;
import io.wimse4j.httpsig.internal.SignerKey;
import io.wimse4j.httpsig.internal.TaggedSignature;
import io.wimse4j.httpsig.internal.Wits;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The receiving side of draft-ietf-wimse-http-signature (RFC 9421 profile): verifies a signed request
 * and returns the {@link VerifiedSignedRequest}, or a signed response and returns the
 * {@link VerifiedSignedResponse}; every failure is a {@link WimseException} with its own
 * {@link Reason}, answered 400 (HS-9).
 *
 * <p>Order (HS-7: the WIT before the signature, nothing of the message used before both): the one
 * signature tagged {@value HttpSignatures#TAG} (HS-2), its parameters ({@code keyid}/{@code alg}
 * refused, HS-1; {@code created}, {@code expires}, {@code nonce}, on requests {@code wimse-aud},
 * HS-4), exactly one WIT, verified; the times with the WIT verifier's leeway and the maximum lifetime;
 * {@code wimse-aud} against the configured audiences, never {@code Host} (HS-4); the covered set (HS-3,
 * HS-6); with a body a {@code Content-Digest} (HS-5); the signature with the WIT's {@code cnf} key and
 * {@code cnf.jwk.alg} (HS-1); the body against the digest (HS-5); last the nonce through the replay
 * cache, per sender (HS-8), so that a refused message never consumes a nonce. Immutable and thread-safe.
 */
public final class HttpSignatureVerifier {
    /** Longest {@link Builder#maxSignatureLifetime(Duration)}. */
    public static final Duration MAX_MAX_LIFETIME = Duration.ofHours(1);

    private final WitVerifier witVerifier;
    private final Clock clock;
    private final Duration leeway;
    private final Duration maxLifetime;
    private final Set<String> audiences;
    private final boolean acceptTargetUri;
    private final NonceCheck nonces;
    private final WimseObserver observer;
    private final Set<SignatureProfile> profiles;
    private final boolean requireSignedResponses;
    private final IdentifierResolver responders;

    private HttpSignatureVerifier(Builder b, WitVerifier witVerifier) {
        this.witVerifier = witVerifier;
        this.clock = witVerifier.clock();
        this.leeway = witVerifier.leeway();
        this.maxLifetime = b.maxLifetime;
        this.audiences = Set.copyOf(b.audiences);
        this.acceptTargetUri = b.acceptTargetUri;
        this.profiles = EnumSet.copyOf(b.profiles);
        this.requireSignedResponses = b.requireSignedResponses;
        this.responders = b.responders;
        this.nonces = new NonceCheck(b.replayCache != null ? b.replayCache
                : b.replayProtection ? InMemoryReplayCache.builder().clock(clock).build() : null, clock, leeway);
        this.observer = WimseObserver.guarded(b.observer);
    }

    /** A new builder; {@link Builder#trust(TrustBundleSource)} or {@link Builder#witVerifier(WitVerifier)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True when {@code request} means to be verified here, not by a WPT: its {@code Signature-Input} has a
     * member tagged {@value HttpSignatures#TAG}, or cannot be read at all (then {@link #verifyRequest} says why).
     * A request whose only signatures are other applications' is not.
     */
    public static boolean isSigned(HttpRequestFacts request) {
        List<String> input = request.values(HttpSignatures.SIGNATURE_INPUT);
        if (input.isEmpty()) {
            return false;
        }
        try {
            return TaggedSignature.find(input, request.values(HttpSignatures.SIGNATURE)).isPresent();
        } catch (WimseException unreadable) {
            return true;
        }
    }

    /**
     * Verifies a signed request (HS-1..HS-8).
     *
     * @param request the request; its target URI must come from the service's configured external base URI and
     *                the request path, never from {@code Host}
     * @param body    the body bytes as received (after reading it whole), or null or empty for none
     */
    public VerifiedSignedRequest verifyRequest(HttpRequestFacts request, byte[] body) throws WimseException {
        return ObservedVerification.run(observer, CredentialKind.HTTP_SIGNATURE, () -> verifyRequest(request, body, (SignerKey) null));
    }

    /**
     * Verifies a signed request whose body is read only after the signature over its headers verified: the
     * form for a server reading the body from the network (HS-5, HS-7). A body without {@code Content-Digest}
     * is then refused after reading ({@link Reason#MISSING_CONTENT_DIGEST}); the nonce is recorded last.
     */
    public VerifiedSignedRequest verifyRequestReading(HttpRequestFacts request, MessageBody body) throws WimseException, IOException {
        Objects.requireNonNull(body, "body");
        return ObservedVerification.run(observer, CredentialKind.HTTP_SIGNATURE, () -> verifyReading(request, body));
    }

    private VerifiedSignedRequest verifyReading(HttpRequestFacts request, MessageBody body) throws WimseException, IOException {
        TaggedSignature sig = requestSignature(request);
        String wit = Wits.ofRequest(request, witVerifier.maxTokenLength());
        try {
            return verifyRequest(request, new SignedBody(null, body), sig, SignerKey.of(witVerifier.verify(wit)));
        } catch (SignedBody.ReadFailure e) {
            throw e.cause();
        }
    }

    /**
     * {@link #verifyRequest(HttpRequestFacts, byte[])}, or with {@code trusted} not null, the same with the WIT
     * taken as valid and {@code trusted} as its key: only the test of the draft's examples does that, whose WITs'
     * issuer key was never published.
     */
    VerifiedSignedRequest verifyRequest(HttpRequestFacts request, byte[] body, SignerKey trusted) throws WimseException {
        TaggedSignature sig = requestSignature(request);
        SignedBody known = new SignedBody(body == null ? new byte[0] : body, null);
        if (trusted != null) {
            return verifyRequest(request, known, sig, trusted);
        }
        return verifyRequest(request, known, sig, SignerKey.of(witVerifier.verify(Wits.ofRequest(request, witVerifier.maxTokenLength()))));
    }

    private static TaggedSignature requestSignature(HttpRequestFacts request) throws WimseException {
        return TaggedSignature.find(request.values(HttpSignatures.SIGNATURE_INPUT), request.values(HttpSignatures.SIGNATURE))
                .orElseThrow(() -> new WimseException(Reason.MISSING_SIGNATURE, "the request carries no HTTP message signature tagged '"
                        + HttpSignatures.TAG + "' (HS-2)"));
    }

    private VerifiedSignedRequest verifyRequest(HttpRequestFacts request, SignedBody body, TaggedSignature sig, SignerKey signer)
            throws WimseException {
        String audience = sig.audience().orElseThrow(() -> new WimseException(Reason.MISSING_SIGNATURE_PARAMETER,
                "the request signature has no 'wimse-aud' parameter (HS-4)"));
        Instant now = clock.instant();
        Checks.times(sig, now, leeway, maxLifetime);
        if (!(audiences.contains(audience) || (acceptTargetUri
                && audience.equals(HttpSignatureSigner.defaultAudience(request.targetUri()))))) {
            throw new WimseException(Reason.AUDIENCE_MISMATCH, "signature 'wimse-aud' is not this service's audience (HS-4)");
        }
        List<String> covered = sig.covered();
        byte[] base = SignatureBase.of(sig.input(), request, null); // refuses malformed components first
        SignatureProfile profile = Coverage.checkRequest(covered, request, profiles);
        Checks.signatureThenBody(sig, base, signer, body, request.values(HttpSignatures.CONTENT_DIGEST));
        nonces.record(signer, sig);
        return new VerifiedSignedRequest(signer.subject(), signer.wit(), request, sig.label(), covered, sig.created(), sig.expires(), sig.nonce(),
                audience, sig.signResponse(), profile);
    }

    /**
     * Verifies the response to a request signed as {@code sent} (HS-6). An unsigned response is refused
     * ({@link Reason#UNSIGNED_RESPONSE}) when the request asked for a signature or this verifier requires
     * one, and is otherwise answered with empty; a signed response is always verified.
     */
    public Optional<VerifiedSignedResponse> verifyResponse(HttpResponseFacts response, byte[] body, RequestSignature sent)
            throws WimseException {
        return verifyResponse(response, body, sent, null);
    }

    /** {@link #verifyResponse(HttpResponseFacts, byte[], RequestSignature)}; {@code trusted} as in {@link #verifyRequest(HttpRequestFacts, byte[], SignerKey)}. */
    Optional<VerifiedSignedResponse> verifyResponse(HttpResponseFacts response, byte[] body, RequestSignature sent, SignerKey trusted)
            throws WimseException {
        Objects.requireNonNull(sent, "sent");
        boolean required = sent.signResponseRequested() || requireSignedResponses || responders != null;
        Optional<TaggedSignature> found = TaggedSignature.find(response.values(HttpSignatures.SIGNATURE_INPUT), response.values(HttpSignatures.SIGNATURE));
        if (found.isEmpty()) {
            if (required) {
                throw new WimseException(Reason.UNSIGNED_RESPONSE, "the response carries no WIMSE signature, and the request "
                        + (sent.signResponseRequested() ? "asked for one (wimse-sign-response)" : "policy requires one") + " (HS-6)");
            }
            return Optional.empty();
        }
        if (trusted != null) {
            return Optional.of(verifyResponse(response, body, sent, found.get(), trusted, required));
        }
        String wit = Wits.exactlyOne(response.values(HttpSignatures.WORKLOAD_IDENTITY_TOKEN), witVerifier.maxTokenLength());
        return Optional.of(verifyResponse(response, body, sent, found.get(), SignerKey.of(witVerifier.verify(wit)), required));
    }

    /** The steps after the WIT (HS-7). */
    private VerifiedSignedResponse verifyResponse(HttpResponseFacts response, byte[] body, RequestSignature sent, TaggedSignature sig,
                                          SignerKey signer, boolean required) throws WimseException {
        // a signed response is always bound to its request: the server MUST set wimse-req-nonce (HS-6)
        String requestNonce = sig.requestNonce().orElseThrow(() -> new WimseException(Reason.MISSING_SIGNATURE_PARAMETER,
                "the signed response has no 'wimse-req-nonce' (HS-6)"));
        if (!requestNonce.equals(sent.nonce())) {
            throw new WimseException(Reason.REQUEST_NONCE_MISMATCH, "the response's 'wimse-req-nonce' is not the nonce of the request"
                    + " it answers (HS-6)");
        }
        if (responders != null) {
            Optional<WorkloadIdentifier> expected = responders.resolve(sent.request().targetUri());
            if (expected.isEmpty() || !expected.get().equals(signer.subject())) {
                throw new WimseException(Reason.PEER_NOT_AUTHORIZED, expected.isEmpty()
                        ? "no responder is expected for this target, so none is accepted (HS-6)"
                        : "the response is signed by " + signer.subject() + ", not by the workload expected for this target (HS-6)");
            }
        }
        Checks.times(sig, clock.instant(), leeway, maxLifetime);
        List<String> covered = sig.covered();
        byte[] base = SignatureBase.of(sig.input(), sent.request(), response);
        Coverage.checkResponse(covered, response, profiles);
        // a HEAD answer, a 204 and a 304 carry no content: a Content-Digest there describes the representation
        boolean noContent = sent.request().method().equals("HEAD") || response.status() == 204 || response.status() == 304;
        Checks.signatureThenBody(sig, base, signer, noContent ? SignedBody.NONE : new SignedBody(body == null ? new byte[0] : body, null),
                noContent ? List.of() : response.values(HttpSignatures.CONTENT_DIGEST));
        nonces.record(signer, sig);
        return new VerifiedSignedResponse(signer.subject(), signer.wit(), covered, sig.created(), sig.expires());
    }

    /** The accepted target forms. */
    public Set<SignatureProfile> profiles() {
        return EnumSet.copyOf(profiles);
    }

    /** Builder for {@link HttpSignatureVerifier}. */
    public static final class Builder {
        private TrustBundleSource trust;
        private WitVerifier witVerifier;
        private Duration maxLifetime = Duration.ofMinutes(10);
        private final Set<String> audiences = new LinkedHashSet<>();
        private boolean acceptTargetUri = true;
        private ReplayCache replayCache;
        private boolean replayProtection = true;
        private Set<SignatureProfile> profiles = EnumSet.allOf(SignatureProfile.class);
        private boolean requireSignedResponses;
        private IdentifierResolver responders;
        private Clock clock;
        private Duration leeway;
        private WimseObserver observer = WimseObserver.none();

        private Builder() {
        }

        /**
         * Told of every request verified ({@link #verifyRequest}, {@link #verifyRequestReading}): accepted, or
         * refused with its {@link Reason}, and its time (default {@link WimseObserver#none()}); responses a client
         * verifies are not reported. A body that cannot be read ({@link IOException}) is no refusal and not reported.
         */
        public Builder observer(WimseObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The trust anchors (ID-3): a default {@link WitVerifier} is built over them. Contradicts {@link #witVerifier}. */
        public Builder trust(TrustBundleSource trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** The clock of the default WIT verifier (default system UTC); with {@link #witVerifier}, that verifier's clock is used. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Clock skew allowed, 0 to 5 min, for the default WIT verifier (default 60 s); with {@link #witVerifier}, its leeway. */
        public Builder leeway(Duration leeway) {
            this.leeway = ClaimsValidator.checkLeeway(leeway);
            return this;
        }

        /**
         * The WIT verifier (HS-7), e.g. the one a {@code RequestVerifier} of the same service is configured
         * like; its clock and leeway apply to the signatures too. Contradicts {@link #trust}.
         */
        public Builder witVerifier(WitVerifier verifier) {
            this.witVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Longest {@code expires - created} accepted, 1 s to 1 h (default 10 min: "short", HS-4, and room for
         * the draft's examples, which run 5 min and a few seconds).
         */
        public Builder maxSignatureLifetime(Duration max) {
            Objects.requireNonNull(max, "max");
            if (max.compareTo(Duration.ofSeconds(1)) < 0 || max.compareTo(MAX_MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("maximum signature lifetime must be between 1 s and 1 h");
            }
            this.maxLifetime = max;
            return this;
        }

        /** Accepts {@code audience} as {@code wimse-aud} (HS-4): one of the service's configured URIs. Never from {@code Host}. */
        public Builder audience(String audience) {
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("audience must not be blank");
            }
            this.audiences.add(audience);
            return this;
        }

        /**
         * Whether {@code wimse-aud} may equal the request's target URI without query and fragment, the draft's
         * default (default true; the target URI comes from the configured base URI). Off: only {@link #audience}.
         */
        public Builder acceptTargetUri(boolean accept) {
            this.acceptTargetUri = accept;
            return this;
        }

        /** The nonce cache (default bounded in memory; a Redis one for a cluster, HS-8). */
        public Builder replayCache(ReplayCache cache) {
            this.replayCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Turns nonce replay detection off (HS-8 only says SHOULD). Contradicts {@link #replayCache}. */
        public Builder disableReplayProtection() {
            this.replayProtection = false;
            return this;
        }

        /** The accepted target forms (default both: -07's {@code @path @query} and -06's {@code @request-target}). */
        public Builder profiles(Set<SignatureProfile> profiles) {
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("at least one profile is required");
            }
            this.profiles = EnumSet.copyOf(profiles);
            return this;
        }

        /** Refuses every unsigned response, not only those the request asked to be signed (local policy, HS-6). */
        public Builder requireSignedResponses(boolean require) {
            this.requireSignedResponses = require;
            return this;
        }

        /**
         * The workload expected to sign the response to each target (HS-6; ID-4 handles, e.g. a
         * {@link io.wimse4j.core.id.StaticIdentifierResolver} from {@code https://orders.example.com} to
         * {@code wimse://example.com/orders}): a response signed by any other workload, or to a target the
         * resolver does not know, is refused with {@link Reason#PEER_NOT_AUTHORIZED}, and an unsigned one with
         * {@link Reason#UNSIGNED_RESPONSE}. Without it any workload the trust bundles vouch for may sign an answer.
         */
        public Builder expectResponders(IdentifierResolver resolver) {
            this.responders = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Builds the verifier, rejecting contradictory settings. */
        public HttpSignatureVerifier build() {
            if ((trust == null) == (witVerifier == null)) {
                throw new IllegalStateException("exactly one of trust(...) and witVerifier(...) is required");
            }
            if (witVerifier != null && (clock != null || leeway != null)) {
                throw new IllegalStateException("clock(...) and leeway(...) configure the default WIT verifier; set them on witVerifier(...)");
            }
            if (!acceptTargetUri && audiences.isEmpty()) {
                throw new IllegalStateException("with acceptTargetUri(false) at least one audience(...) is required");
            }
            if (!replayProtection && replayCache != null) {
                throw new IllegalStateException("disableReplayProtection() contradicts replayCache(...)");
            }
            WitVerifier wits = witVerifier;
            if (wits == null) {
                WitVerifier.Builder w = WitVerifier.builder().trust(trust);
                if (clock != null) {
                    w.clock(clock);
                }
                if (leeway != null) {
                    w.leeway(leeway);
                }
                wits = w.build();
            }
            return new HttpSignatureVerifier(this, wits);
        }
    }
}
