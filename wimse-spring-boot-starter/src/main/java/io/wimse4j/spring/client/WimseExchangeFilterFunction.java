package io.wimse4j.spring.client;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.httpsig.HttpSignatureSigner;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Signs every request of a {@code WebClient}: a fresh WPT (WPT-1..WPT-10, P2-1), bound to that request's
 * target and its {@code Txn-Token} and other bound headers, or an HTTP Message Signature (RFC 9421,
 * HS-1..HS-5) over the request and its exact body bytes, with its {@code Content-Digest}. For a signature
 * the body is buffered in memory when it is written (as {@code RestClient} does) and the request signed
 * just before it is sent. The current credentials are read when the request is sent; a signing failure
 * fails the exchange with {@link WimseSigningFailure} and nothing is sent.
 *
 * <p><b>Redirects.</b> The filter signs the request once and never re-signs a redirected hop; the
 * connector must not follow redirects (Reactor Netty and the JDK connector do not by default; do not
 * turn {@code followRedirect} on for a signing client).
 */
public final class WimseExchangeFilterFunction implements ExchangeFilterFunction {
    private final OutgoingProof proof;

    private WimseExchangeFilterFunction(OutgoingProof proof) {
        this.proof = proof;
    }

    /** A filter adding a WPT made by {@code signer} to each request. */
    public static WimseExchangeFilterFunction wpt(RequestSigner signer) {
        return new WimseExchangeFilterFunction(OutgoingProof.wpt(signer));
    }

    /** A filter signing each request and its body with {@code signer} (RFC 9421, HS-1..HS-5). */
    public static WimseExchangeFilterFunction httpSignature(HttpSignatureSigner signer) {
        return new WimseExchangeFilterFunction(OutgoingProof.httpSignature(signer));
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (proof.coversBody()) {
            ClientRequest signing = ClientRequest.from(request)
                    .body((message, context) -> request.body().insert(new SigningClientHttpRequest(message, proof), context)).build();
            return next.exchange(signing);
        }
        return Mono.defer(() -> {
            Map<String, String> added;
            try {
                added = proof.headers(request.method().name(), request.url(), request.headers().asMultiValueMap(), null);
            } catch (WimseException e) {
                return Mono.error(new WimseSigningFailure(e));
            }
            ClientRequest signed = ClientRequest.from(request).headers(h -> added.forEach(h::set)).build();
            return next.exchange(signed);
        });
    }

    /** A request that could not be signed (e.g. {@code credentials-expired}); it was not sent. */
    public static final class WimseSigningFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WimseSigningFailure(WimseException cause) {
            super("cannot sign the request (" + cause.reason().code() + "): " + cause.detail(), cause);
        }

        /** The library's failure, with its reason. */
        public WimseException failure() {
            return (WimseException) getCause();
        }
    }
}
