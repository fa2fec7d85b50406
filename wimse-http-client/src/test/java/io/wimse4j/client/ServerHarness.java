package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Identity Server ({@code wimse-server}) over HTTPS on 127.0.0.1, with its own CA, state
 * directory and clock, driven through its admin API like an operator would.
 */
final class ServerHarness implements AutoCloseable {
    static final String TRUST_DOMAIN = "example.org";

    private final Path stateDir;
    private final Clock clock;
    private final ServiceAccountTokenVerifier kubernetes;
    private final java.util.function.Consumer<ServerConfig.Builder> settings;
    private IdentityServer server;
    private int port;

    ServerHarness(Path stateDir, Clock clock, ServiceAccountTokenVerifier kubernetes) throws Exception {
        this(stateDir, clock, kubernetes, b -> { });
    }

    /** A server whose configuration {@code settings} changes (WIC lifetime, publish-ahead, ...). */
    ServerHarness(Path stateDir, Clock clock, ServiceAccountTokenVerifier kubernetes,
                  java.util.function.Consumer<ServerConfig.Builder> settings) throws Exception {
        this.stateDir = stateDir;
        this.clock = clock;
        this.kubernetes = kubernetes;
        this.settings = settings;
        start(0);
        port = server.port();
    }

    private void start(int onPort) throws Exception {
        ServerConfig.Builder cb = ServerConfig.builder(TRUST_DOMAIN).port(onPort).stateDir(stateDir);
        settings.accept(cb);
        ServerConfig config = cb.build();
        IdentityServer.Builder b = IdentityServer.builder(config).clock(clock);
        if (kubernetes != null) {
            b.kubernetesVerifier(kubernetes);
        }
        server = b.build().start();
    }

    /** Stops the server (its state stays on disk). */
    void stop() throws Exception {
        server.close();
    }

    /** Starts it again on the same port with the same state. */
    void restart() throws Exception {
        start(port);
    }

    URI baseUri() {
        return URI.create("https://localhost:" + port);
    }

    URI jwksUri() {
        return baseUri().resolve("/.well-known/jwks.json");
    }

    SSLContext clientTls() throws Exception {
        return TlsTrust.fromCaPem(Files.readAllBytes(server.caCertFile()));
    }

    /** Registers {@code id} for the given attestation methods and WIT lifetime; {@code k8s} is "namespace/sa" or null. */
    void register(String id, long witTtlSeconds, String k8s, String... methods) throws Exception {
        ObjectNode body = StrictJson.mapper().createObjectNode().put("id", id).put("wit_ttl_seconds", witTtlSeconds);
        var arr = body.putArray("attestation");
        for (String m : methods) {
            arr.add(m);
        }
        if (k8s != null) {
            String[] parts = k8s.split("/");
            body.putObject("kubernetes").put("namespace", parts[0]).put("service_account", parts[1]);
        }
        assertThat(admin("/admin/v1/registrations", body).statusCode()).isEqualTo(201);
    }

    /** Mints a join token for {@code id}. */
    String joinToken(String id) throws Exception {
        HttpResponse<String> r = admin("/admin/v1/join-tokens",
                StrictJson.mapper().createObjectNode().put("id", id).put("ttl_seconds", 600));
        assertThat(r.statusCode()).isEqualTo(201);
        return StrictJson.parseObject(r.body(), "join token").get("token").textValue();
    }

    /** Rotates the WIT signing key through the admin API; returns the new {@code kid}. */
    String rotateKeys() throws Exception {
        HttpResponse<String> r = admin("/admin/v1/keys/rotate", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return StrictJson.parseObject(r.body(), "rotation").get("kid").textValue();
    }

    /** Rotates the workload CA through the admin API (published now, signing after the publish-ahead). */
    void rotateWorkloadCa() throws Exception {
        assertThat(admin("/admin/v1/wic-ca/rotate", null).statusCode()).isEqualTo(200);
    }

    /** The workload CA certificates published now, PEM ({@code /v1/x509-bundle.pem}). */
    String workloadCaPem() {
        return server.workloadCaPem();
    }

    /** The file of the server's HTTPS CA certificate. */
    Path caCertFile() {
        return server.caCertFile();
    }

    /** Runs the server's key schedule now (it also runs every second on its own). */
    void maintainKeys() {
        server.maintainKeys();
    }

    private HttpResponse<String> admin(String path, ObjectNode body) throws Exception {
        String token = Files.readString(server.adminTokenFile()).strip();
        HttpClient http = HttpClient.newBuilder().sslContext(clientTls()).build();
        return http.send(HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(StrictJson.mapper().writeValueAsString(body), StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
