package io.wimse4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** A proof of the one sender most tests use. */
    private static ReplayKey key(String jti) {
        return Keys.key("s", jti);
    }

    private static RedisReplayCache cache() {
        return RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).build();
    }

    @Test
    void firstUseIsTrueThenFalse() throws Exception {
        try (RedisReplayCache cache = cache()) {
            assertThat(cache.firstUse(key("k1"), NOW.plusSeconds(60))).isTrue();
            assertThat(cache.firstUse(key("k1"), NOW.plusSeconds(60))).isFalse();
            assertThat(cache.firstUse(key("k1"), NOW.plusSeconds(600))).isFalse();
            assertThat(cache.firstUse(key("k2"), NOW.plusSeconds(60))).isTrue();
        }
    }

    @Test
    void ttlInRedisIsExpiresAtMinusNowPlusMargin() throws Exception {
        try (RedisReplayCache cache = cache()) {
            assertThat(cache.firstUse(key("ttl-60"), NOW.plusSeconds(60))).isTrue();
            long pttl = admin.pttl(cache.redisKey(key("ttl-60")));
            // 60 s until expiresAt + 1 s margin, minus the little time since the SET.
            assertThat(pttl).isBetween(60_000L, 61_000L);

            // Already expired (or about to): the 1 s minimum plus the margin.
            assertThat(cache.firstUse(key("ttl-past"), NOW.minusSeconds(30))).isTrue();
            assertThat(admin.pttl(cache.redisKey(key("ttl-past")))).isBetween(1_000L, 2_000L);

            // Far future: capped at one day plus the margin.
            assertThat(cache.firstUse(key("ttl-far"), NOW.plus(Duration.ofDays(3650)))).isTrue();
            assertThat(admin.pttl(cache.redisKey(key("ttl-far")))).isBetween(86_000_000L, 86_401_000L);
            // The sender's count lives as long as its longest entry, and is never shortened.
            assertThat(admin.pttl(cache.shareKey(key("ttl-far")))).isBetween(86_000_000L, 86_401_000L);
            assertThat(admin.zcard(cache.shareKey(key("ttl-far")))).isEqualTo(3);
        }
    }

    @Test
    void keysAreNamespacedHashedAndTaggedBySender() throws Exception {
        String raw = "raw-jti-should-not-appear-123";
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK)
                .namespace("test:ns:").build()) {
            assertThat(cache.firstUse(key(raw), NOW.plusSeconds(60))).isTrue();
        }
        // the entry and its sender's count, named as computed apart from the cache
        assertThat(admin.keys("*")).containsExactlyInAnyOrder(Keys.storedKey("test:ns:", "s", raw), Keys.storedShare("test:ns:", "s"));
        for (String key : admin.keys("*")) {
            assertThat(key).doesNotContain(raw).doesNotContain("raw-jti").doesNotContain("example.org");
            // 96-bit SHA-256 prefixes, 16 base64url characters, no padding; the sender's as the hash tag
            assertThat(key).matches("test:ns:\\{[A-Za-z0-9_-]{16}\\}:([A-Za-z0-9_-]{16}|held)");
        }
        // the sorted set's member is the entry's compact id
        assertThat(admin.zrange(Keys.storedShare("test:ns:", "s"), 0, -1))
                .containsExactly(Keys.storedKey("test:ns:", "s", raw).substring("test:ns:".length() + 19))
                .containsExactly(key(raw).compactId());
    }

    @Test
    void defaultNamespaceAndNoJtiFromAVerifiedRequestInTheStore() throws Exception {
        Fixture f = new Fixture();
        String wpt = f.wpt(ProofBindings.NONE);
        String jti = jtiOf(wpt);
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(f.clock).build()) {
            f.verifier().replayCache(cache).build().verify(f.request(f.wit, wpt).build());
        }
        String stored = RedisReplayCache.DEFAULT_NAMESPACE + "{" + ReplayKey.of(f.workload, jti).shareId().substring(0, 16)
                + "}:" + ReplayKey.of(f.workload, jti).compactId();
        assertThat(admin.keys("*")).hasSize(2).contains(stored).allSatisfy(k -> assertThat(k)
                .startsWith(RedisReplayCache.DEFAULT_NAMESPACE).doesNotContain(jti));
        // The proof lives 60 s from the fixture's clock: the entry must be kept at least that long.
        assertThat(admin.pttl(stored)).isGreaterThan(59_000L);
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
            assertThat(one.firstUse(key("same"), NOW.plusSeconds(60))).isTrue();
            assertThat(two.firstUse(key("same"), NOW.plusSeconds(60))).isTrue();
            assertThat(one.firstUse(key("same"), NOW.plusSeconds(60))).isFalse();
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
                    return c.firstUse(key("contended"), NOW.plusSeconds(60));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.wimse4j.redis.ShareTable#rows")
    void perSenderShare(ShareTable.Row row) throws Exception {
        ShareTable.run(row, redis.uri(), CLOCK);
    }

    @Test
    void SEC_4_concurrentFirstUsesOfOneSenderThroughTwoVerifiersNeverExceedItsShare() throws Exception {
        int threads = 16;
        int proofs = 200;
        int limit = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (RedisReplayCache cacheA = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).perSenderLimit(limit).build();
             RedisReplayCache cacheB = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).perSenderLimit(limit).build()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < proofs; i++) {
                RedisReplayCache c = i % 2 == 0 ? cacheA : cacheB;
                ReplayKey k = key("flood-" + i);
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        return c.firstUse(k, NOW.plusSeconds(60)) ? "first" : "replay";
                    } catch (WimseException e) {
                        return e.reason() == Reason.REPLAY_CACHE_UNAVAILABLE && e.detail().contains("share") ? "refused" : e.toString();
                    }
                }));
            }
            go.countDown();
            java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
            for (Future<String> r : results) {
                counts.merge(r.get(20, TimeUnit.SECONDS), 1, Integer::sum);
            }
            // exact, not soft: the count and the insertion are one script
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("first", limit, "refused", proofs - limit));
            assertThat(admin.zcard(cacheA.shareKey(key("x")))).isEqualTo(limit);
            assertRejected(() -> cacheB.firstUse(key("one-more"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            assertThat(cacheB.firstUse(Keys.key("another-sender", "flood-0"), NOW.plusSeconds(60))).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void V_9_theDefaultShareIsTheDefaultRateOverTheDefaultRetention() {
        assertThat(RedisReplayCache.DEFAULT_PER_SENDER_RATE).isEqualTo(25_000);
        assertThat(RedisReplayCache.DEFAULT_RETENTION).isEqualTo(Duration.ofSeconds(121));
        assertThat(RedisReplayCache.DEFAULT_PER_SENDER_LIMIT).isEqualTo(3_025_000);
        try (RedisReplayCache cache = cache()) {
            assertThat(cache.perSenderLimit()).isEqualTo(3_025_000);
        }
    }

    @Test
    void V_9_theShareIsRateTimesRetentionOrAnExplicitCountWhicheverWasSetLast() {
        try (RedisReplayCache rate = RedisReplayCache.builder().uri(redis.uri()).perSenderRate(100).build();
             RedisReplayCache longer = RedisReplayCache.builder().uri(redis.uri()).perSenderRate(100)
                     .retention(Duration.ofSeconds(361)).build();
             RedisReplayCache subSecond = RedisReplayCache.builder().uri(redis.uri()).perSenderRate(3)
                     .retention(Duration.ofMillis(1_500)).build();
             RedisReplayCache count = RedisReplayCache.builder().uri(redis.uri()).perSenderRate(100)
                     .perSenderLimit(7).build();
             RedisReplayCache rateAfterCount = RedisReplayCache.builder().uri(redis.uri()).perSenderLimit(7)
                     .perSenderRate(10).retention(Duration.ofSeconds(2)).build()) {
            assertThat(rate.perSenderLimit()).isEqualTo(12_100);
            assertThat(longer.perSenderLimit()).isEqualTo(36_100);
            assertThat(subSecond.perSenderLimit()).isEqualTo(4);
            assertThat(count.perSenderLimit()).isEqualTo(7);
            assertThat(rateAfterCount.perSenderLimit()).isEqualTo(20);
            assertThat(rateAfterCount.toString()).contains("perSenderLimit=20");
        }
    }

    @Test
    void V_9_aSenderAtItsRateIsRefusedOnlyPastRateTimesRetention() throws Exception {
        // 5 requests/s over 2 s: 10 live entries, the 11th refused, a replay still a replay
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK).namespace("rate:")
                .perSenderRate(5).retention(Duration.ofSeconds(2)).build()) {
            for (int i = 0; i < 10; i++) {
                assertThat(cache.firstUse(key("rate-" + i), NOW.plusSeconds(60))).as("proof %d", i).isTrue();
            }
            assertRejected(() -> cache.firstUse(key("rate-10"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            assertThat(cache.firstUse(key("rate-3"), NOW.plusSeconds(60))).isFalse();
            assertThat(admin.zcard(cache.shareKey(key("x")))).isEqualTo(10);
        }
    }

    @Test
    void V_9_aServerThatLostTheScriptIsGivenItAgain() throws Exception {
        try (RedisReplayCache cache = cache()) {
            assertThat(cache.firstUse(key("before-flush"), NOW.plusSeconds(60))).isTrue();
            admin.scriptFlush();
            assertThat(cache.firstUse(key("after-flush"), NOW.plusSeconds(60))).as("EVAL after NOSCRIPT").isTrue();
            assertThat(cache.firstUse(key("before-flush"), NOW.plusSeconds(60))).isFalse();
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
        for (String tagged : List.of("{wimse}:", "wimse:{", "wimse}:")) {
            assertThatThrownBy(() -> RedisReplayCache.builder().namespace(tagged)).as(tagged)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'{'");
        }
        assertThatThrownBy(() -> RedisReplayCache.builder().perSenderLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perSenderLimit");
        assertThatThrownBy(() -> RedisReplayCache.builder().perSenderRate(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perSenderRate");
        assertThatThrownBy(() -> RedisReplayCache.builder().retention(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> RedisReplayCache.builder().retention(Duration.ofDays(1).plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }

    @Test
    void toStringHasNoPassword() {
        try (RedisReplayCache cache = RedisReplayCache.builder()
                .uri("redis://:tostring-secret@127.0.0.1:" + redis.port()).clock(CLOCK).build()) {
            assertThat(cache.toString()).contains("wimse:replay:").contains("perSenderLimit=3025000")
                    .doesNotContain("tostring-secret");
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
