package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /readyz} (signing keys, a writable state directory, the cluster's JWKS) next to {@code /healthz}, and the
 * cluster's JWKS fetched from {@code kubernetes-jwks-url} and refreshed: a real loopback JWKS endpoint whose key
 * rotates, over HTTP (loopback) and over HTTPS with {@code kubernetes-ca-file}.
 */
class ReadinessAndClusterJwksTest {
    static final String ISSUER = "https://oidc.cluster.example";
    static final String AUDIENCE = "wimse-identity-server";
    static final String SVC = "wimse://example.org/payments";

    @TempDir
    Path tmp;
    ServerHarness h;
    HttpServer cluster;
    final AtomicReference<String> clusterJwks = new AtomicReference<>();
    final AtomicInteger clusterStatus = new AtomicInteger(200);
    final AtomicInteger fetches = new AtomicInteger();

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        if (cluster != null) {
            cluster.stop(0);
        }
    }

    URI startCluster() throws Exception {
        cluster = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cluster.createContext("/openid/v1/jwks", ex -> {
            fetches.incrementAndGet();
            byte[] body = clusterJwks.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            ex.sendResponseHeaders(clusterStatus.get(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        cluster.start();
        return URI.create("http://127.0.0.1:" + cluster.getAddress().getPort() + "/openid/v1/jwks");
    }

    static String jwks(WorkloadKeyPair key) {
        return "{\"keys\":[" + key.publicJwk().toJson() + "]}";
    }

    String saToken(WorkloadKeyPair signer) {
        long now = h.clock.instant().getEpochSecond();
        ObjectNode c = StrictJson.mapper().createObjectNode().put("iss", ISSUER)
                .put("sub", "system:serviceaccount:prod:payments").put("iat", now).put("nbf", now).put("exp", now + 600);
        c.putArray("aud").add(AUDIENCE);
        ObjectNode k8s = c.putObject("kubernetes.io");
        k8s.put("namespace", "prod");
        k8s.putObject("serviceaccount").put("name", "payments");
        return JwsWriter.sign(signer.signer(), "JWT", c);
    }

    HttpResponse<String> issue(String token) throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        return h.post("/v1/wit", "application/json", ServerHarness.body(key, h.proof(key, c -> c.put("sub", SVC)),
                "{\"method\":\"kubernetes\",\"token\":\"" + token + "\"}"), Map.of());
    }

    static void assertNotReady(HttpResponse<String> r, String check, String reasonContains) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        JsonNode body = json(r.body());
        assertThat(body.get("status").textValue()).isEqualTo("not-ready");
        assertThat(body.get("failing")).anySatisfy(f -> {
            assertThat(f.get("check").textValue()).isEqualTo(check);
            assertThat(f.get("reason").textValue()).contains(reasonContains);
        });
    }

    @Test
    void readyzIs200WithKeysAndAWritableStateDirWhileHealthzOnlySaysAlive() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        HttpResponse<String> ready = h.get("/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready.body()).get("status").textValue()).isEqualTo("ready");
        assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
        // the probe leaves nothing behind in the state directory
        try (Stream<Path> files = Files.list(h.stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("readyz"));
        }
    }

    @Test
    void readyzIs503NamingTheStateDirWhenItCannotBeWrittenAndHealthzStays200() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        Path moved = tmp.resolve("moved");
        Files.move(h.stateDir, moved); // the state directory is gone from under the server
        try {
            assertNotReady(h.get("/readyz"), "state-dir", "not writable");
            assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
        } finally {
            Files.move(moved, h.stateDir);
        }
        assertThat(h.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aRotatedClusterKeyIsPickedUpFromTheJwksUrlWithoutARestart() throws Exception {
        WorkloadKeyPair oldKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        WorkloadKeyPair newKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        clusterJwks.set(jwks(oldKey));
        URI url = startCluster();
        h = new ServerHarness(tmp.resolve("state"), b -> b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(
                ISSUER, AUDIENCE, url, null, Duration.ofSeconds(1))), null);
        h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
        assertThat(h.get("/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> before = issue(saToken(oldKey));
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertProblem(issue(saToken(newKey)), 400, "attestation-failed");

        clusterJwks.set(jwks(newKey)); // the cluster rotates and drops the old key
        int seen = fetches.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        HttpResponse<String> after;
        do {
            Thread.sleep(200);
            after = issue(saToken(newKey));
        } while (after.statusCode() != 200 && System.nanoTime() < deadline);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(fetches.get()).isGreaterThan(seen);
        // a key the cluster removed verifies nothing after the refresh
        HttpResponse<String> old = issue(saToken(oldKey));
        assertProblem(old, 400, "attestation-failed");
        assertThat(json(old.body()).get("detail").textValue()).contains("service-account token");
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodKeysAndTheServerReady() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        clusterJwks.set(jwks(key));
        URI url = startCluster();
        h = new ServerHarness(tmp.resolve("state"), b -> b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(
                ISSUER, AUDIENCE, url, null, Duration.ofSeconds(1))), null);
        h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
        clusterStatus.set(500);
        int seen = fetches.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fetches.get() < seen + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(fetches.get()).isGreaterThanOrEqualTo(seen + 2);
        assertThat(issue(saToken(key)).statusCode()).isEqualTo(200);
        assertThat(h.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aJwksEndpointThatStallsMidBodyIsGivenUpAfter10sAndTheNextRefreshStillRuns() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        clusterJwks.set(jwks(key));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stall = new java.util.concurrent.atomic.AtomicBoolean(true);
        cluster = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cluster.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        cluster.createContext("/openid/v1/jwks", ex -> {
            byte[] body = clusterJwks.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            if (stall.getAndSet(false)) {
                ex.getResponseBody().write(body, 0, 5); // headers and a few bytes, then nothing
                ex.getResponseBody().flush();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            ex.getResponseBody().write(body);
            ex.close();
        });
        cluster.start();
        URI url = URI.create("http://127.0.0.1:" + cluster.getAddress().getPort() + "/openid/v1/jwks");
        try {
            long started = System.nanoTime();
            h = new ServerHarness(tmp.resolve("state"), b -> b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(
                    ISSUER, AUDIENCE, url, null, Duration.ofSeconds(1))), null);
            // the stalled endpoint holds its body for 30 s: the start (its first fetch) gives up after 10
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
            HttpResponse<String> r = h.get("/readyz");
            if (r.statusCode() != 200) { // the refresh after the stalled one may already have succeeded
                assertNotReady(r, "kubernetes-jwks", "did not arrive within 10 s");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.get("/readyz").statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(h.get("/readyz").statusCode()).as("the refresh thread was not held by the stalled body").isEqualTo(200);
            assertThat(issue(saToken(key)).statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
        }
    }

    @Test
    void readyzIs503NamingTheClusterJwksUntilItsFirstFetchSucceeds() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        clusterJwks.set(jwks(key));
        clusterStatus.set(503);
        URI url = startCluster();
        h = new ServerHarness(tmp.resolve("state"), b -> b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(
                ISSUER, AUDIENCE, url, null, Duration.ofSeconds(1))), null);
        h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
        HttpResponse<String> r = h.get("/readyz");
        assertNotReady(r, "kubernetes-jwks", "HTTP status 503");
        assertThat(r.body()).doesNotContain(h.adminToken());
        assertProblem(issue(saToken(key)), 400, "attestation-failed");

        clusterStatus.set(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (h.get("/readyz").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(h.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(issue(saToken(key)).statusCode()).isEqualTo(200);
    }

    @Test
    void theJwksUrlIsFetchedOverHttpsTrustingTheConfiguredCaFileOnly() throws Exception {
        // a real HTTPS JWKS endpoint: another Identity Server's /.well-known/jwks.json (ES256 keys), its own CA
        try (ServerHarness apiServer = new ServerHarness(tmp.resolve("api-server"))) {
            URI url = URI.create("https://127.0.0.1:" + apiServer.server().port() + "/.well-known/jwks.json");
            Path ca = apiServer.server().caCertFile();
            h = new ServerHarness(tmp.resolve("state"), b -> b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(
                    ISSUER, AUDIENCE, url, ca, Duration.ofMinutes(5))), null);
            assertThat(h.get("/readyz").statusCode()).as(h.get("/readyz").body()).isEqualTo(200);
            h.close();
            h = null;

            // without the CA file the JDK's trust store does not know that CA: never fetched, not ready
            h = new ServerHarness(tmp.resolve("state2"), b -> b.kubernetes(ServerConfig.KubernetesSettings.fromUrl(
                    ISSUER, AUDIENCE, url, null, Duration.ofMinutes(5))), null);
            assertNotReady(h.get("/readyz"), "kubernetes-jwks", "fetch of " + url + " failed");
        }
    }

    @Test
    void aJwksUrlOverPlainHttpToANonLoopbackHostIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.KubernetesSettings.fromUrl(ISSUER, AUDIENCE,
                        URI.create("http://k8s.example/openid/v1/jwks"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be https");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfig.KubernetesSettings(ISSUER, AUDIENCE,
                        java.util.Optional.of(Path.of("jwks.json")), java.util.Optional.of(URI.create("https://k8s.example/jwks")),
                        java.util.Optional.empty(), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of");
    }

}
