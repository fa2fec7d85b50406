package io.wimse4j.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import io.wimse4j.server.internal.ServerTls;
import io.wimse4j.testkit.MutableClock;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a real Identity Server on 127.0.0.1, port 0, HTTPS with its own CA, and talks to it with a
 * {@code java.net.http} client that trusts that CA (and nothing else). The external base URI is
 * fixed ({@link #BASE}) so it survives restarts; requests go to the bound address.
 */
public final class ServerHarness implements AutoCloseable {
    /** The configured external base URI. */
    public static final String BASE = "https://wimse.test";
    /** The issuance audience. */
    public static final String AUDIENCE = BASE + "/v1/wit";
    /** The trust domain. */
    public static final String TD = "example.org";

    public final MutableClock clock;
    public final Path stateDir;
    private final Consumer<ServerConfig.Builder> customizer;
    private final ServiceAccountTokenVerifier kubernetes;
    private final Consumer<IdentityServer.Builder> serverCustomizer;
    private IdentityServer server;
    private HttpClient client;

    public ServerHarness(Path stateDir, Consumer<ServerConfig.Builder> customizer, ServiceAccountTokenVerifier kubernetes)
            throws Exception {
        this(stateDir, customizer, kubernetes, b -> { });
    }

    /** A harness whose server builder is also adjusted by {@code serverCustomizer} (e.g. a signing-key provider). */
    public ServerHarness(Path stateDir, Consumer<ServerConfig.Builder> customizer, ServiceAccountTokenVerifier kubernetes,
                         Consumer<IdentityServer.Builder> serverCustomizer) throws Exception {
        this.clock = new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
        this.stateDir = stateDir;
        this.customizer = customizer;
        this.kubernetes = kubernetes;
        this.serverCustomizer = serverCustomizer;
        start();
    }

    public ServerHarness(Path stateDir) throws Exception {
        this(stateDir, b -> { }, null);
    }

    /** (Re)starts the server on the same state directory. */
    public void start() throws Exception {
        ServerConfig.Builder b = ServerConfig.builder(TD).baseUri(URI.create(BASE)).port(0).stateDir(stateDir)
                .maxWitTtl(Duration.ofMinutes(10)).defaultWitTtl(Duration.ofMinutes(5))
                .jwksMaxAge(Duration.ofSeconds(300));
        customizer.accept(b);
        IdentityServer.Builder sb = IdentityServer.builder(b.build()).clock(clock);
        if (kubernetes != null) {
            sb.kubernetesVerifier(kubernetes);
        }
        serverCustomizer.accept(sb);
        server = sb.build().start();
        String caPem = Files.readString(server.caCertFile());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ServerTls.trustStore(caPem));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Stops and starts the server again (same state directory). */
    public void restart() throws Exception {
        server.close();
        start();
    }

    public IdentityServer server() {
        return server;
    }

    public URI url(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    public String adminToken() throws Exception {
        return Files.readString(server.adminTokenFile()).trim();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(url(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            rb.header("Content-Type", contentType);
        }
        headers.forEach(rb::header);
        return send(rb.build());
    }

    public HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return adminWith("Bearer " + adminToken(), method, path, body);
    }

    public HttpResponse<String> adminWith(String authorization, String method, String path, String body) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(url(path));
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        if (body != null) {
            rb.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(rb.build());
    }

    /** Registers {@code path} in the trust domain for {@code methods} (a JSON array's contents). */
    public void register(String id, String methodsJson, String extra) throws Exception {
        HttpResponse<String> r = admin("POST", "/admin/v1/registrations",
                "{\"id\":\"" + id + "\",\"attestation\":[" + methodsJson + "]" + (extra == null ? "" : "," + extra) + "}");
        if (r.statusCode() != 201) {
            throw new AssertionError("registration failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** Mints a join token for {@code id}. */
    public String joinToken(String id) throws Exception {
        HttpResponse<String> r = admin("POST", "/admin/v1/join-tokens", "{\"id\":\"" + id + "\",\"ttl_seconds\":600}");
        if (r.statusCode() != 201) {
            throw new AssertionError("join token failed: " + r.statusCode() + " " + r.body());
        }
        return json(r.body()).get("token").textValue();
    }

    /** A proof of possession of {@code key} with the standard claims, adjustable by {@code claims}. */
    public String proof(WorkloadKeyPair key, Consumer<ObjectNode> claims) {
        long now = clock.instant().getEpochSecond();
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.put("aud", AUDIENCE);
        c.put("iat", now);
        c.put("exp", now + 60);
        c.put("jti", JwsWriter.randomJwtId());
        claims.accept(c);
        return JwsWriter.sign(key.signer(), "wimse-pop+jwt", c);
    }

    /** The issuance body for {@code key}, {@code proof} and the attestation object. */
    public static String body(WorkloadKeyPair key, String proof, String attestationJson) {
        return "{\"public_jwk\":" + key.publicJwk().toJson() + ",\"proof\":\"" + proof + "\",\"attestation\":"
                + attestationJson + "}";
    }

    /** POST /v1/wit with a join token. */
    public HttpResponse<String> issueWithJoinToken(WorkloadKeyPair key, String token) throws Exception {
        return post("/v1/wit", "application/json",
                body(key, proof(key, c -> { }), "{\"method\":\"join_token\",\"token\":\"" + token + "\"}"), Map.of());
    }

    /** POST /v1/wit renewing {@code wit} (held with {@code oldKey}) for {@code newKey}. */
    public HttpResponse<String> renew(String wit, WorkloadKeyPair oldKey, WorkloadKeyPair newKey) throws Exception {
        return renew(wit, oldKey, newKey, WptTransport.WORKLOAD_PROOF_TOKEN);
    }

    /** A renewal whose WPT travels in {@code transport}: {@code Workload-Proof-Token} or {@code Authorization: WPT}. */
    public HttpResponse<String> renew(String wit, WorkloadKeyPair oldKey, WorkloadKeyPair newKey, WptTransport transport) throws Exception {
        WorkloadCredentials creds = WorkloadCredentials.of(wit, oldKey.signer());
        String wpt = WptCreator.create(clock, Duration.ofSeconds(60)).create(creds, AUDIENCE, ProofBindings.NONE);
        return post("/v1/wit", "application/json", body(newKey, proof(newKey, c -> { }), "{\"method\":\"wit\"}"),
                Map.of("Workload-Identity-Token", wit, transport.headerName(), transport.headerValue(wpt)));
    }

    public static JsonNode json(String s) {
        try {
            return StrictJson.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
