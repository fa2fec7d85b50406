package io.wimse4j.spring.client;

import io.wimse4j.core.error.WimseException;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.function.Function;

/**
 * A reactive request that signs itself when its body is written: the body is joined into one buffer, the
 * proof made over the exact bytes and the final headers (the encoder has set {@code Content-Type} and
 * {@code Content-Length} by then), its headers added, and only then the body written (HS-1..HS-5). A
 * request without a body is signed over none when it completes. A signing failure fails the exchange
 * with {@link WimseExchangeFilterFunction.WimseSigningFailure}; nothing is sent.
 */
final class SigningClientHttpRequest extends ClientHttpRequestDecorator {
    private final OutgoingProof proof;

    SigningClientHttpRequest(ClientHttpRequest delegate, OutgoingProof proof) {
        super(delegate);
        this.proof = proof;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        return DataBufferUtils.join(body).defaultIfEmpty(bufferFactory().wrap(new byte[0])).flatMap(joined -> {
            byte[] bytes = new byte[joined.readableByteCount()];
            joined.read(bytes);
            DataBufferUtils.release(joined);
            return sign(bytes).then(Mono.defer(() -> super.writeWith(Mono.just(bufferFactory().wrap(bytes)))));
        });
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return writeWith(Flux.from(body).flatMap(Function.identity()));
    }

    @Override
    public Mono<Void> setComplete() {
        return sign(new byte[0]).then(Mono.defer(super::setComplete));
    }

    private Mono<Void> sign(byte[] body) {
        return Mono.fromRunnable(() -> {
            Map<String, String> added;
            try {
                added = proof.headers(getMethod().name(), getURI(), getHeaders().asMultiValueMap(), body);
            } catch (WimseException e) {
                throw new WimseExchangeFilterFunction.WimseSigningFailure(e);
            }
            added.forEach(getHeaders()::set);
        });
    }
}
