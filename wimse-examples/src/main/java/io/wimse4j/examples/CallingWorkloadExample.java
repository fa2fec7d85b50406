package io.wimse4j.examples;

import io.wimse4j.client.FileCredentialSource;
import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptTransport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The calling workload's role: sign an outgoing request, by hand or with {@link SigningHttpClient}. */
public final class CallingWorkloadExample {
    private CallingWorkloadExample() {
    }

    /**
     * Signs a {@code POST https://payments.example.com/charge} carrying {@code txnToken} with the
     * workload's {@code wit} and key in the default transport, {@code Authorization: WPT} (wpt-02), as in
     * the README; the request is built, not sent.
     */
    public static HttpRequest signRequestWithAuthorizationWpt(String wit, WorkloadKeyPair workloadKey, String txnToken,
                                                              String body) throws WimseException {
        // tag::sign-request-current[]
        RequestSigner signer = RequestSigner.builder()
                .credentials(CredentialSource.fixed(WorkloadCredentials.of(wit, workloadKey.signer())))
                .bindHeader("X-User-Assertion")          // optional: bind another token through oth
                .build();                                // the proof goes in 'Authorization: WPT <wpt>'

        URI target = URI.create("https://payments.example.com/charge");
        RequestSigner.SignedHeaders wimse = signer.sign("POST", target, Map.of("Txn-Token", List.of(txnToken)));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .header("Txn-Token", txnToken)           // bound through tth
                .POST(HttpRequest.BodyPublishers.ofString(body));
        wimse.asMap().forEach(request::header);          // Workload-Identity-Token and Authorization
        // end::sign-request-current[]
        return request.build();
    }

    /**
     * Signs a {@code POST https://payments.example.com/charge} carrying {@code accessToken} with
     * the workload's {@code wit} and key in the seed drafts' transport ({@code Workload-Proof-Token},
     * the access token bound through {@code ath}), as in the README; the request is built, not sent.
     */
    public static HttpRequest signRequest(String wit, WorkloadKeyPair workloadKey, String accessToken, String body)
            throws WimseException {
        // tag::sign-request[]
        RequestSigner signer = RequestSigner.builder()
                .transport(WptTransport.WORKLOAD_PROOF_TOKEN)  // the seed drafts' header, which can bind a Bearer token
                .credentials(CredentialSource.fixed(WorkloadCredentials.of(wit, workloadKey.signer())))
                .bindHeader("X-User-Assertion")          // optional: bind another token through oth
                .build();

        URI target = URI.create("https://payments.example.com/charge");
        Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer " + accessToken));
        RequestSigner.SignedHeaders wimse = signer.sign("POST", target, headers);
        HttpRequest request = HttpRequest.newBuilder(target)
                .header("Authorization", "Bearer " + accessToken)
                .header("Workload-Identity-Token", wimse.workloadIdentityToken())
                .header("Workload-Proof-Token", wimse.workloadProofToken())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        // end::sign-request[]
        return request;
    }

    /**
     * Sends {@code request} through {@code http} with a fresh proof, the credentials read from
     * {@code witFile} (the compact WIT) and {@code keyFile} (the workload's private JWK).
     */
    public static HttpResponse<String> send(HttpClient http, Path witFile, Path keyFile, HttpRequest request)
            throws IOException, InterruptedException {
        // tag::signing-http-client[]
        SigningHttpClient client = SigningHttpClient.builder()
                .httpClient(http)                                  // e.g. HttpClient.newHttpClient(); never follows redirects
                .signer(RequestSigner.builder()
                        .credentials(FileCredentialSource.builder(witFile, keyFile).build())  // e.g. wit.jwt, workload.jwk
                        .build())
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        // end::signing-http-client[]
        return response;
    }
}
