package io.wimse4j.client;

import com.sun.net.httpserver.HttpServer;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a renewal's WPT travels (P2-1): the headers the Identity Server client sends on a real socket,
 * captured by a JDK HTTP server that answers every request with a problem. The real Identity Server,
 * which accepts both, is exercised by {@code IdentityServerCredentialSourceTest}.
 */
class RenewalTransportTest {
    private HttpServer server;
    private final AtomicReference<Map<String, List<String>>> seen = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.set(Map.copyOf(exchange.getRequestHeaders()));
            byte[] body = "{\"type\":\"https://wimse4j.io/problems/attestation-failed\",\"title\":\"Attestation failed\",\"status\":400,\"detail\":\"x\",\"code\":\"attestation-failed\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "P2-1 a renewal with transport {0} carries its WPT there and nowhere else")
    @EnumSource(WptTransport.class)
    void P2_1_aRenewalCarriesItsWptInTheConfiguredTransport(WptTransport transport) {
        Fixture f = new Fixture();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/wit");
        IssuanceClient client = new IssuanceClient(endpoint, HttpClient.newHttpClient(), JwsAlgorithm.EdDSA, transport,
                f.clock, Duration.ofSeconds(10), 64 * 1024);
        assertThatThrownBy(() -> client.renew(f.credentials())).isInstanceOf(IdentityServerException.class)
                .hasMessageContaining("attestation-failed");
        Map<String, List<String>> headers = seen.get();
        assertThat(headers.get("Workload-identity-token")).containsExactly(f.wit);
        if (transport == WptTransport.AUTHORIZATION) {
            assertThat(headers.get("Authorization")).singleElement().asString().startsWith("WPT ey");
            assertThat(headers).doesNotContainKey("Workload-proof-token");
        } else {
            assertThat(headers.get("Workload-proof-token")).singleElement().asString().startsWith("ey");
            assertThat(headers).doesNotContainKey("Authorization");
        }
    }
}
