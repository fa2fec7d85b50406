package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;

import javax.net.ssl.SSLSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link SigningHttpClient}'s HTTP Message Signatures mode: the request body is read whole from its
 * publisher (up to a limit) to be digested (HS-5) and sent as those exact bytes; the request is signed
 * (HS-1..HS-4); the response is read whole, up to the same limit, and verified (HS-6) before the caller's
 * body handler sees it.
 */
final class SignedExchange {
    private static final long BODY_TIMEOUT_SECONDS = 30;

    private final HttpSignatureSigner signer;
    private final HttpSignatureVerifier verifier;
    private final int bodyLimit;

    SignedExchange(HttpSignatureSigner signer, HttpSignatureVerifier verifier, int bodyLimit) {
        this.signer = signer;
        this.verifier = verifier;
        this.bodyLimit = bodyLimit;
    }

    /** A request, signed, and what verifying its response needs. */
    record Signed(HttpRequest request, RequestSignature signature) {
    }

    Signed sign(HttpRequest request) throws WimseSigningException {
        byte[] body = request.bodyPublisher().isPresent() ? read(request.bodyPublisher().get()) : new byte[0];
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder(request.method(), request.uri());
        request.headers().map().forEach((name, values) -> values.forEach(v -> facts.header(name, v)));
        RequestSignature signature;
        try {
            signature = signer.signRequest(facts.build(), body);
        } catch (WimseException e) {
            throw new WimseSigningException(e);
        }
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
        copy.method(request.method(), body.length == 0 && request.bodyPublisher().isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        signature.headers().forEach(copy::header);
        return new Signed(copy.build(), signature);
    }

    /**
     * {@code streamed} read whole, at most the limit ({@link Reason#BODY_TOO_LARGE} past it, the rest never read),
     * verified against the request signed as {@code sent}, its body then handed to {@code handler}.
     */
    <T> HttpResponse<T> verify(HttpResponse<InputStream> streamed, RequestSignature sent, HttpResponse.BodyHandler<T> handler)
            throws WimseResponseException, IOException {
        byte[] body;
        try (InputStream in = streamed.body()) {
            long declared = streamed.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > bodyLimit) {
                throw responseTooLarge(streamed.statusCode());
            }
            body = in.readNBytes(bodyLimit + 1);
            if (body.length > bodyLimit) {
                throw responseTooLarge(streamed.statusCode());
            }
        }
        return verified(new Read(streamed, body), sent, handler);
    }

    private WimseResponseException responseTooLarge(int status) {
        return new WimseResponseException(new WimseException(Reason.BODY_TOO_LARGE, "a response is read whole to verify it"
                + " (HS-6), and this client reads at most " + bodyLimit + " bytes"), status);
    }

    /** The response with its body read. */
    private record Read(HttpResponse<InputStream> head, byte[] body) {
        int statusCode() {
            return head.statusCode();
        }

        HttpHeaders headers() {
            return head.headers();
        }
    }

    private <T> HttpResponse<T> verified(Read raw, RequestSignature sent, HttpResponse.BodyHandler<T> handler)
            throws WimseResponseException, IOException {
        HttpResponseFacts.Builder facts = HttpResponseFacts.builder(raw.statusCode());
        raw.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers are no fields
                values.forEach(v -> facts.header(name, v));
            }
        });
        try {
            verifier.verifyResponse(facts.build(), raw.body(), sent);
        } catch (WimseException e) {
            throw new WimseResponseException(e, raw.statusCode());
        }
        return new Verified<>(raw.head(), deliver(raw, handler));
    }

    private static <T> T deliver(Read raw, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return raw.statusCode();
            }

            @Override
            public HttpHeaders headers() {
                return raw.headers();
            }

            @Override
            public HttpClient.Version version() {
                return raw.head().version();
            }
        };
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        if (raw.body().length > 0) {
            subscriber.onNext(List.of(ByteBuffer.wrap(raw.body())));
        }
        subscriber.onComplete();
        try {
            return subscriber.getBody().toCompletableFuture().get(BODY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while handing the verified body to its handler", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the body handler failed on the verified body", e);
        }
    }

    /** The whole body of {@code publisher}, at most the limit ({@link Reason#BODY_TOO_LARGE}). */
    private byte[] read(HttpRequest.BodyPublisher publisher) throws WimseSigningException {
        if (publisher.contentLength() > bodyLimit) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                if (out.size() + item.remaining() > bodyLimit) {
                    subscription.cancel();
                    done.completeExceptionally(tooLarge());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        try {
            done.get(BODY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WimseSigningException w) {
                throw w;
            }
            throw new IllegalArgumentException("the request body publisher failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the request body to sign it", e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("the request body publisher did not complete within " + BODY_TIMEOUT_SECONDS + " s");
        }
        return out.toByteArray();
    }

    private WimseSigningException tooLarge() {
        return new WimseSigningException(new WimseException(Reason.BODY_TOO_LARGE, "a signed request's body is read whole to"
                + " digest it (HS-5), and this client reads at most " + bodyLimit + " bytes"));
    }

    /** The verified response with its body as the caller's handler made it. */
    private record Verified<T>(HttpResponse<InputStream> raw, T body) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return raw.statusCode();
        }

        @Override
        public HttpRequest request() {
            return raw.request();
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return raw.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return raw.sslSession();
        }

        @Override
        public URI uri() {
            return raw.uri();
        }

        @Override
        public HttpClient.Version version() {
            return raw.version();
        }

        @Override
        public String toString() {
            return "(" + raw.request().method() + " " + raw.uri() + ") " + raw.statusCode() + " (checked)";
        }
    }
}
