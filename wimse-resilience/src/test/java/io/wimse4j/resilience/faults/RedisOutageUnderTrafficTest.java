package io.wimse4j.resilience.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.demo.DemoService;
import io.wimse4j.redis.RedisServerProcess;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 1 of issue 15: a real {@code redis-server} (append-only file, {@code appendfsync always}, as the
 * README asks of a production replay store) is killed with SIGKILL and restarted on the same port and
 * directory while three callers send fresh proofs back to back to a demo service that uses it (SEC-4,
 * V-9). Asserted: no request sent after the kill and answered before the restart is 200, and every refusal is 503
 * {@code replay-cache-unavailable} (fail closed); after the restart the
 * same running service answers 200 again without a restart; every proof accepted before the outage,
 * replayed after it, is refused {@code replay}; and no answer is anything else.
 */
class RedisOutageUnderTrafficTest {
    static final URI BASE = URI.create("https://echo.example.org");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RedisServerProcess redis;
    private DemoService service;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    /** One answer: when its request started and what came back. */
    record Answer(long startNanos, long endNanos, int status, String code, HttpRequest request) {
    }

    @Test
    void SEC_4_redisKilledUnderTrafficFailsClosedRecoversAndForgetsNoProof() throws Exception {
        redis = RedisServerProcess.start(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
        Fixture f = new Fixture();
        service = DemoService.builder().trust(f.trust().bundleFor(f.trustDomain).orElseThrow())
                .externalBaseUri(BASE).clock(f.clock).insecureHttp().redisUrl(redis.uri()).build().start();
        RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials()))
                .proofCreator(f.creator()).audience(u -> BASE + u.getRawPath()).build();
        SigningHttpClient client = SigningHttpClient.builder().httpClient(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build())
                .signer(signer).allowInsecureHttp(true).build();

        int rounds = FaultReport.rounds(2);
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread caller = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpRequest req = HttpRequest.newBuilder(service.localUri().resolve("/echo"))
                                .timeout(Duration.ofSeconds(10)).GET().build();
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        String code = r.statusCode() == 200 ? "" : JSON.readTree(r.body()).path("code").asText();
                        answers.add(new Answer(start, System.nanoTime(), r.statusCode(), code, r.request()));
                    } catch (Exception e) {
                        unexpected.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }, "caller-" + t);
            caller.start();
            callers.add(caller);
        }

        List<long[]> outages = new ArrayList<>(); // {killed, restarted}
        AtomicLong recoveryMillis = new AtomicLong();
        try {
            for (int round = 0; round < rounds; round++) {
                Thread.sleep(1500);
                long killed = kill9(redis);
                Thread.sleep(1500);
                long restarted = System.nanoTime();
                redis.startAgain();
                outages.add(new long[] {killed, restarted});
                long back = waitForA200After(answers, restarted);
                recoveryMillis.accumulateAndGet((back - restarted) / 1_000_000, Math::max);
            }
            Thread.sleep(1000);
        } finally {
            running.set(false);
            for (Thread caller : callers) {
                caller.join(20_000);
            }
        }

        int ok = 0;
        int closed = 0;
        List<HttpRequest> acceptedBeforeAnOutage = new ArrayList<>();
        for (Answer a : answers) {
            // started after the kill and answered before the restart: it can only have been checked while Redis
            // was down (one started just before the kill may have been checked before it; one answered after the
            // restart may have waited in the client's queue and been checked against the restored data)
            boolean inOutage = outages.stream().anyMatch(o -> a.startNanos() > o[0] && a.endNanos() < o[1]);
            if (a.status() == 200) {
                ok++;
                assertThat(inOutage).as("a 200 answered while Redis was down: started %d ms, answered %d ms after the kill",
                        (a.startNanos() - outages.get(0)[0]) / 1_000_000, (a.endNanos() - outages.get(0)[0]) / 1_000_000).isFalse();
                if (a.startNanos() < outages.get(outages.size() - 1)[0]) {
                    acceptedBeforeAnOutage.add(a.request());
                }
            } else {
                assertThat(a.status()).as("status of a refusal").isEqualTo(503);
                assertThat(a.code()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE.code());
                closed++;
            }
        }
        assertThat(unexpected).as("transport errors").isEmpty();
        long closedInOutages = answers.stream().filter(a -> a.status() == 503).count();
        assertThat(closedInOutages).as("requests refused while Redis was down").isPositive();
        assertThat(acceptedBeforeAnOutage).isNotEmpty();

        // no proof accepted before an outage is accepted again after it
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int replays = 0;
        for (HttpRequest sent : acceptedBeforeAnOutage.subList(0, Math.min(200, acceptedBeforeAnOutage.size()))) {
            HttpResponse<String> again = plain.send(HttpRequest.newBuilder(sent, (n, v) -> true).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(again.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(again.body()).path("code").asText()).isEqualTo(Reason.REPLAY.code());
            replays++;
        }
        FaultReport.line("Redis SIGKILL + restart under traffic (AOF, appendfsync always)",
                rounds + " outages of 1.5 s, 3 callers: " + answers.size() + " answers, " + ok + " × 200, " + closed
                        + " × 503 replay-cache-unavailable, 0 other, 0 transport errors; recovery within "
                        + recoveryMillis.get() + " ms of the restart; " + replays + " proofs accepted before an outage"
                        + " replayed after it: all 401 replay");
    }

    /** SIGKILL: the process gets no chance to write anything more (its pid from {@code INFO server}); returns when it is gone. */
    private static long kill9(RedisServerProcess redis) throws Exception {
        Process info = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "info", "server")
                .redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        long pid = out.lines().filter(l -> l.startsWith("process_id:")).mapToLong(l -> Long.parseLong(l.substring(11).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no process_id from redis-cli: " + out));
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        p.destroyForcibly();
        p.onExit().join();
        long gone = System.nanoTime();
        assertThat(redis.isRunning()).isFalse();
        return gone;
    }

    private static long waitForA200After(ConcurrentLinkedQueue<Answer> answers, long after) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (Answer a : answers) {
                if (a.status() == 200 && a.startNanos() > after) {
                    return a.startNanos();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 200 within 20 s of Redis's restart");
    }
}
