package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.server.testing.TestServiceAccountVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load shedding of {@code POST /v1/wit}: past {@code max-concurrent-issuances} requests in
 * progress, one more is refused at once with 503 {@code server-busy} and {@code Retry-After}, and
 * the permit comes back when the running issuance ends.
 */
class LoadSheddingTest {
    static final String SVC = "wimse://example.org/payments";

    @TempDir
    Path tmp;

    @Test
    void anIssuanceBeyondTheLimitIsShedWith503WhileTheRunningOneCompletes() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestServiceAccountVerifier[] cluster = new TestServiceAccountVerifier[1];
        ServiceAccountTokenVerifier slow = jwt -> {
            inside.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return cluster[0].verify(jwt);
        };
        ServerHarness h = new ServerHarness(tmp.resolve("state"), b -> b.maxConcurrentIssuances(1), slow);
        try {
            cluster[0] = new TestServiceAccountVerifier(h.clock);
            h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
            WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            String body = ServerHarness.body(key, h.proof(key, c -> c.put("sub", SVC)),
                    "{\"method\":\"kubernetes\",\"token\":\"" + cluster[0].token("prod", "payments") + "\"}");
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.post("/v1/wit", "application/json", body, Map.of());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            assertThat(inside.await(30, TimeUnit.SECONDS)).as("the first issuance is in progress").isTrue();

            HttpResponse<String> shed = h.post("/v1/wit", "application/json", "{}", Map.of());
            assertProblem(shed, 503, "server-busy");
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(h.get("/healthz").statusCode()).as("other endpoints are not shed").isEqualTo(200);

            release.countDown();
            HttpResponse<String> done = first.get(30, TimeUnit.SECONDS);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertProblem(h.post("/v1/wit", "application/json", "{}", Map.of()), 400, "malformed-request");
            assertThat(h.get("/metrics").body()).contains("result=\"server-busy\"");
        } finally {
            release.countDown();
            h.close();
        }
    }
}
