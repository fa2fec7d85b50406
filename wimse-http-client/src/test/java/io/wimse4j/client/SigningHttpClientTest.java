package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.OthPolicy;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SigningHttpClient} against a real verifying server on 127.0.0.1. */
class SigningHttpClientTest {
    private static final String CALLER = "wimse://example.org/svc/caller";

    private final Fixture fixture = new Fixture();

    private RequestSigner.Builder signer() {
        return RequestSigner.builder().credentials(CredentialSource.fixed(fixture.credentials()))
                .proofCreator(fixture.creator());
    }

    private SigningHttpClient client(RequestSigner signer) {
        return SigningHttpClient.builder().signer(signer).allowInsecureHttp(true).build();
    }

    @Test
    void signedGetIsAcceptedAndCallerEchoed() throws Exception {
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders?page=2")).GET().build();
            HttpResponse<String> response = client(signer().build()).send(get, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(CALLER);
            assertThat(get.headers().map()).doesNotContainKey("Workload-Proof-Token"); // the original is untouched
            assertThat(server.callers.get(0).transport()).as("P2-1: Authorization: WPT by default").isEqualTo(WptTransport.AUTHORIZATION);
        }
    }

    @Test
    void P2_3_underAuthorizationWptARequestCarryingABearerTokenIsRefusedBeforeSending() throws Exception {
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders")).header("Authorization", "Bearer access-token-1").GET().build();
            assertThatThrownBy(() -> client(signer().build()).send(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P2-3");
            assertThat(server.callers).as("nothing was sent").isEmpty();
        }
    }

    @Test
    void signedPostBindsAccessTokenTxnTokenAndConfiguredHeader() throws Exception {
        var verifier = fixture.verifier().othPolicy(OthPolicy.builder().required("x-user-context").build()).build();
        try (VerifyingServer server = new VerifyingServer(verifier)) {
            HttpRequest post = HttpRequest.newBuilder(server.uri("/orders"))
                    .header("Authorization", "Bearer access-token-1")
                    .header("Txn-Token", "txn-token-1")
                    .header("X-User-Context", "user=alice")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":42}")).build();
            // an access token bound through 'ath' needs the seed transport (wpt-02 has no ath, P2-3)
            HttpResponse<String> response = client(signer().transport(WptTransport.WORKLOAD_PROOF_TOKEN).bindHeader("X-User-Context").build())
                    .send(post, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as("body %s", response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(CALLER);
            assertThat(server.bodies).containsExactly("{\"item\":42}");
            VerifiedCaller caller = server.callers.get(0);
            assertThat(caller.accessTokenBound()).isTrue();
            assertThat(caller.txnTokenBound()).isTrue();
            assertThat(caller.boundHeaders()).contains("x-user-context");
        }
    }

    @Test
    void accessTokenSwappedOnTheWayIsDetectedAsAthMismatch() throws Exception {
        var verifier = fixture.verifier().build();
        try (VerifyingServer server = new VerifyingServer(verifier, headers -> {
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(headers);
            h.put("Authorization", List.of("Bearer some-other-token"));
            return h;
        })) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders"))
                    .header("Authorization", "Bearer access-token-1").GET().build();
            HttpResponse<String> response = client(signer().transport(WptTransport.WORKLOAD_PROOF_TOKEN).build())
                    .send(get, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo(Reason.ATH_MISMATCH.name());
        }
    }

    @Test
    void everySendCarriesAFreshProofSoResendingIsNotAReplay() throws Exception {
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) { // replay protection on
            SigningHttpClient client = client(signer().build());
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders")).GET().build();

            HttpResponse<String> first = client.send(get, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(get, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> third = client.sendAsync(get, HttpResponse.BodyHandlers.ofString()).join();

            assertThat(List.of(first.statusCode(), second.statusCode(), third.statusCode())).containsOnly(200);
            assertThat(server.callers).hasSize(3);
            assertThat(server.callers.stream().map(c -> c.proof().jwtId()).distinct()).hasSize(3);
        }
    }

    @Test
    void theSameProofSentTwiceIsRejectedAsReplay() throws Exception {
        // Control for the test above: the server does detect replays.
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            SigningHttpClient signing = client(signer().build());
            HttpRequest signed = signing.sign(HttpRequest.newBuilder(server.uri("/orders")).GET().build());
            HttpClient plain = HttpClient.newHttpClient();

            assertThat(plain.send(signed, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> again = plain.send(signed, HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).isEqualTo(Reason.REPLAY.name());
        }
    }

    @Test
    void plainHttpIsRefusedWithoutAllowInsecureHttp() throws Exception {
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            SigningHttpClient strict = SigningHttpClient.builder().signer(signer().build()).build();
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders")).GET().build();

            assertThatThrownBy(() -> strict.send(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SEC-1").hasMessageContaining("allowInsecureHttp");
            assertThatThrownBy(() -> strict.sendAsync(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(server.requests).hasValue(0);
        }
    }

    @Test
    void requestAlreadyCarryingWimseHeadersIsRefused() throws Exception {
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders"))
                    .header("workload-proof-token", "x.y.z").GET().build();

            assertThatThrownBy(() -> client(signer().build()).send(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already carries WIMSE headers");
            assertThat(server.requests).hasValue(0);
        }
    }

    @Test
    void signingFailureSurfacesAsIoExceptionWithReasonAndAsFailedFuture() throws Exception {
        CredentialSource expired = () -> {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "test: WIT expired");
        };
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            SigningHttpClient client = client(RequestSigner.builder().credentials(expired).build());
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders")).GET().build();

            assertThatThrownBy(() -> client.send(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(WimseSigningException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED));
            assertThatThrownBy(() -> client.sendAsync(get, HttpResponse.BodyHandlers.ofString()).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WimseSigningException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED));
            assertThat(server.requests).hasValue(0);
        }
    }

    @Test
    void repeatedBoundHeaderIsRefusedBeforeSending() throws Exception {
        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            HttpRequest get = HttpRequest.newBuilder(server.uri("/orders"))
                    .header("Txn-Token", "a").header("Txn-Token", "b").GET().build();

            assertThatThrownBy(() -> client(signer().build()).send(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(WimseSigningException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.REPEATED_HEADER));
            assertThat(server.requests).hasValue(0);
        }
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> SigningHttpClient.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signer");
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> SigningHttpClient.builder().signer(signer().build()).httpClient(following).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Redirect.NEVER");
    }
}
