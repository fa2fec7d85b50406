package io.wimse4j.client;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends {@code java.net.http} requests carrying {@code Workload-Identity-Token} and a fresh proof in
 * the {@link RequestSigner}'s transport: {@code Authorization: WPT} (wpt-02, P2-1, the default) or
 * {@code Workload-Proof-Token} (WIT-10, WPT-1). Every call to {@link #send} or {@link #sendAsync}
 * signs anew, so a retry by the caller gets a new proof with a new {@code jti} (WPT-6). The proof
 * binds {@code Txn-Token} ({@code tth}), the headers the {@link RequestSigner} was configured with
 * ({@code oth}) and, in the seed transport, the request's own {@code Authorization} ({@code ath}).
 *
 * <p>Tokens travel only over TLS (SEC-1): a plain {@code http://} target is refused unless
 * {@link Builder#allowInsecureHttp(boolean)} was set (loopback tests, a sidecar on the same host).
 * The wrapped client must not follow redirects: a proof is bound to its target, and following a
 * redirect would hand both tokens to another server. Immutable and thread-safe.
 *
 * <p>With {@link Builder#httpSignatures} the client signs with HTTP Message Signatures instead
 * (draft-ietf-wimse-http-signature, RFC 9421) over method, path, query, body digest and the credential
 * headers, and responses are verified (HS-6).
 */
public final class SigningHttpClient {
    /** Default {@link Builder#signedBodyLimit(int)}: 1 MiB. */
    public static final int DEFAULT_SIGNED_BODY_LIMIT = 1024 * 1024;

    private final HttpClient http;
    private final RequestSigner signer;
    private final boolean allowInsecureHttp;
    private final SignedExchange signatures;

    private SigningHttpClient(Builder b) {
        this.http = b.http != null ? b.http : HttpClient.newHttpClient();
        this.signer = b.signer;
        this.allowInsecureHttp = b.allowInsecureHttp;
        this.signatures = b.signatureSigner == null ? null : new SignedExchange(b.signatureSigner, b.responseVerifier, b.signedBodyLimit);
    }

    /** A new builder; {@link Builder#signer(RequestSigner)} or {@link Builder#httpSignatures} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The wrapped client. */
    public HttpClient httpClient() {
        return http;
    }

    /**
     * Signs and sends {@code request}.
     *
     * @throws WimseSigningException when the request cannot be signed (it is then not sent)
     * @throws IllegalArgumentException for an {@code http://} target without
     *         {@code allowInsecureHttp(true)}, or a request that already carries WIMSE headers
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Objects.requireNonNull(handler, "handler");
        if (signatures != null) {
            SignedExchange.Signed signed = signatures.sign(checked(request));
            return signatures.verify(http.send(signed.request(), HttpResponse.BodyHandlers.ofInputStream()), signed.signature(), handler);
        }
        return http.send(sign(request), handler);
    }

    /**
     * Signs and sends {@code request} asynchronously. A signing failure completes the returned
     * future exceptionally with a {@link WimseSigningException}; the argument errors of
     * {@link #send} are thrown directly.
     */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        if (signatures != null) {
            SignedExchange.Signed exchange;
            try {
                exchange = signatures.sign(checked(request));
            } catch (WimseSigningException e) {
                return CompletableFuture.failedFuture(e);
            }
            // the body is read on another thread than the one completing the exchange (BodyHandlers.ofInputStream)
            return http.sendAsync(exchange.request(), HttpResponse.BodyHandlers.ofInputStream()).thenApplyAsync(raw -> {
                try {
                    return signatures.verify(raw, exchange.signature(), handler);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
        }
        HttpRequest signed;
        try {
            signed = sign(request);
        } catch (WimseSigningException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(signed, handler);
    }

    /** A copy of {@code request} with the two WIMSE headers added. */
    HttpRequest sign(HttpRequest request) throws WimseSigningException {
        checked(request);
        RequestSigner.SignedHeaders signed;
        try {
            signed = signer.sign(request.method(), request.uri(), request.headers().map());
        } catch (WimseException e) {
            throw new WimseSigningException(e);
        }
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
        signed.asMap().forEach(copy::header);
        return copy.build();
    }

    /** {@code request} when it may be signed: an https target (SEC-1) and no WIMSE headers of its own. */
    private HttpRequest checked(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            if (!allowInsecureHttp) {
                throw new IllegalArgumentException("refusing to send WIMSE tokens over plain http to " + uri.getRawAuthority()
                        + " (SEC-1: TLS only); set allowInsecureHttp(true) on the builder to allow it");
            }
        } else if (!scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported scheme '" + scheme + "'");
        }
        if (request.headers().firstValue(WimseHeaders.WORKLOAD_IDENTITY_TOKEN).isPresent()
                || request.headers().firstValue(WimseHeaders.WORKLOAD_PROOF_TOKEN).isPresent()) {
            throw new IllegalArgumentException("the request already carries WIMSE headers; SigningHttpClient adds them");
        }
        return request;
    }

    /** Builder for {@link SigningHttpClient}; settings are checked in {@link #build()}. */
    public static final class Builder {
        private HttpClient http;
        private RequestSigner signer;
        private boolean allowInsecureHttp;
        private HttpSignatureSigner signatureSigner;
        private HttpSignatureVerifier responseVerifier;
        private int signedBodyLimit = DEFAULT_SIGNED_BODY_LIMIT;

        private Builder() {
        }

        /**
         * Signs requests with HTTP Message Signatures (draft-ietf-wimse-http-signature) instead of a WPT:
         * {@code signer} adds {@code Workload-Identity-Token}, {@code Content-Digest} for a body (read whole
         * from its publisher, up to {@link #signedBodyLimit(int)}, and sent as exactly those bytes),
         * {@code Signature-Input} and {@code Signature}; {@code responseVerifier} then checks every response
         * before the caller's body handler sees it (HS-6): a signed response must verify and answer this
         * request ({@code wimse-req-nonce}), and an unsigned one is refused when the request asked for a
         * signature ({@link HttpSignatureSigner.Builder#requestSignedResponses(boolean)}) or the verifier
         * requires one. A refused response throws {@link WimseResponseException}. Contradicts {@link #signer}.
         */
        public Builder httpSignatures(HttpSignatureSigner signer, HttpSignatureVerifier responseVerifier) {
            this.signatureSigner = Objects.requireNonNull(signer, "signer");
            this.responseVerifier = Objects.requireNonNull(responseVerifier, "responseVerifier");
            return this;
        }

        /**
         * Largest request body read whole to be signed, and largest response body read whole to be verified, 0 to
         * 64 MiB (default 1 MiB); past it, {@link io.wimse4j.core.error.Reason#BODY_TOO_LARGE}: the request is not
         * sent, or the response refused ({@link WimseResponseException}) without reading the rest.
         */
        public Builder signedBodyLimit(int bytes) {
            if (bytes < 0 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("the signed body limit must be between 0 and 64 MiB");
            }
            this.signedBodyLimit = bytes;
            return this;
        }

        /** The client to send with (default {@link HttpClient#newHttpClient()}); must not follow redirects. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** The signer that makes the two headers (required). */
        public Builder signer(RequestSigner signer) {
            this.signer = signer;
            return this;
        }

        /** Allows plain {@code http://} targets (default false, SEC-1). */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /** Builds the client, rejecting missing or unsafe settings. */
        public SigningHttpClient build() {
            if ((signer == null) == (signatureSigner == null)) {
                throw new IllegalStateException("exactly one of signer(...) and httpSignatures(...) is required");
            }
            if (http != null && http.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalStateException("the HttpClient must use Redirect.NEVER: a proof is bound to its target"
                        + " and a followed redirect would send the tokens to another server");
            }
            return new SigningHttpClient(this);
        }
    }
}
