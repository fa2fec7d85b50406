package io.wimse4j.demo;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.Reason;
import io.wimse4j.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.demo.Workload.assertEcho;
import static io.wimse4j.demo.Workload.assertProblem;
import static io.wimse4j.demo.Workload.request;
import static io.wimse4j.demo.Workload.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demo-service instances sharing one real {@code redis-server} as their replay cache (SEC-4,
 * V-9): a proof accepted by one instance is refused by the other; with Redis down every request
 * fails closed with 503 {@code REPLAY_CACHE_UNAVAILABLE}; with Redis back on the same port the same
 * running service accepts requests again, without a restart. HTTP Message Signature nonces are shared the
 * same way (HS-8).
 */
class RedisReplayEndToEndTest {
    private static final long RECOVERY_LIMIT_MILLIS = 15_000;

    private final Workload w = new Workload();
    private RedisServerProcess redis;
    private DemoService a;
    private DemoService b;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (DemoService s : new DemoService[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private DemoService redisService() throws Exception {
        return w.service().insecureHttp().redisUrl(redis.uri()).build().start();
    }

    @Test
    void SEC_4_proofReplayedToAnotherInstanceIsRejected() throws Exception {
        a = redisService();
        b = redisService();
        assertThat(a.port()).isNotEqualTo(b.port());

        HttpResponse<String> first = send(w.client(a, null), request(a, "/echo").GET().build());
        assertEcho(first, "GET", "/echo");

        // The same headers to instance b: same external base URI, so the audience matches; the jti does not.
        java.net.http.HttpRequest toB = java.net.http.HttpRequest.newBuilder(b.localUri().resolve("/echo"))
                .header("Workload-Identity-Token", first.request().headers().firstValue("Workload-Identity-Token").orElseThrow())
                .header("Authorization", first.request().headers().firstValue("Authorization").orElseThrow())
                .GET().build();
        assertProblem(send(Workload.http(null), toB), Reason.REPLAY, 401); // the wpt-02 transport: 401 (P2-4)

        // b itself works for a fresh proof.
        assertEcho(send(w.client(b, null), request(b, "/echo").GET().build()), "GET", "/echo");
    }

    @Test
    void HS_8_aSignatureNonceReplayedToAnotherInstanceIsRejected() throws Exception {
        a = redisService();
        b = redisService();
        // an HTTP Message Signature for the shared external name; its nonce is recorded in Redis by a
        io.wimse4j.httpsig.RequestSignature s = io.wimse4j.httpsig.HttpSignatureSigner
                .builder(io.wimse4j.core.wpt.CredentialSource.fixed(w.f.credentials())).clock(w.f.clock).build()
                .signRequest(io.wimse4j.core.request.HttpRequestFacts.builder("GET", Workload.BASE.resolve("/echo")).build(), null);
        java.net.http.HttpRequest.Builder toA = request(a, "/echo").GET();
        java.net.http.HttpRequest.Builder toB = request(b, "/echo").GET();
        s.headers().forEach((k, v) -> {
            toA.header(k, v);
            toB.header(k, v);
        });
        assertEcho(send(Workload.http(null), toA.build()), "GET", "/echo");
        assertProblem(send(Workload.http(null), toB.build()), Reason.REPLAY); // 400: signatures are never challenged (HS-9)
    }

    @Test
    void SEC_4_redisDownFailsClosedWith503AndTheSameServiceRecoversWhenItIsBack() throws Exception {
        a = redisService();
        SigningHttpClient client = w.client(a, null);
        assertEcho(send(client, request(a, "/echo").GET().build()), "GET", "/echo");

        redis.stop();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> down = send(client, request(a, "/echo").GET().build());
            assertProblem(down, Reason.REPLAY_CACHE_UNAVAILABLE);
            assertThat(down.statusCode()).isEqualTo(503);
        }

        redis.startAgain();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_LIMIT_MILLIS);
        HttpResponse<String> r;
        do {
            Thread.sleep(100);
            r = send(client, request(a, "/echo").GET().build());
            if (r.statusCode() != 200) {
                assertProblem(r, Reason.REPLAY_CACHE_UNAVAILABLE);
            }
        } while (r.statusCode() != 200 && System.nanoTime() - deadline < 0);
        assertEcho(r, "GET", "/echo");
        // And replay detection works again on the restarted (empty) Redis.
        assertProblem(send(Workload.http(null), Workload.sameHeadersAgain(r)), Reason.REPLAY, 401);
    }
}
