package io.wimse4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.redis.RedisReplayCache;
import io.wimse4j.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse.service.replay-store=redis} on Spring Data Redis's own connection ({@code spring.data.redis.*})
 * against a real {@code redis-server} (SEC-4, V-9): two instances of one service behind one external base
 * URI share the replay cache, so a proof accepted by one is a replay at the other; with Redis stopped every
 * proof fails closed with 503 and {@code /actuator/health} is DOWN; with Redis back on the same port the
 * same running instances accept proofs again.
 */
class WimseRedisReplayStoreTest {
    static final TestIdentities IDS = new TestIdentities();
    static final String EXTERNAL = "https://orders.example.org";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final long RECOVERY_LIMIT_MILLIS = 15_000;

    RedisServerProcess redis;
    final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        apps.forEach(ConfigurableApplicationContext::close);
        if (redis != null) {
            redis.stop();
        }
    }

    /** One instance of the service on a free loopback port, on Spring Data Redis's connection to {@link #redis}. */
    int instance() {
        int port = WimseServerSecurityTest.freePort();
        ConfigurableApplicationContext app = new SpringApplicationBuilder(TestServiceApplication.class).properties(
                "server.port=" + port, "server.address=127.0.0.1",
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.timeout=2s",
                "management.endpoint.health.show-details=always",
                "wimse.trust-domains[0].name=example.org", "wimse.trust-domains[0].bundle-file=" + IDS.bundleFile,
                "wimse.service.base-uri=" + EXTERNAL, "wimse.service.replay-store=redis",
                "wimse.service.authorization.permit-all[0]=/actuator/health").run();
        apps.add(app);
        assertThat(app.getBean(io.wimse4j.core.replay.ReplayCache.class)).isInstanceOf(RedisReplayCache.class);
        return port;
    }

    static Map<String, String> proof() throws Exception {
        return RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN).credentials(IDS.source(TestIdentities.CALLER)).build()
                .sign("GET", URI.create(EXTERNAL + "/hello"), Map.of()).asMap();
    }

    static HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(ProblemDetails.parse(response.body()).code()).isEqualTo(code);
    }

    @Test
    void SEC_4_aProofAcceptedByOneInstanceIsAReplayAtTheOther() throws Exception {
        int a = instance();
        int b = instance();
        Map<String, String> proof = proof();
        HttpResponse<String> first = get(a, "/hello", proof);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).startsWith("hello " + TestIdentities.CALLER);
        assertProblem(get(b, "/hello", proof), 400, Reason.REPLAY.code());
    }

    @Test
    void V_9_withRedisDownProofsFailClosedWith503AndHealthIsDownThenTheSameInstanceRecovers() throws Exception {
        int a = instance();
        Map<String, String> before = proof();
        assertThat(get(a, "/hello", before).statusCode()).isEqualTo(200);
        MeterRegistry registry = apps.get(0).getBean(MeterRegistry.class);
        redis.stop();

        assertProblem(get(a, "/hello", proof()), 503, Reason.REPLAY_CACHE_UNAVAILABLE.code());
        assertThat(registry.get("wimse.replay.cache.unavailable").counter().count()).isGreaterThanOrEqualTo(1);
        HttpResponse<String> health = get(a, "/actuator/health", Map.of());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"replayStore\":\"unreachable\"");

        redis.startAgain(); // an empty Redis on the same port: no persistence
        long deadline = System.nanoTime() + Duration.ofMillis(RECOVERY_LIMIT_MILLIS).toNanos();
        HttpResponse<String> after;
        do {
            after = get(a, "/hello", proof());
            if (after.statusCode() == 200) {
                break;
            }
            assertProblem(after, 503, Reason.REPLAY_CACHE_UNAVAILABLE.code());
            Thread.sleep(100);
        } while (System.nanoTime() - deadline < 0);
        assertThat(after.statusCode()).as("recovered without a restart within %d ms", RECOVERY_LIMIT_MILLIS).isEqualTo(200);
        assertThat(get(a, "/actuator/health", Map.of()).statusCode()).isEqualTo(200);
    }
}
