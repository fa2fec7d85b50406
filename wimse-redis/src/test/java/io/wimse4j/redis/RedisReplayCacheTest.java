package io.wimse4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RedisReplayCache} against a real {@code redis-server} that stays up (V-9, SEC-4). */
class RedisReplayCacheTest {
    private static final Instant NOW = Fixture.NOW;
    private static final Clock CLOCK = Fixture.fixedClock();

    private static RedisServerProcess redis;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> admin;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
        adminClient = RedisClient.create(redis.uri());
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (adminConnection != null) {
            adminConnection.close();
        }
        if (adminClient != null) {
            adminClient.shutdown();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void flush() {
        admin.flushall();
    }

    private static RedisReplayCache cache() {
        return RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).build();
    }

    @Test
    void firstUseIsTrueThenFalse() throws Exception {
        try (RedisReplayCache cache = cache()) {
            assertThat(cache.firstUse("k1", NOW.plusSeconds(60))).isTrue();
            assertThat(cache.firstUse("k1", NOW.plusSeconds(60))).isFalse();
            assertThat(cache.firstUse("k1", NOW.plusSeconds(600))).isFalse();
            assertThat(cache.firstUse("k2", NOW.plusSeconds(60))).isTrue();
        }
    }

    @Test
    void ttlInRedisIsExpiresAtMinusNowPlusMargin() throws Exception {
        try (RedisReplayCache cache = cache()) {
            assertThat(cache.firstUse("ttl-60", NOW.plusSeconds(60))).isTrue();
            long pttl = admin.pttl(cache.redisKey("ttl-60"));
            // 60 s until expiresAt + 1 s margin, minus the little time since the SET.
            assertThat(pttl).isBetween(60_000L, 61_000L);

            // Already expired (or about to): the 1 s minimum plus the margin.
            assertThat(cache.firstUse("ttl-past", NOW.minusSeconds(30))).isTrue();
            assertThat(admin.pttl(cache.redisKey("ttl-past"))).isBetween(1_000L, 2_000L);

            // Far future: capped at one day plus the margin.
            assertThat(cache.firstUse("ttl-far", NOW.plus(Duration.ofDays(3650)))).isTrue();
            assertThat(admin.pttl(cache.redisKey("ttl-far"))).isBetween(86_000_000L, 86_401_000L);
        }
    }

    @Test
    void keysAreNamespacedAndHashed() throws Exception {
        String raw = "raw-jti-should-not-appear-123";
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK)
                .namespace("test:ns:").build()) {
            assertThat(cache.firstUse(raw, NOW.plusSeconds(60))).isTrue();
        }
        List<String> keys = admin.keys("*");
        assertThat(keys).hasSize(1);
        String key = keys.get(0);
        assertThat(key).startsWith("test:ns:").doesNotContain(raw).doesNotContain("raw-jti");
        // base64url of a SHA-256: 43 characters, no padding.
        assertThat(key.substring("test:ns:".length())).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void defaultNamespaceAndNoJtiFromAVerifiedRequestInTheStore() throws Exception {
        Fixture f = new Fixture();
        String wpt = f.wpt(ProofBindings.NONE);
        String jti = jtiOf(wpt);
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(f.clock).build()) {
            f.verifier().replayCache(cache).build().verify(f.request(f.wit, wpt).build());
        }
        List<String> keys = admin.keys("*");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0)).startsWith(RedisReplayCache.DEFAULT_NAMESPACE).doesNotContain(jti);
        // The proof lives 60 s from the fixture's clock: the entry must be kept at least that long.
        assertThat(admin.pttl(keys.get(0))).isGreaterThan(59_000L);
    }

    @Test
    void twoVerifiersWithSeparateCachesOnOneRedisRejectAReplayAcrossThem() throws Exception {
        Fixture f = new Fixture();
        try (RedisReplayCache cacheA = RedisReplayCache.builder().uri(redis.uri()).clock(f.clock).build();
             RedisReplayCache cacheB = RedisReplayCache.builder().uri(redis.uri()).clock(f.clock).build()) {
            RequestVerifier a = f.verifier().replayCache(cacheA).build();
            RequestVerifier b = f.verifier().replayCache(cacheB).build();
            HttpRequestFacts request = f.validRequest();

            assertThat(a.verify(request).workload()).isEqualTo(f.workload);
            assertRejected(() -> b.verify(request), Reason.REPLAY);
            assertRejected(() -> a.verify(request), Reason.REPLAY);

            // A fresh proof is still accepted by the other verifier.
            assertThat(b.verify(f.validRequest()).workload()).isEqualTo(f.workload);
        }
    }

    @Test
    void namespacesAreIndependent() throws Exception {
        try (RedisReplayCache one = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).namespace("one:").build();
             RedisReplayCache two = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).namespace("two:").build()) {
            assertThat(one.firstUse("same", NOW.plusSeconds(60))).isTrue();
            assertThat(two.firstUse("same", NOW.plusSeconds(60))).isTrue();
            assertThat(one.firstUse("same", NOW.plusSeconds(60))).isFalse();
        }
    }

    @Test
    void concurrentFirstUsesOfOneKeyHaveExactlyOneWinner() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (RedisReplayCache cacheA = cache(); RedisReplayCache cacheB = cache()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                RedisReplayCache c = i % 2 == 0 ? cacheA : cacheB;
                Callable<Boolean> task = () -> {
                    go.await();
                    return c.firstUse("contended", NOW.plusSeconds(60));
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void builderRejectsMissingOrForeignUrisAndBadSettings() {
        assertThatThrownBy(() -> RedisReplayCache.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RedisReplayCache.builder().uri("http://127.0.0.1:6379").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisReplayCache.builder().uri("redis://:pw-in-bad-uri@[::1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("pw-in-bad-uri"))
                .hasNoCause();
        assertThatThrownBy(() -> RedisReplayCache.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisReplayCache.builder().namespace(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringHasNoPassword() {
        try (RedisReplayCache cache = RedisReplayCache.builder()
                .uri("redis://:tostring-secret@127.0.0.1:" + redis.port()).clock(CLOCK).build()) {
            assertThat(cache.toString()).contains("wimse:replay:").doesNotContain("tostring-secret");
        }
    }

    private static String jtiOf(String jwt) throws Exception {
        String payload = jwt.split("\\.")[1];
        JsonNode claims = new ObjectMapper().readTree(
                new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        String jti = claims.get("jti").asText();
        assertThat(jti).isNotBlank();
        return jti;
    }
}
