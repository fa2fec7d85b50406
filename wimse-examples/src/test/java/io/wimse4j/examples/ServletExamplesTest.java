package io.wimse4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.examples.IdentityServerExample.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's servlet examples in a real Jetty 12 on 127.0.0.1: {@link ServletFilterExample}'s
 * filters in front of a servlet, called with requests signed by {@link CallingWorkloadExample}
 * (by hand, and through {@code SigningHttpClient} over a client that routes the external URI to
 * the local port) with a WIT from {@link IdentityServerExample}.
 */
class ServletExamplesTest {
    private static final URI CHARGE = URI.create("https://payments.example.com/charge");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A client of its own for every request: a refused request's body is never read, after which the
     * server may close the connection while the shared client still holds it for reuse (POST is not
     * retried), which made one run fail with "header parser received no bytes".
     */
    private static HttpClient freshClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @TempDir
    Path dir;

    private Issued issued;
    private RequestVerifier verifier;
    private JettyHarness jetty;

    @BeforeEach
    void issue() throws Exception {
        issued = IdentityServerExample.issueWit();
        verifier = ReceivingWorkloadExample.buildVerifier(issued.jwksJson());
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
    }

    /** The signed request of the README's signer example, its headers sent to the local Jetty. */
    private HttpResponse<String> sendSigned(String method) throws Exception {
        HttpRequest signed = CallingWorkloadExample.signRequest(issued.wit(), issued.workloadKey(), "access-token", "{}");
        HttpRequest.Builder local = HttpRequest.newBuilder(jetty.local(CHARGE)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        for (String h : new String[] {"Authorization", "Workload-Identity-Token", "Workload-Proof-Token"}) {
            local.header(h, signed.headers().firstValue(h).orElseThrow());
        }
        return freshClient().send(local.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> sendBearer(String token) throws Exception {
        return freshClient().send(HttpRequest.newBuilder(jetty.local(CHARGE)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.get("code").asText()).as("problem code").isEqualTo(code);
        assertThat(json.get("status").asInt()).isEqualTo(status);
    }

    @Test
    void ID_2_theComposedAuthorizerLetsAWorkloadOfOurDomainReadButNotWrite() throws Exception {
        jetty = new JettyHarness(ServletFilterExample.filterWithAuthorizer(verifier));
        HttpResponse<String> read = sendSigned("GET");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("wimse://example.com/orders|WIMSE");
        assertProblem(sendSigned("POST"), 403, "forbidden");
    }

    @Test
    void theFilterLetsTheAuthorizedCallerPostToCharge() throws Exception {
        jetty = new JettyHarness(ServletFilterExample.filter(verifier));
        HttpResponse<String> r = sendSigned("POST");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("wimse://example.com/orders|WIMSE");
    }

    @Test
    void theFilterDeniesWhatThePolicyDoesNotAllowAndRefusesAReplay() throws Exception {
        jetty = new JettyHarness(ServletFilterExample.filter(verifier));
        assertProblem(sendSigned("GET"), 403, "forbidden");

        HttpRequest signed = CallingWorkloadExample.signRequest(issued.wit(), issued.workloadKey(), "access-token", "{}");
        HttpRequest.Builder once = HttpRequest.newBuilder(jetty.local(CHARGE)).POST(HttpRequest.BodyPublishers.noBody());
        signed.headers().map().forEach((name, values) -> values.forEach(v -> once.header(name, v)));
        HttpRequest request = once.build();
        assertThat(freshClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertProblem(freshClient().send(request, HttpResponse.BodyHandlers.ofString()), 400, Reason.REPLAY.code());
    }

    @Test
    void aRequestWithoutWimseHeadersGetsAProblem() throws Exception {
        jetty = new JettyHarness(ServletFilterExample.filter(verifier));
        // no WIMSE credential at all: 401 with the wpt-02 challenge (P2-4), never a Bearer challenge
        HttpResponse<String> r = sendBearer("access-token");
        assertProblem(r, 401, Reason.MISSING_WIT.code());
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("WPT");
    }

    @Test
    void theSigningHttpClientExampleReachesTheFilterWithAFreshProofPerSend() throws Exception {
        jetty = new JettyHarness(ServletFilterExample.filter(verifier));
        Path witFile = dir.resolve("wit.jwt");
        Path keyFile = dir.resolve("workload.jwk");
        Files.writeString(witFile, issued.wit());
        Files.writeString(keyFile, issued.workloadKey().privateJwkJson());
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        LoopbackHttpClient http = new LoopbackHttpClient(jetty::local);
        HttpRequest request = HttpRequest.newBuilder(CHARGE).header("Txn-Token", "txn-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":42}")).build();

        HttpResponse<String> first = CallingWorkloadExample.send(http, witFile, keyFile, request);
        HttpResponse<String> second = CallingWorkloadExample.send(http, witFile, keyFile, request);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("wimse://example.com/orders|WIMSE");
        assertThat(second.statusCode()).as("the same request sent again is signed anew: " + second.body()).isEqualTo(200);
        assertThat(http.sent).hasSize(2);
        assertThat(http.sent.get(0).headers().firstValue("Workload-Identity-Token")).hasValue(issued.wit());
        assertThat(http.sent.get(0).headers().firstValue("Authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("WPT "));
        assertThat(http.sent.get(0).headers().firstValue("Authorization"))
                .isNotEqualTo(http.sent.get(1).headers().firstValue("Authorization"));
    }

    @Test
    void duringTheMigrationListedCallersMayStillSendABearerToken() throws Exception {
        Map<String, String> legacyTokens = Map.of(
                "legacy-batch-token", "wimse://example.com/legacy-batch",
                "old-domain-token", "wimse://old.example.com/reports",
                "orders-token", "wimse://example.com/orders");
        ServletFilterExample.ExistingJwtValidator validator = token -> {
            if (token.equals("throwing-token")) {
                throw new IllegalStateException("the existing validator failed on " + token);
            }
            String id = legacyTokens.get(token);
            return id == null ? Optional.empty() : Optional.of(WorkloadIdentifier.parse(id));
        };
        jetty = new JettyHarness(ServletFilterExample.filterDuringBearerMigration(verifier, validator));

        HttpResponse<String> legacy = sendBearer("legacy-batch-token");
        assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(200);
        assertThat(legacy.body()).isEqualTo("wimse://example.com/legacy-batch|BEARER");
        HttpResponse<String> oldDomain = sendBearer("old-domain-token");
        assertThat(oldDomain.statusCode()).as(oldDomain.body()).isEqualTo(200);
        assertThat(oldDomain.body()).isEqualTo("wimse://old.example.com/reports|BEARER");

        // orders has moved to WIMSE: its bearer token no longer names it, its WIT and proof do
        assertProblem(sendBearer("orders-token"), 400, "bearer-not-allowed");
        HttpResponse<String> wimse = sendSigned("POST");
        assertThat(wimse.statusCode()).as(wimse.body()).isEqualTo(200);
        assertThat(wimse.body()).isEqualTo("wimse://example.com/orders|WIMSE");

        assertProblem(sendBearer("unknown-token"), 400, "bearer-invalid");
        HttpResponse<String> thrown = sendBearer("throwing-token");
        assertProblem(thrown, 400, "bearer-invalid");
        assertThat(thrown.body()).doesNotContain("throwing-token");
    }
}
