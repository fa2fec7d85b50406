package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.server.testing.ServerMain;
import io.wimse4j.server.internal.ServerTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 4, "a restart or a crash loses nothing": the Identity Server runs in its own JVM
 * ({@link ServerMain}) and is killed with SIGKILL ({@link Process#destroyForcibly()}, no shutdown hook,
 * no {@code close()}); a new process on the same state directory must have everything that was
 * acknowledged before the kill (KEY-1: and the files stay owner-only).
 */
class CrashRecoveryTest {
    static final String SVC = "wimse://example.org/svc";
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigkillLosesNothingThatWasAcknowledged() throws Exception {
        Path state = tmp.resolve("state");
        Remote s = start(state, "first");
        s.register(SVC);
        String used = s.joinToken(SVC);
        String unused = s.joinToken(SVC);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> issued = s.issue(key, used);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String wit = json(issued.body()).get("wit").textValue();
        String rotatedKid = s.rotate();
        Set<String> kidsBefore = kids(s.get("/.well-known/jwks.json").body());
        assertThat(kidsBefore).contains(rotatedKid).hasSizeGreaterThanOrEqualTo(2);
        String adminToken = s.adminToken;

        s.crash();
        Remote r = start(state, "second");

        assertThat(kids(r.get("/.well-known/jwks.json").body())).isEqualTo(kidsBefore);
        assertThat(r.adminToken).isEqualTo(adminToken);
        JsonNode regs = json(r.admin("GET", "/admin/v1/registrations", null).body()).get("registrations");
        assertThat(regs).hasSize(1);
        assertThat(regs.get(0).get("id").textValue()).isEqualTo(SVC);
        assertProblem(r.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), used), 400, "join-token-invalid");
        HttpResponse<String> second = r.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), unused);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        // and now it is used, once only
        assertProblem(r.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), unused), 400, "join-token-invalid");

        VerifiedWit v = r.verifier().verify(wit);
        assertThat(v.subject().toString()).isEqualTo(SVC);
        assertThat(v.confirmationKey().thumbprint()).isEqualTo(key.publicJwk().thumbprint());

        assertOwnerOnly(state);
    }

    @Test
    void sigkillDuringIssuanceLeavesNoTornStateFile() throws Exception {
        Path state = tmp.resolve("state");
        Remote s = start(state, "first");
        s.register(SVC);
        List<String> registered = Collections.synchronizedList(new ArrayList<>(List.of(SVC)));
        List<String> usedTokens = Collections.synchronizedList(new ArrayList<>());
        List<String> rotatedKids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = new Thread(() -> {
            // every operation writes a state file; only acknowledged ones are recorded
            for (int i = 0; !stop.get(); i++) {
                try {
                    String id = SVC + "-" + i;
                    if (s.admin("POST", "/admin/v1/registrations",
                            "{\"id\":\"" + id + "\",\"attestation\":[\"join_token\"]}").statusCode() == 201) {
                        registered.add(id);
                    }
                    String token = s.joinToken(id);
                    if (s.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).statusCode() == 200) {
                        usedTokens.add(token);
                    }
                    if (i % 4 == 0) {
                        rotatedKids.add(s.rotate());
                    }
                    done.incrementAndGet();
                } catch (Exception | AssertionError e) {
                    return; // the server was killed under this request
                }
            }
        }, "crash-load");
        load.setDaemon(true);
        load.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (done.get() < 6 && load.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(done.get()).as("load iterations before the kill").isGreaterThanOrEqualTo(6);
        s.crash();
        stop.set(true);
        load.join(WAIT.toMillis());
        assertThat(load.isAlive()).isFalse();

        // every state file is whole: JSON files parse, every audit line parses, and the server starts on them
        assertWholeStateFiles(state);
        Remote r = start(state, "second");
        Set<String> regs = new HashSet<>();
        json(r.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")
                .forEach(n -> regs.add(n.get("id").textValue()));
        assertThat(regs).containsAll(List.copyOf(registered));
        assertThat(kids(r.get("/.well-known/jwks.json").body())).containsAll(List.copyOf(rotatedKids));
        for (String token : List.copyOf(usedTokens)) {
            assertProblem(r.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
        }
        // the restarted server still issues
        HttpResponse<String> after = r.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), r.joinToken(SVC));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertOwnerOnly(state);
    }

    /** Every JSON state file parses and every line of the audit log (and its rotated files) is a whole JSON object. */
    static void assertWholeStateFiles(Path state) throws Exception {
        try (Stream<Path> files = Files.list(state)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json")) {
                    assertThat(StrictJson.mapper().readTree(Files.readString(f))).as(name).isNotNull();
                }
                if (name.startsWith("audit.log")) {
                    for (String line : Files.readAllLines(f)) {
                        assertThat(json(line).get("result").textValue()).as(line).isNotBlank();
                    }
                }
            }
        }
    }

    static Set<String> kids(String jwks) {
        Set<String> out = new HashSet<>();
        json(jwks).get("keys").forEach(k -> out.add(k.get("kid").textValue()));
        return out;
    }

    static void assertOwnerOnly(Path state) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        try (Stream<Path> s = Files.list(state)) {
            for (Path f : s.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    /** Starts {@link ServerMain} in a new JVM on {@code state} and waits (bounded) for its port. */
    Remote start(Path state, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                state.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(out)) {
                for (String line : Files.readAllLines(out)) {
                    if (line.startsWith("PORT ")) {
                        return new Remote(p, state, Integer.parseInt(line.substring(5).trim()));
                    }
                }
            }
            if (!p.isAlive()) {
                fail("server process exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            Thread.sleep(50);
        }
        return fail("server process did not print its port within " + WAIT + ": " + Files.readString(err));
    }

    /** A server in another process, reached over HTTPS trusting only its CA. */
    static final class Remote {
        final Process process;
        final int port;
        final String adminToken;
        final HttpClient client;

        Remote(Process process, Path state, int port) throws Exception {
            this.process = process;
            this.port = port;
            this.adminToken = Files.readString(state.resolve("admin-token")).trim();
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ServerTls.trustStore(Files.readString(state.resolve("ca.pem"))));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            this.client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        /** SIGKILL: no shutdown hook runs, the lock is released only by the OS. */
        void crash() throws Exception {
            process.destroyForcibly();
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("killed server process did not exit");
            }
        }

        HttpResponse<String> send(HttpRequest.Builder rb) throws Exception {
            return client.send(rb.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        URI url(String path) {
            return URI.create("https://127.0.0.1:" + port + path);
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(url(path)).GET());
        }

        HttpResponse<String> admin(String method, String path, String body) throws Exception {
            HttpRequest.Builder rb = HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + adminToken);
            if (body != null) {
                rb.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return send(rb);
        }

        void register(String id) throws Exception {
            HttpResponse<String> r = admin("POST", "/admin/v1/registrations",
                    "{\"id\":\"" + id + "\",\"attestation\":[\"join_token\",\"wit\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }

        String joinToken(String id) throws Exception {
            HttpResponse<String> r = admin("POST", "/admin/v1/join-tokens", "{\"id\":\"" + id + "\",\"ttl_seconds\":600}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return json(r.body()).get("token").textValue();
        }

        String rotate() throws Exception {
            HttpResponse<String> r = admin("POST", "/admin/v1/keys/rotate", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return json(r.body()).get("kid").textValue();
        }

        HttpResponse<String> issue(WorkloadKeyPair key, String joinToken) throws Exception {
            long now = Clock.systemUTC().instant().getEpochSecond();
            ObjectNode c = StrictJson.mapper().createObjectNode();
            c.put("aud", ServerHarness.AUDIENCE);
            c.put("iat", now);
            c.put("exp", now + 60);
            c.put("jti", JwsWriter.randomJwtId());
            String proof = JwsWriter.sign(key.signer(), "wimse-pop+jwt", c);
            String body = ServerHarness.body(key, proof, "{\"method\":\"join_token\",\"token\":\"" + joinToken + "\"}");
            return send(HttpRequest.newBuilder(url("/v1/wit")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        }

        WitVerifier verifier() throws Exception {
            HttpResponse<String> jwks = get("/.well-known/jwks.json");
            assertThat(jwks.statusCode()).isEqualTo(200);
            TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain(ServerHarness.TD), jwks.body());
            return WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(Clock.systemUTC()).build();
        }
    }
}
