package io.wimse4j.spring.client;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.httpsig.HttpSignatureSigner;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;
import java.util.Map;

/**
 * Signs every request of a {@code RestClient} or {@code RestTemplate}: a fresh WPT ({@code Authorization: WPT}
 * or {@code Workload-Proof-Token}, with the {@code Workload-Identity-Token}) or an HTTP Message Signature over
 * the request and its exact body bytes, with the current credentials of the {@code CredentialSource}
 * (never expired ones, KEY-3). The proof is bound to this request's target ({@code aud}, WPT-6, HS-4).
 *
 * <p><b>Redirects.</b> The interceptor signs the request it is given, once; it never re-signs a redirected
 * hop. The request factory underneath must not follow redirects either, or it may copy the proof to the
 * redirect target: {@link WimseRestClientConfigurer} installs one that does not, and a 3xx answer reaches
 * the application as it is. A signing failure ({@code WimseException}) is thrown as an {@link IOException}
 * naming its reason and the request is not sent.
 */
public final class WimseClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {
    private final OutgoingProof proof;

    private WimseClientHttpRequestInterceptor(OutgoingProof proof) {
        this.proof = proof;
    }

    /** An interceptor adding a WPT made by {@code signer} to each request (WPT-1..WPT-10, P2-1). */
    public static WimseClientHttpRequestInterceptor wpt(RequestSigner signer) {
        return new WimseClientHttpRequestInterceptor(OutgoingProof.wpt(signer));
    }

    /** An interceptor signing each request with {@code signer} (RFC 9421, HS-1..HS-5). */
    public static WimseClientHttpRequestInterceptor httpSignature(HttpSignatureSigner signer) {
        return new WimseClientHttpRequestInterceptor(OutgoingProof.httpSignature(signer));
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        Map<String, String> added;
        try {
            added = proof.headers(request.getMethod().name(), request.getURI(), request.getHeaders().asMultiValueMap(), body);
        } catch (WimseException e) {
            throw new IOException("cannot sign the request (" + e.reason().code() + "): " + e.detail(), e);
        }
        added.forEach((name, value) -> request.getHeaders().set(name, value));
        return execution.execute(request, body);
    }
}
