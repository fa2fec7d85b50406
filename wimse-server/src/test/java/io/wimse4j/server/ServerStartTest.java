package io.wimse4j.server;

import io.wimse4j.core.id.TrustDomain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up choices: plain HTTP only when asked, Kubernetes settings never silently ignored. */
class ServerStartTest {
    @TempDir
    Path tmp;

    @Test
    void insecureHttpServesPlainHttpAndDefaultsTheBaseUriToHttp() throws Exception {
        ServerConfig cfg = ServerConfig.builder(new TrustDomain("example.org")).port(0).stateDir(tmp.resolve("s"))
                .insecureHttp(true).build();
        try (IdentityServer server = IdentityServer.builder(cfg).build().start()) {
            assertThat(server.baseUri()).isEqualTo(URI.create("http://localhost:" + server.port()));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void httpsByDefaultRefusesPlainHttp() throws Exception {
        ServerConfig cfg = ServerConfig.builder(new TrustDomain("example.org")).port(0).stateDir(tmp.resolve("s")).build();
        try (IdentityServer server = IdentityServer.builder(cfg).build().start()) {
            assertThat(server.baseUri().getScheme()).isEqualTo("https");
            HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void kubernetesSettingsWithAnUnusableClusterJwksRefuseToStart() throws Exception {
        Path jwks = Files.writeString(tmp.resolve("jwks.json"), "{\"keys\":[]}");
        ServerConfig cfg = ServerConfig.builder(new TrustDomain("example.org")).port(0).stateDir(tmp.resolve("s"))
                .kubernetes(new ServerConfig.KubernetesSettings("https://k8s.example", "wimse", jwks)).build();
        IdentityServer server = IdentityServer.builder(cfg).build();
        assertThatThrownBy(server::start).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster JWKS");
        server.close();
    }

    @Test
    void kubernetesSettingsWithAMissingClusterJwksFileRefuseToStart() throws Exception {
        Path missing = tmp.resolve("no-such-jwks.json");
        ServerConfig cfg = ServerConfig.builder(new TrustDomain("example.org")).port(0).stateDir(tmp.resolve("s"))
                .kubernetes(new ServerConfig.KubernetesSettings("https://k8s.example", "wimse", missing)).build();
        IdentityServer server = IdentityServer.builder(cfg).build();
        assertThatThrownBy(server::start).isInstanceOf(java.io.IOException.class).hasMessageContaining("no-such-jwks.json");
        server.close();
    }
}
