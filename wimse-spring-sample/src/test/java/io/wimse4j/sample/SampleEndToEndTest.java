package io.wimse4j.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.sample.checkout.CheckoutApplication;
import io.wimse4j.sample.orders.OrderBook;
import io.wimse4j.sample.orders.OrdersApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample end to end, over real sockets: a real Identity Server (HTTPS, its own CA), the orders
 * service and the checkout service as two Spring Boot applications on free ports. Checkout obtains its
 * WIT with a join token and calls orders; orders verifies the caller through the starter, and its
 * {@code @PreAuthorize} method sees the caller's identifier.
 */
class SampleEndToEndTest {
    static final String CHECKOUT = OrderBook.CHECKOUT;
    static final String INTRUDER = "wimse://sample.example/intruder";
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SampleIdentityServer ids;
    static ConfigurableApplicationContext orders;
    static ConfigurableApplicationContext checkout;
    static URI ordersUri;
    static URI checkoutUri;

    @BeforeAll
    static void start() throws Exception {
        ids = SampleIdentityServer.start(dir.resolve("identity-server"));
        for (String id : new String[]{CHECKOUT, INTRUDER}) {
            ids.register(id);
        }
        Path joinToken = dir.resolve("checkout.join-token");
        Files.writeString(joinToken, ids.joinToken(CHECKOUT));
        int ordersPort = freePort();
        int checkoutPort = freePort();
        ordersUri = URI.create("http://localhost:" + ordersPort);
        checkoutUri = URI.create("http://localhost:" + checkoutPort);
        orders = OrdersApplication.start("--server.port=" + ordersPort, "--server.address=127.0.0.1",
                "--wimse.service.base-uri=" + ordersUri,
                "--wimse.trust-domains[0].name=" + SampleIdentityServer.TRUST_DOMAIN, "--wimse.trust-domains[0].jwks-url=" + ids.jwksUri(), "--wimse.trust-domains[0].ca-file=" + ids.caFile());
        checkout = CheckoutApplication.start("--server.port=" + checkoutPort, "--server.address=127.0.0.1",
                "--sample.orders-url=" + ordersUri, "--wimse.identity-server.url=" + ids.baseUri(),
                "--wimse.identity-server.ca-file=" + ids.caFile(), "--wimse.identity-server.join-token-file=" + joinToken);
    }

    @AfterAll
    static void stop() {
        if (checkout != null) {
            checkout.close();
        }
        if (orders != null) {
            orders.close();
        }
        if (ids != null) {
            ids.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static IdentityServerCredentialSource credentials(String id) throws Exception {
        return IdentityServerCredentialSource.builder(ids.baseUri(), InitialAttestation.joinToken(ids.joinToken(id)))
                .sslContext(TlsTrust.fromCaPem(ids.caFile())).build();
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo(code);
    }

    static double counter(String body, String result, String reason) {
        Matcher m = Pattern.compile("(?m)^wimse_verifications_seconds_count\\{([^}]*)\\} (\\S+)$").matcher(body);
        double total = 0;
        while (m.find()) {
            String tags = m.group(1);
            if (tags.contains("kind=\"wpt\"") && tags.contains("result=\"" + result + "\"") && tags.contains("reason=\"" + reason + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    double metric(String result, String reason) throws Exception {
        HttpResponse<String> r = get(ordersUri.resolve("/actuator/prometheus"), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        return counter(r.body(), result, reason);
    }

    @Test
    void P2_1_allowedCallReachesThePreAuthorizeMethodWithTheCallersIdentifier() throws Exception {
        double before = metric("accepted", "none");
        HttpResponse<String> r = get(checkoutUri.resolve("/checkout/42"), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode order = JSON.readTree(r.body());
        assertThat(order.path("id").asText()).isEqualTo("42");
        assertThat(order.path("readBy").asText()).isEqualTo(CHECKOUT);
        assertThat(metric("accepted", "none")).isEqualTo(before + 1);
    }

    @Test
    void forbiddenCallerOfTheTrustDomainGets403() throws Exception {
        try (IdentityServerCredentialSource intruder = credentials(INTRUDER)) {
            URI uri = ordersUri.resolve("/orders/42");
            Map<String, String> headers = RequestSigner.builder().credentials(intruder).build().sign("GET", uri, Map.of()).asMap();
            assertProblem(get(uri, headers), 403, "forbidden");
        }
    }

    @Test
    void V_9_replayedProofIsRefusedWithProblemJson() throws Exception {
        double before = metric("refused", "replay");
        try (IdentityServerCredentialSource again = credentials(CHECKOUT)) {
            URI uri = ordersUri.resolve("/orders/7");
            Map<String, String> headers = RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN)
                    .credentials(again).build().sign("GET", uri, Map.of()).asMap();
            assertThat(get(uri, headers).statusCode()).isEqualTo(200);
            assertProblem(get(uri, headers), 400, "replay");
        }
        assertThat(metric("refused", "replay")).isEqualTo(before + 1);
    }

    @Test
    void ID_3_forgedWitIsRefusedWithProblemJson() throws Exception {
        WorkloadKeyPair fakeIssuer = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String forged = WitIssuer.builder().signer(fakeIssuer.signer()).trustDomain(TrustDomain.parse(SampleIdentityServer.TRUST_DOMAIN))
                .build().issue(WorkloadIdentifier.parse(CHECKOUT), key.publicJwk()).token();
        URI uri = ordersUri.resolve("/orders/1");
        Map<String, String> headers = RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN)
                .credentials(CredentialSource.fixed(WorkloadCredentials.of(forged, key.signer()))).build().sign("GET", uri, Map.of()).asMap();
        assertProblem(get(uri, headers), 400, "unknown-key");
    }

    @Test
    void actuatorHealthIsUp() throws Exception {
        HttpResponse<String> r = get(ordersUri.resolve("/actuator/health"), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("UP");
    }
}
