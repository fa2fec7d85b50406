package io.wimse4j.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Identity Server for the sample's trust domain on 127.0.0.1 (HTTPS with its own CA, port 0),
 * with the operator's two steps the sample needs: register a workload and mint its one-time join
 * token, through the admin API, as {@code wimse admin} does.
 */
final class SampleIdentityServer implements AutoCloseable {
    static final String TRUST_DOMAIN = "sample.example";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IdentityServer server;
    private final HttpClient admin;
    private final String adminToken;

    private SampleIdentityServer(IdentityServer server) throws IOException, java.security.GeneralSecurityException {
        this.server = server;
        SSLContext tls = TlsTrust.fromCaPem(server.caCertFile());
        this.admin = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER).build();
        this.adminToken = Files.readString(server.adminTokenFile()).trim();
    }

    /** Starts a server whose state lives in {@code stateDir}. */
    static SampleIdentityServer start(Path stateDir) throws Exception {
        ServerConfig config = ServerConfig.builder(TRUST_DOMAIN).port(0).stateDir(stateDir).build();
        return new SampleIdentityServer(IdentityServer.builder(config).build().start());
    }

    URI baseUri() {
        return server.baseUri();
    }

    URI jwksUri() {
        return server.baseUri().resolve("/.well-known/jwks.json");
    }

    /** The PEM file of the CA that signed the server's HTTPS certificate. */
    Path caFile() {
        return server.caCertFile();
    }

    /** Registers {@code id} for join-token attestation, WITs of an hour. */
    void register(String id) throws IOException, InterruptedException {
        ObjectNode reg = JSON.createObjectNode().put("id", id).put("wit_ttl_seconds", 3600);
        reg.putArray("attestation").add("join_token").add("wit");
        HttpResponse<String> r = post("/admin/v1/registrations", reg);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("registering " + id + ": HTTP " + r.statusCode());
        }
    }

    /** A fresh one-time join token for the registered workload {@code id}. */
    String joinToken(String id) throws IOException, InterruptedException {
        ObjectNode mint = JSON.createObjectNode().put("id", id).put("ttl_seconds", 600);
        HttpResponse<String> r = post("/admin/v1/join-tokens", mint);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("minting a join token for " + id + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body()).path("token").asText();
    }

    private HttpResponse<String> post(String path, ObjectNode body) throws IOException, InterruptedException {
        return admin.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
