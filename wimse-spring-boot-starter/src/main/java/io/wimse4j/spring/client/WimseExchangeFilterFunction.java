package io.wimse4j.spring.client;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.wpt.RequestSigner;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Adds a fresh WPT to every request of a {@code WebClient} (WPT-1..WPT-10, P2-1), bound to that request's
 * target and its {@code Txn-Token} and other bound headers. The current credentials are read when the
 * request is sent; a signing failure fails the exchange with {@link WimseSigningFailure}.
 *
 * <p><b>Redirects.</b> The filter signs the request once and never re-signs a redirected hop; the
 * connector must not follow redirects (Reactor Netty and the JDK connector do not by default; do not
 * turn {@code followRedirect} on for a signing client). HTTP Message Signatures are not offered for
 * {@code WebClient}: their {@code Content-Digest} needs the body bytes, which an exchange filter does not see.
 */
public final class WimseExchangeFilterFunction implements ExchangeFilterFunction {
    private final RequestSigner signer;

    private WimseExchangeFilterFunction(RequestSigner signer) {
        this.signer = signer;
    }

    /** A filter adding a WPT made by {@code signer} to each request. */
    public static WimseExchangeFilterFunction wpt(RequestSigner signer) {
        return new WimseExchangeFilterFunction(java.util.Objects.requireNonNull(signer, "signer"));
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.defer(() -> {
            Map<String, String> added;
            try {
                added = signer.sign(request.method().name(), request.url(), request.headers().asMultiValueMap()).asMap();
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
