package io.wimse4j.httpsig;

import io.wimse4j.core.request.HttpRequestFacts;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
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
