package io.wimse4j.resilience.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.server.testing.TestServiceAccountVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Identity Server ({@code io.wimse4j.server.IdentityServer} through wimse-server's {@link ServerHarness}:
 * HTTPS on loopback with its own CA, its state directory, audit log and metrics) under sustained concurrent
 * {@code POST /v1/wit} load from {@link LoadSettings#threads()} client threads, each its own registered
 * workload {@code wimse://example.org/load/caller-<i>}:
 * <ul>
 *   <li><b>issuance</b>: the {@code kubernetes} attestation method with a service-account token of the test
 *       cluster, a fresh key pair and its {@code wimse-pop+jwt} proof per request (KEY-4);</li>
 *   <li><b>renewal</b> (method {@code wit}): each thread renews its current WIT with a WPT for the server's
 *       {@code /v1/wit} (V-9: a fresh {@code jti} each time) and goes on with the WIT it gets, a chain of
 *       renewals for a fresh key each.</li>
 * </ul>
 * The harness clock follows the system clock (a ticker sets it every 20 ms), so proofs, WITs and the server's
 * replay window run on real time. Asserted: every answer is 200 with a WIT for the caller's identifier
 * whose claims name it too, zero unexpected outcomes; no request is shed ({@code server-busy}, the default 32 concurrent
 * issuances exceed the callers). Reported, not asserted: latency percentiles and the heap.
 */
class IdentityServerLoadTest {
    static final int THREADS = LoadSettings.threads();
    static final Duration DURATION = LoadSettings.duration();
    static final int WARM_UP = 20;

    static ServerHarness h;
    static TestServiceAccountVerifier cluster;
    static ScheduledExecutorService ticker;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        TestServiceAccountVerifier[] holder = new TestServiceAccountVerifier[1];
        h = new ServerHarness(dir.resolve("state"), b -> { }, jwt -> holder[0].verify(jwt));
        cluster = new TestServiceAccountVerifier(h.clock);
        holder[0] = cluster;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-clock");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> h.clock.set(Instant.now()), 0, 20, TimeUnit.MILLISECONDS);
        for (int t = 0; t < THREADS; t++) {
            h.register(id(t), "\"kubernetes\",\"wit\"",
                    "\"kubernetes\":{\"namespace\":\"load\",\"service_account\":\"caller-" + t + "\"}");
        }
    }

    @AfterAll
    static void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (h != null) {
            h.close();
        }
    }

    static String id(int t) {
        return "wimse://example.org/load/caller-" + t;
    }

    @Test
    void issuanceWithKubernetesAttestationUnderLoad() throws Exception {
        LoadRun.Result r = LoadRun.run("Identity Server: issuance (kubernetes)", THREADS, DURATION, WARM_UP, (t, seq) -> {
            WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            String body = ServerHarness.body(key, h.proof(key, c -> c.put("sub", id(t))),
                    "{\"method\":\"kubernetes\",\"token\":\"" + cluster.token("load", "caller-" + t) + "\"}");
            long t0 = System.nanoTime();
            HttpResponse<String> resp = h.post("/v1/wit", "application/json", body, Map.of());
            return judge(System.nanoTime() - t0, resp, t, null);
        });
        assertAllIssued(r, "fresh EdDSA key, PoP and service-account token per request (made before the clock starts)");
    }

    @Test
    void V_9_renewalChainsUnderLoad() throws Exception {
        String[] wits = new String[THREADS];
        WorkloadKeyPair[] keys = new WorkloadKeyPair[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            keys[t] = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            HttpResponse<String> first = h.post("/v1/wit", "application/json", ServerHarness.body(keys[t],
                    h.proof(keys[t], c -> c.put("sub", id(thread))),
                    "{\"method\":\"kubernetes\",\"token\":\"" + cluster.token("load", "caller-" + t) + "\"}"), Map.of());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            wits[t] = ServerHarness.json(first.body()).get("wit").textValue();
        }
        LoadRun.Result r = LoadRun.run("Identity Server: renewal (wit)", THREADS, DURATION, WARM_UP, (t, seq) -> {
            WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            long t0 = System.nanoTime();
            // the WPT for the current WIT and the new key's PoP are signed inside: client work, included
            HttpResponse<String> resp = h.renew(wits[t], keys[t], next);
            LoadRun.Sample s = judge(System.nanoTime() - t0, resp, t, next);
            if (s.expected()) {
                wits[t] = ServerHarness.json(resp.body()).get("wit").textValue();
                keys[t] = next;
            }
            return s;
        });
        assertAllIssued(r, "chains of renewals, one per thread, a fresh key each (WPT + PoP signed inside the timed call)");
    }

    /** Expected: 200 for the caller's identifier with a WIT (and, for a renewal, bound to {@code newKey}). */
    static LoadRun.Sample judge(long nanos, HttpResponse<String> resp, int t, WorkloadKeyPair newKey) {
        if (resp.statusCode() != 200) {
            String code;
            try {
                JsonNode p = ServerHarness.json(resp.body());
                code = p.path("code").asText("(no code)");
            } catch (AssertionError e) {
                code = "(not JSON)";
            }
            return LoadRun.Sample.unexpected(nanos, resp.statusCode() + " " + code);
        }
        JsonNode j = ServerHarness.json(resp.body());
        String[] parts = j.path("wit").asText("").split("\\.");
        if (!id(t).equals(j.path("subject").asText()) || parts.length != 3
                || !id(t).equals(ServerHarness.json(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                java.nio.charset.StandardCharsets.UTF_8)).path("sub").asText())) {
            return LoadRun.Sample.unexpected(nanos, "200 without a WIT for " + id(t));
        }
        return LoadRun.Sample.expected(nanos, "200");
    }

    static void assertAllIssued(LoadRun.Result r, String note) throws Exception {
        LoadReport.add(r, note);
        assertThat(r.unexpected()).as("unexpected outcomes, first: %s", r.firstUnexpected()).isZero();
        assertThat(r.outcomes()).containsOnlyKeys("200");
        assertThat(r.requests()).isGreaterThanOrEqualTo(r.threads());
        assertThat(h.get("/metrics").body()).as("nothing shed").doesNotContain("result=\"server-busy\"");
    }
}
