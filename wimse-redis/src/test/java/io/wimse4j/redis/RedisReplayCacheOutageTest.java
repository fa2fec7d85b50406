package io.wimse4j.redis;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/** {@link RedisReplayCache} while its Redis server goes down and comes back: fail closed, then recover. */
class RedisReplayCacheOutageTest {
    private static final Instant NOW = Fixture.NOW;
    private static final Clock CLOCK = Fixture.fixedClock();
    private static final long RECOVERY_LIMIT_MILLIS = 10_000;

    private RedisServerProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    private RedisReplayCache.Builder builder() {
        return RedisReplayCache.builder().uri(redis.uri()).clock(CLOCK);
    }

    @Test
    void failsClosedWithinTwoSecondsWhenRedisStops() throws Exception {
        try (RedisReplayCache cache = builder().build()) {
            assertThat(cache.firstUse(Keys.key("s", "before"), NOW.plusSeconds(60))).isTrue();
            redis.stop();

            long start = System.nanoTime();
            assertRejected(() -> cache.firstUse(Keys.key("s", "during"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);

            // Still closed on later calls, and quickly (commands are rejected, not queued).
            start = System.nanoTime();
            assertRejected(() -> cache.firstUse(Keys.key("s", "during-2"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
        }
    }

    @Test
    void requestVerifierRejectsWithReplayCacheUnavailableWhenRedisIsDown() throws Exception {
        Fixture f = new Fixture();
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(f.clock).build()) {
            RequestVerifier verifier = f.verifier().replayCache(cache).build();
            assertThat(verifier.verify(f.validRequest()).workload()).isEqualTo(f.workload);
            redis.stop();
            assertRejected(() -> verifier.verify(f.validRequest()), Reason.REPLAY_CACHE_UNAVAILABLE);
        }
    }

    @Test
    void theSameInstanceWorksAgainAfterRedisRestartsOnTheSamePort() throws Exception {
        try (RedisReplayCache cache = builder().build()) {
            assertThat(cache.firstUse(Keys.key("s", "before"), NOW.plusSeconds(60))).isTrue();
            redis.stop();
            assertRejected(() -> cache.firstUse(Keys.key("s", "during"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            Thread.sleep(1_500); // let the reconnect back-off grow to its cap
            redis.startAgain();

            long recoveredAfter = awaitFirstUse(cache, "after");
            assertThat(recoveredAfter).isLessThan(RECOVERY_LIMIT_MILLIS);
            assertThat(cache.firstUse(Keys.key("s", "after"), NOW.plusSeconds(60))).isFalse();
        }
    }

    @Test
    void aCacheBuiltWhileRedisIsDownConnectsWhenItComesUp() throws Exception {
        redis.stop();
        try (RedisReplayCache cache = builder().build()) {
            assertRejected(() -> cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            assertRejected(() -> cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
            redis.startAgain();

            long recoveredAfter = awaitFirstUse(cache, "k");
            assertThat(recoveredAfter).isLessThan(RECOVERY_LIMIT_MILLIS);
            assertThat(cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60))).isFalse();
        }
    }

    @Test
    void failOpenAnswersTrueWhileRedisIsDownButStillDetectsReplaysWhenUp() throws Exception {
        try (RedisReplayCache cache = builder().failOpen(true).build()) {
            assertThat(cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60))).isTrue();
            assertThat(cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60))).isFalse();
            redis.stop();
            // No answer from Redis: fail open accepts, even a key it has seen.
            assertThat(cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60))).isTrue();
            assertThat(cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60))).isTrue();
        }
    }

    @Test
    void failOpenIsOffByDefaultAndAClosedCacheFailsClosed() throws Exception {
        RedisReplayCache cache = builder().build();
        assertThat(cache.firstUse(Keys.key("s", "k"), NOW.plusSeconds(60))).isTrue();
        cache.close();
        assertRejected(() -> cache.firstUse(Keys.key("s", "other"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);

        RedisReplayCache openCache = builder().failOpen(true).build();
        openCache.close();
        assertRejected(() -> openCache.firstUse(Keys.key("s", "other"), NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
    }

    @Test
    void errorsNeverContainThePasswordOrTheKey() throws Exception {
        String password = "pw-s3cr3t-value";
        String key = "key-that-must-not-leak";
        String uri = "redis://:" + password + "@127.0.0.1:" + redis.port();
        redis.stop();
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(uri).clock(CLOCK).build()) {
            Throwable thrown = catchThrowable(() -> cache.firstUse(Keys.key("s", key), NOW.plusSeconds(60)));
            assertThat(thrown).isInstanceOf(WimseException.class);
            assertThat(((WimseException) thrown).reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(password).doesNotContain(key);
                assertThat(t.toString()).doesNotContain(password).doesNotContain(key);
            }
            assertThat(cache.toString()).doesNotContain(password);
        }
    }

    /** Polls {@code firstUse(key)} until it answers true; returns the milliseconds that took. */
    private static long awaitFirstUse(RedisReplayCache cache, String key) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(RECOVERY_LIMIT_MILLIS);
        WimseException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (cache.firstUse(Keys.key("s", key), NOW.plusSeconds(60))) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
                fail("firstUse answered false for a key never written to the restarted (empty) Redis");
            } catch (WimseException e) {
                assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the cache did not recover within " + RECOVERY_LIMIT_MILLIS + " ms", last);
    }
}
