package io.wimse4j.examples;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.servlet.WimseFilter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * HTTP Message Signatures with a WIT (draft-ietf-wimse-http-signature): the caller signs the whole
 * request and verifies the signed answer; the receiver's filter verifies signed requests and signs its
 * answers (HS-1..HS-9, {@code docs/http-signatures.md}).
 */
public final class HttpSignatureExample {
    private HttpSignatureExample() {
    }

    /** The caller of the README: signs with its credentials, asks for a signed answer, verifies it. */
    public static HttpResponse<String> send(HttpClient http, CredentialSource credentials, TrustBundleSource trust,
                                            HttpRequest request) throws IOException, InterruptedException {
        // tag::http-signature-client[]
        SigningHttpClient client = SigningHttpClient.builder()
                .httpClient(http)                                   // never follows redirects
                .httpSignatures(
                        HttpSignatureSigner.builder(credentials)    // the WIT's cnf key signs (HS-1)
                                .requestSignedResponses(true)       // wimse-sign-response (HS-6)
                                .build(),
                        HttpSignatureVerifier.builder().trust(trust).build())  // checks every answer
                .build();
        // covers method, path, query, Content-Digest of the body and the WIT; a refused answer throws
        // WimseResponseException before the body handler sees it
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        // end::http-signature-client[]
        return response;
    }

    /** The receiver of the README: WIT + WPT and signed requests both, its answers signed with its own WIT. */
    public static WimseFilter filter(io.wimse4j.core.request.RequestVerifier wptVerifier, TrustBundleSource trust,
                                     CredentialSource ownCredentials) {
        // tag::http-signature-filter[]
        WimseFilter filter = WimseFilter.builder()
                .externalBaseUri(URI.create("https://payments.example.com"))  // wimse-aud is checked against it
                .verifier(wptVerifier)                                          // WIT + WPT requests (optional)
                .httpSignatures(HttpSignatureVerifier.builder().trust(trust).build())
                .signResponses(HttpSignatureSigner.builder(ownCredentials).build())
                .build();
        // servlets see the signer as getUserPrincipal(), auth type "WIMSE-HTTPSIG"
        // end::http-signature-filter[]
        return filter;
    }
}
