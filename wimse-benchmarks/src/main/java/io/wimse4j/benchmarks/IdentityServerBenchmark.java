package io.wimse4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import io.wimse4j.server.internal.ServerTls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code POST /v1/wit} of a real Identity Server over loopback HTTPS (kept-alive HTTP/1.1
 * connection, JDK client), in throughput and sample-time modes. The server signs WITs with an
 * EdDSA key; workloads use EdDSA keys.
 *
 * <ul>
 *   <li>{@code attestation=join_token}: a fresh key, its proof and a join token per request, all
 *       made before the iteration (not measured). The server verifies the proof (fresh key), uses up
 *       the join token (rewriting {@code join-tokens.json} atomically with fsync) and signs the WIT.</li>
 *   <li>{@code attestation=wit}: renewal. The request carries the current WIT and a WPT made for it
 *       (one Ed25519 signature, measured, the client's share), and a pre-made fresh key and proof;
 *       the server verifies proof, WIT and WPT (replay cache on) and signs the new WIT, which the
 *       next request renews.</li>
 * </ul>
 * Compare with the bare operations in {@code RatioReport}: join_token = fresh-key verify then sign;
 * wit = fresh-key verify, verify, fresh-key verify, then sign.
 */
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class IdentityServerBenchmark extends BenchmarkDefaults {
    private static final String SVC = "wimse://example.org/bench";
    private static final String BASE = "https://wimse.bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"join_token", "wit"})
    public String attestation;

    /**
     * Requests prepared per iteration (1-second iterations); an iteration must not use more (it
     * fails loudly if it does). Minting join tokens is not free (each is persisted), hence the
     * short iterations; the tokens an iteration leaves unused are spent after it (not measured), so
     * every iteration starts with the same number of outstanding tokens.
     */
    @Param({"600"})
    public int pool;

    private Path stateDir;
    private IdentityServer server;
    private HttpClient client;
    private URI issueUri;
    private String adminToken;
    private final ArrayDeque<String[]> prepared = new ArrayDeque<>();
    private String wit;
    private WorkloadKeyPair witKey;
    private final WptCreator wptCreator = WptCreator.create();

    @Setup(Level.Trial)
    public void startServer() throws Exception {
        stateDir = Files.createTempDirectory("wimse-bench-server");
        ServerConfig config = ServerConfig.builder("example.org").baseUri(URI.create(BASE)).port(0)
                .stateDir(stateDir.resolve("state")).keyAlgorithm(JwsAlgorithm.EdDSA).build();
        server = IdentityServer.builder(config).build().start();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ServerTls.trustStore(server.caPem()));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
        issueUri = URI.create("https://127.0.0.1:" + server.port() + "/v1/wit");
        adminToken = Files.readString(server.adminTokenFile()).trim();
        admin("/admin/v1/registrations", "{\"id\":\"" + SVC + "\",\"attestation\":[\"join_token\",\"wit\"]}");
        witKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        wit = issue(body(witKey, "{\"method\":\"join_token\",\"token\":\"" + joinToken() + "\"}"), null).get("wit").textValue();
    }

    @Setup(Level.Iteration)
    public void prepare() throws Exception {
        prepared.clear();
        for (int i = 0; i < pool; i++) {
            WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            String att = attestation.equals("wit") ? "{\"method\":\"wit\"}"
                    : "{\"method\":\"join_token\",\"token\":\"" + joinToken() + "\"}";
            prepared.add(new String[]{body(key, att), key.privateJwkJson()});
        }
    }

    @Benchmark
    @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
    public JsonNode issue() throws Exception {
        String[] next = prepared.poll();
        if (next == null) {
            throw new IllegalStateException("the prepared pool is exhausted: raise -p pool");
        }
        if (attestation.equals("wit")) {
            String wpt = wptCreator.create(WorkloadCredentials.of(wit, witKey.signer()), BASE + "/v1/wit", ProofBindings.NONE);
            JsonNode r = issue(next[0], new String[]{"Workload-Identity-Token", wit, "Workload-Proof-Token", wpt});
            wit = r.get("wit").textValue();
            witKey = WorkloadKeyPair.fromPrivateJwk(next[1], null);
            return r;
        }
        return issue(next[0], null);
    }

    private JsonNode issue(String body, String[] headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(issueUri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers != null) {
            b.headers(headers);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("issuance refused: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static String body(WorkloadKeyPair key, String attestationJson) {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode c = StrictJson.mapper().createObjectNode().put("aud", BASE + "/v1/wit").put("iat", now)
                .put("exp", now + 300).put("jti", JwsWriter.randomJwtId());
        String proof = JwsWriter.sign(key.signer(), "wimse-pop+jwt", c);
        return "{\"public_jwk\":" + key.publicJwk().toJson() + ",\"proof\":\"" + proof + "\",\"attestation\":"
                + attestationJson + "}";
    }

    private String joinToken() throws Exception {
        return admin("/admin/v1/join-tokens", "{\"id\":\"" + SVC + "\",\"ttl_seconds\":600}").get("token").textValue();
    }

    private JsonNode admin(String path, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("admin call refused: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @TearDown(Level.Iteration)
    public void drain() throws Exception {
        if (attestation.equals("join_token")) {
            for (String[] next; (next = prepared.poll()) != null; ) {
                issue(next[0], null);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stopServer() throws Exception {
        server.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
