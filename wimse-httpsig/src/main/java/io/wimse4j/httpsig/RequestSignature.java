package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.internal.Coverage;
import io.wimse4j.httpsig.internal.TaggedSignature;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link HttpSignatureSigner#signRequest} produced: the header fields to add to the request
 * ({@code Workload-Identity-Token}, {@code Content-Digest} for a body, {@code Signature-Input},
 * {@code Signature}), and what the client needs to verify the response (HS-6): the nonce it sent and
 * whether it asked for a signed response. Immutable. {@link #toString()} shows no header value.
 */
public final class RequestSignature {
    private final Map<String, String> headers;
    private final HttpRequestFacts signed;
    private final String nonce;
    private final boolean signResponseRequested;
    private final SignatureProfile profile;
    private final Instant expiresAt;

    RequestSignature(Map<String, String> headers, HttpRequestFacts signed, String nonce, boolean signResponseRequested,
                     SignatureProfile profile, Instant expiresAt) {
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.signed = signed;
        this.nonce = nonce;
        this.signResponseRequested = signResponseRequested;
        this.profile = profile;
        this.expiresAt = expiresAt;
    }

    /**
     * What a client knows of a request it signed, rebuilt from the signed request itself (for tools, and for a
     * client that did not keep the {@link RequestSignature}): the nonce, {@code wimse-sign-response} and the
     * target form of its WIMSE signature. Nothing is verified here; {@link #headers()} are the WIMSE fields the
     * request carries.
     *
     * @throws WimseException {@link Reason#MISSING_SIGNATURE} without a WIMSE signature, or the reason its
     *                        signature input is unreadable or does not cover what HS-3 requires
     */
    public static RequestSignature of(HttpRequestFacts signed) throws WimseException {
        TaggedSignature sig = TaggedSignature.find(signed.values(HttpSignatures.SIGNATURE_INPUT), signed.values(HttpSignatures.SIGNATURE))
                .orElseThrow(() -> new WimseException(Reason.MISSING_SIGNATURE, "the request carries no HTTP message signature tagged '"
                        + HttpSignatures.TAG + "' (HS-2)"));
        SignatureProfile profile = Coverage.checkRequest(sig.covered(), signed, EnumSet.allOf(SignatureProfile.class));
        Map<String, String> present = new LinkedHashMap<>();
        for (String name : List.of(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, HttpSignatures.CONTENT_DIGEST,
                HttpSignatures.SIGNATURE_INPUT, HttpSignatures.SIGNATURE)) {
            List<String> values = signed.values(name);
            if (!values.isEmpty()) {
                present.put(name, String.join(", ", values));
            }
        }
        return new RequestSignature(present, signed, sig.nonce(), sig.signResponse(), profile, sig.expires());
    }

    /** Header fields to add, in order, with their canonical capitalization; each appears once. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The request as signed: the given facts with {@link #headers()} added. */
    public HttpRequestFacts request() {
        return signed;
    }

    /** The signature's {@code nonce}: a signed response must carry it as {@code wimse-req-nonce} (HS-6). */
    public String nonce() {
        return nonce;
    }

    /** True when the request carries {@code wimse-sign-response}: an unsigned response must be refused (HS-6). */
    public boolean signResponseRequested() {
        return signResponseRequested;
    }

    /** How the target was covered ({@code @path @query}, or -06's {@code @request-target}). */
    public SignatureProfile profile() {
        return profile;
    }

    /** The signature's {@code expires}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "RequestSignature[" + signed.method() + " " + signed.targetUri().getRawPath() + ", headers=" + headers.keySet()
                + ", signResponse=" + signResponseRequested + "]";
    }
}
