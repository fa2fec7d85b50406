package io.wimse4j.server;

import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code admin-listen}: the admin API on its own loopback listener only, never on the main port then. */
class AdminListenerTest {
    @TempDir
    Path tmp;
    ServerHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    HttpResponse<String> onAdminPort(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + h.server().adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        return h.send(rb.build());
    }

    @Test
    void withAdminListenTheAdminApiIsServedOnItsOwnPortAndIs404OnTheMainPort() throws Exception {
        h = new ServerHarness(tmp.resolve("state"), b -> b.adminListen(ServerConfig.parseAdminListen("127.0.0.1:0")), null);
        int adminPort = h.server().adminPort();
        assertThat(adminPort).isPositive().isNotEqualTo(h.server().port());
        String bearer = "Bearer " + h.adminToken();

        HttpResponse<String> list = onAdminPort("GET", "/admin/v1/registrations", bearer);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(json(list.body()).get("registrations").isArray()).isTrue();
        assertProblem(onAdminPort("GET", "/admin/v1/registrations", null), 401, "admin-unauthorized");
        assertThat(onAdminPort("POST", "/admin/v1/keys/rotate", bearer).statusCode()).isEqualTo(200);

        // the main port: every admin path is 404, with or without the token, before any authorization
        assertProblem(h.admin("GET", "/admin/v1/registrations", null), 404, "not-found");
        assertProblem(h.admin("POST", "/admin/v1/registrations",
                "{\"id\":\"wimse://example.org/a\",\"attestation\":[\"join_token\"]}"), 404, "not-found");
        assertProblem(h.adminWith(null, "POST", "/admin/v1/keys/rotate", null), 404, "not-found");
        // the public endpoints stay on the main port, and are not on the admin port
        assertThat(h.get("/.well-known/jwks.json").statusCode()).isEqualTo(200);
        assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
        assertProblem(onAdminPort("GET", "/.well-known/jwks.json", null), 404, "not-found");
        assertProblem(onAdminPort("GET", "/healthz", null), 404, "not-found");
    }

    @Test
    void withoutAdminListenTheAdminApiStaysOnTheMainPort() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        assertThat(h.admin("GET", "/admin/v1/registrations", null).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> h.server().adminPort()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("admin-listen is not set");
    }

    @Test
    void aNonLoopbackAdminListenAddressIsRefusedWithTheReason() {
        for (String bad : new String[] {"0.0.0.0:9443", "10.1.2.3:9443", "[::]:9443", "admin.example:9443"}) {
            assertThatThrownBy(() -> ServerConfig.parseAdminListen(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a loopback address");
        }
        assertThatThrownBy(() -> ServerConfig.parseAdminListen("127.0.0.1")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> ServerConfig.parseAdminListen("127.0.0.1:99999")).hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org",
                "admin-listen", "0.0.0.0:9443"))).hasMessageContaining("must be a loopback address");
        assertThat(ServerConfig.parseAdminListen("[::1]:9443").getAddress().isLoopbackAddress()).isTrue();
        assertThat(ServerConfig.parseAdminListen("localhost:9443").getHostString()).isEqualTo("127.0.0.1");
    }
}
