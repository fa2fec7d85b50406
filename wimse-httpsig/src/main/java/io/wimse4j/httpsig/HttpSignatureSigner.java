package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.internal.Coverage;
import io.wimse4j.httpsig.internal.SignatureBase;
import io.wimse4j.httpsig.sfv.InnerList;
import io.wimse4j.httpsig.sfv.Item;
import io.wimse4j.httpsig.sfv.Parameters;
import io.wimse4j.httpsig.sfv.SfBoolean;
import io.wimse4j.httpsig.sfv.SfByteSequence;
import io.wimse4j.httpsig.sfv.SfDictionary;
import io.wimse4j.httpsig.sfv.SfInteger;
import io.wimse4j.httpsig.sfv.SfString;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Signs requests and responses with a workload's credentials under draft-ietf-wimse-http-signature
 * (RFC 9421 profile): the key is the WIT's {@code cnf} key and the algorithm its {@code cnf.jwk.alg}
 * (HS-1), through the credentials' {@link io.wimse4j.core.jose.JwsSigner} (an HSM or KMS plugs in
 * there). A request signature covers {@code @method}, {@code @path}, {@code @query} (or -06's
 * {@code @request-target}) and every present {@code workload-identity-token}, {@code content-type},
 * {@code content-digest}, {@code authorization}, {@code txn-token} (HS-3); its parameters are
 * {@code created}, a short {@code expires}, a random 128-bit {@code nonce}, the tag, {@code wimse-aud}
 * and optionally {@code wimse-sign-response} (HS-4); {@code keyid} and {@code alg} are never written
 * (HS-1). A body gets a {@code Content-Digest} (sha-256, HS-5). Responses are signed per HS-6, bound to
 * their request by {@code wimse-req-nonce}. Immutable and thread-safe.
 */
public final class HttpSignatureSigner {
    /** Longest signature lifetime accepted by {@link Builder#lifetime(Duration)}: "short" (HS-4). */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Bytes of randomness in each nonce (128 bits, HS-4). */
    public static final int NONCE_BYTES = 16;
    private static final Pattern LABEL = Pattern.compile("[a-z*][a-z0-9_.*-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CredentialSource credentials;
    private final Clock clock;
    private final Duration lifetime;
    private final String label;
    private final SignatureProfile profile;
    private final boolean requestSignedResponses;
    private final Function<URI, String> audience;

    private HttpSignatureSigner(Builder b) {
        this.credentials = b.credentials;
        this.clock = b.clock;
        this.lifetime = b.lifetime;
        this.label = b.label;
        this.profile = b.profile;
        this.requestSignedResponses = b.requestSignedResponses;
        this.audience = b.audience;
    }

    /** A new builder over {@code credentials} (the WIT and the signer of its {@code cnf} key). */
    public static Builder builder(CredentialSource credentials) {
        return new Builder(credentials);
    }

    /**
     * Signs {@code request} with {@code wimse-aud} from {@link Builder#audience(Function)}: by default its
     * target URI without query and fragment (the draft's default, HS-4).
     *
     * @param request the request as it will be sent (method, the full target URI, its header fields); it must not
     *                already carry {@code Workload-Identity-Token}, {@code Signature} or {@code Signature-Input}
     * @param body    the body bytes exactly as sent, or null or empty for none
     */
    public RequestSignature signRequest(HttpRequestFacts request, byte[] body) throws WimseException {
        return signRequest(request, body, audience.apply(request.targetUri()));
    }

    /** Signs {@code request} with an explicit {@code wimse-aud} (HS-4); see {@link #signRequest(HttpRequestFacts, byte[])}. */
    public RequestSignature signRequest(HttpRequestFacts request, byte[] body, String audience) throws WimseException {
        Objects.requireNonNull(request, "request");
        if (audience == null || audience.isEmpty()) {
            throw new IllegalArgumentException("wimse-aud must not be empty");
        }
        refuseExisting(request.headers());
        WorkloadCredentials creds = usable();
        Map<String, String> added = new LinkedHashMap<>();
        added.put(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, creds.wit());
        digest(request.values(HttpSignatures.CONTENT_DIGEST), body, added);
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(request.method(), request.targetUri());
        request.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        added.forEach(b::header);
        HttpRequestFacts withCredentials = b.build();

        Instant created = createdNow();
        Instant expires = expiry(created, creds);
        String nonce = newNonce();
        Parameters.Builder p = Parameters.builder()
                .put(HttpSignatures.CREATED, SfInteger.of(created.getEpochSecond()))
                .put(HttpSignatures.EXPIRES, SfInteger.of(expires.getEpochSecond()))
                .put(HttpSignatures.NONCE, SfString.of(nonce))
                .put(HttpSignatures.TAG_PARAMETER, SfString.of(HttpSignatures.TAG))
                .put(HttpSignatures.WIMSE_AUD, SfString.of(audience));
        if (requestSignedResponses) {
            p.put(HttpSignatures.WIMSE_SIGN_RESPONSE, SfBoolean.TRUE);
        }
        InnerList input = InnerList.of(items(Coverage.forRequest(withCredentials, profile)), p.build());
        byte[] signature = creds.signer().sign(SignatureBase.of(input, withCredentials, null));
        put(added, input, signature);
        HttpRequestFacts.Builder signed = HttpRequestFacts.builder(request.method(), request.targetUri());
        request.headers().forEach((name, values) -> values.forEach(v -> signed.header(name, v)));
        added.forEach(signed::header);
        return new RequestSignature(added, signed.build(), nonce, requestSignedResponses, profile, expires);
    }

    /**
     * Signs {@code response} to the verified {@code request} (HS-6): {@code @status}, the response's
     * {@code workload-identity-token}, {@code content-type} and {@code content-digest}, and the request's
     * {@code @method;req} and target ({@code @path;req @query;req}, or {@code @request-target;req} when the
     * request was signed under -06), with {@code wimse-req-nonce} set to the request's nonce.
     *
     * @param response the response as it will be sent, without {@code Workload-Identity-Token}, {@code Signature}
     *                 or {@code Signature-Input}
     * @param body     the body bytes exactly as sent, or null or empty for none
     */
    public ResponseSignature signResponse(HttpResponseFacts response, byte[] body, VerifiedSignedRequest request)
            throws WimseException {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(request, "request");
        refuseExisting(response.headers());
        WorkloadCredentials creds = usable();
        Map<String, String> added = new LinkedHashMap<>();
        added.put(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, creds.wit());
        digest(response.values(HttpSignatures.CONTENT_DIGEST), body, added);
        HttpResponseFacts.Builder b = HttpResponseFacts.builder(response.status());
        response.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        added.forEach(b::header);
        HttpResponseFacts withCredentials = b.build();

        Instant created = createdNow();
        Instant expires = expiry(created, creds);
        Parameters p = Parameters.builder()
                .put(HttpSignatures.CREATED, SfInteger.of(created.getEpochSecond()))
                .put(HttpSignatures.EXPIRES, SfInteger.of(expires.getEpochSecond()))
                .put(HttpSignatures.NONCE, SfString.of(newNonce()))
                .put(HttpSignatures.TAG_PARAMETER, SfString.of(HttpSignatures.TAG))
                .put(HttpSignatures.WIMSE_REQ_NONCE, SfString.of(request.nonce()))
                .build();
        InnerList input = InnerList.of(items(Coverage.forResponse(withCredentials, request.profile())), p);
        byte[] signature = creds.signer().sign(SignatureBase.of(input, request.request(), withCredentials));
        put(added, input, signature);
        return new ResponseSignature(added);
    }

    private void put(Map<String, String> added, InnerList input, byte[] signature) {
        added.put(HttpSignatures.SIGNATURE_INPUT, StructuredFields.serialize(SfDictionary.builder().put(label, input).build()));
        added.put(HttpSignatures.SIGNATURE, StructuredFields.serialize(
                SfDictionary.builder().put(label, Item.of(SfByteSequence.of(signature))).build()));
    }

    private WorkloadCredentials usable() throws WimseException {
        WorkloadCredentials creds = credentials.current();
        if (!clock.instant().isBefore(creds.expiresAt())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the workload's WIT has expired; its key must not sign (KEY-3)");
        }
        return creds;
    }

    private Instant createdNow() {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond());
    }

    /**
     * {@code created} plus the lifetime, never past the WIT's expiry; credentials that expire within the
     * second of {@code created} do not sign (KEY-3).
     */
    private Instant expiry(Instant created, WorkloadCredentials creds) throws WimseException {
        Instant witEnd = Instant.ofEpochSecond(creds.expiresAt().getEpochSecond());
        if (!witEnd.isAfter(created)) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the workload's WIT expires within this second; its key must"
                    + " not sign a message that would outlive it (KEY-3)");
        }
        Instant expires = created.plus(lifetime);
        return expires.isAfter(witEnd) ? witEnd : expires;
    }

    private static void digest(List<String> existing, byte[] body, Map<String, String> added) {
        if (body == null || body.length == 0) {
            return;
        }
        if (!existing.isEmpty()) {
            try {
                ContentDigest.verify(existing, body);
            } catch (WimseException e) {
                throw new IllegalArgumentException("the message's own 'Content-Digest' is wrong: " + e.detail());
            }
            return;
        }
        added.put(HttpSignatures.CONTENT_DIGEST, ContentDigest.of(body));
    }

    private static void refuseExisting(Map<String, List<String>> headers) {
        for (String name : List.of(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, HttpSignatures.SIGNATURE, HttpSignatures.SIGNATURE_INPUT)) {
            if (headers.containsKey(name.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("the message already carries '" + name + "'; the signer adds it");
            }
        }
    }

    private static List<Item> items(List<String> identifiers) {
        List<Item> items = new ArrayList<>(identifiers.size());
        for (String id : identifiers) {
            try {
                items.add(StructuredFields.parseItem(id));
            } catch (StructuredFieldException e) {
                throw new IllegalStateException("invalid component identifier " + id, e);
            }
        }
        return items;
    }

    /** A fresh 128-bit random nonce, base64url without padding (HS-4, HS-8). */
    static String newNonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n);
    }

    /** The draft's default {@code wimse-aud}: the target URI without query and fragment (HS-4). */
    public static String defaultAudience(URI target) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getScheme() + "://" + target.getRawAuthority() + path;
    }

    /** Builder for {@link HttpSignatureSigner}. */
    public static final class Builder {
        private final CredentialSource credentials;
        private Clock clock = Clock.systemUTC();
        private Duration lifetime = Duration.ofSeconds(60);
        private String label = HttpSignatures.DEFAULT_LABEL;
        private SignatureProfile profile = SignatureProfile.DRAFT_07;
        private boolean requestSignedResponses;
        private Function<URI, String> audience = HttpSignatureSigner::defaultAudience;

        private Builder(CredentialSource credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@code expires - created}, 1 s to {@link #MAX_LIFETIME} (default 60 s, HS-4: short). */
        public Builder lifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("a signature lifetime must be between 1 s and 5 min");
            }
            this.lifetime = lifetime;
            return this;
        }

        /** The signature label, an RFC 9651 key (default {@value HttpSignatures#DEFAULT_LABEL}); receivers select by tag. */
        public Builder label(String label) {
            if (label == null || !LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("a label is a Structured Field key: lower-case letter or '*', then [a-z0-9_.*-]");
            }
            this.label = label;
            return this;
        }

        /** How the target is covered (default {@link SignatureProfile#DRAFT_07}, {@code @path @query}). */
        public Builder profile(SignatureProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * The {@code wimse-aud} of a request to a target URI (default {@link #defaultAudience(URI)}, the target
         * without query and fragment). The draft asks senders to set an explicit value when the default is not
         * what the recipient verifies (HS-4), e.g. the service's public name when it is called through a local
         * address: {@code u -> "https://api.example.org" + u.getRawPath()}. It must not answer null or empty.
         */
        public Builder audience(Function<URI, String> audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Whether requests carry {@code wimse-sign-response}, requiring a signed response (default false, HS-6). */
        public Builder requestSignedResponses(boolean request) {
            this.requestSignedResponses = request;
            return this;
        }

        /** Builds the signer. */
        public HttpSignatureSigner build() {
            return new HttpSignatureSigner(this);
        }
    }
}
