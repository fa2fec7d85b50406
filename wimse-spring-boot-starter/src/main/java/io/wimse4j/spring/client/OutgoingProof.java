package io.wimse4j.spring.client;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.httpsig.HttpSignatureSigner;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the headers of one outgoing request's proof: a fresh WPT per request (with {@code tth}/{@code oth}
 * bound from the request's own headers, WPT-1..WPT-10) or an HTTP Message Signature over the request and
 * its body (HS-1..HS-5). The headers are never logged.
 */
interface OutgoingProof {
    /** The headers to add to {@code method target} with {@code headers} and {@code body} (null or empty for none). */
    Map<String, String> headers(String method, URI target, Map<String, List<String>> headers, byte[] body) throws WimseException;

    /** Whether the proof covers the body (then the body must be at hand when signing). */
    boolean coversBody();

    static OutgoingProof wpt(RequestSigner signer) {
        Objects.requireNonNull(signer, "signer");
        return new OutgoingProof() {
            @Override
            public Map<String, String> headers(String method, URI target, Map<String, List<String>> headers, byte[] body) throws WimseException {
                return signer.sign(method, target, headers).asMap();
            }

            @Override
            public boolean coversBody() {
                return false;
            }
        };
    }

    static OutgoingProof httpSignature(HttpSignatureSigner signer) {
        Objects.requireNonNull(signer, "signer");
        return new OutgoingProof() {
            @Override
            public Map<String, String> headers(String method, URI target, Map<String, List<String>> headers, byte[] body) throws WimseException {
                HttpRequestFacts.Builder b = HttpRequestFacts.builder(method, target);
                headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
                return signer.signRequest(b.build(), body).headers();
            }

            @Override
            public boolean coversBody() {
                return true;
            }
        };
    }
}
