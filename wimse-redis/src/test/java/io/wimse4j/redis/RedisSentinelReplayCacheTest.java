package io.wimse4j.redis;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link RedisReplayCache} named by a {@code redis-sentinel://} URI (Lettuce syntax), against a real
 * Redis master and a real Redis Sentinel monitoring it (V-9, SEC-4): the master is discovered
 * through the Sentinel, a stopped master fails closed, the same cache recovers when the master comes
 * back, and neither the URI nor its password shows in errors.
 */
class RedisSentinelReplayCacheTest {
    private static final long RECOVERY_LIMIT_SECONDS = 30;

    private static RedisSentinelProcess sentinel;

    @BeforeAll
    static void startSentinel() throws Exception {
        sentinel = RedisSentinelProcess.start();
    }

    @AfterAll
    static void stopSentinel() throws Exception {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    private static RedisReplayCache cache(String uri, String namespace) {
        return RedisReplayCache.builder().uri(uri).namespace(namespace).build();
    }

    @Test
    void V_9_firstUseThroughTheSentinelDiscoveredMasterIsRecordedInTheMaster() throws Exception {
        String namespace = "wimse:sentinel:";
        ReplayKey key = Keys.key("a", "jti-1");
        Instant exp = Clock.systemUTC().instant().plus(Duration.ofMinutes(5));
        try (RedisReplayCache a = cache(sentinel.uri(), namespace); RedisReplayCache b = cache(sentinel.uri(), namespace)) {
            assertThat(a.firstUse(key, exp)).as("first use").isTrue();
            assertThat(a.firstUse(key, exp)).as("replay to the same verifier").isFalse();
            assertThat(b.firstUse(key, exp)).as("replay to another verifier").isFalse();
        }
        String stored = Keys.storedKey(namespace, "a", "jti-1");
        assertThat(sentinel.<Long>onMaster(c -> c.sync().exists(stored))).as("hashed key in the master").isEqualTo(1L);
        assertThat(sentinel.<Long>onMaster(c -> c.sync().zcard(Keys.storedShare(namespace, "a")))).as("counted once").isEqualTo(1L);
        assertThat(sentinel.<java.util.List<String>>onMaster(c -> c.sync().keys("*jti-1*"))).as("the jti in clear").isEmpty();
        long pttl = sentinel.<Long>onMaster(c -> c.sync().pttl(stored));
        // expiresAt is 5 min away, plus the 1 s margin
        assertThat(pttl).as("TTL of the stored key").isPositive().isLessThanOrEqualTo(301_000L);
    }

    @Test
    void SEC_4_aStoppedMasterFailsClosedAndTheSameCacheRecoversWhenItIsBack() throws Exception {
        Instant exp = Clock.systemUTC().instant().plus(Duration.ofMinutes(5));
        ReplayKey recorded = Keys.key("b", "jti-recorded");
        try (RedisReplayCache cache = cache(sentinel.uri(), "wimse:sentinel-outage:")) {
            assertThat(cache.firstUse(recorded, exp)).isTrue();
            RedisServerProcess master = sentinel.master();
            master.stop();
            try {
                for (ReplayKey key : List.of(recorded, Keys.key("b", "jti-new-1"), Keys.key("b", "jti-new-2"))) {
                    Throwable thrown = catchThrowable(() -> cache.firstUse(key, exp));
                    assertThat(thrown).as("firstUse(%s) with the master down", key)
                            .isInstanceOfSatisfying(WimseException.class,
                                    e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE));
                }
            } finally {
                master.startAgain();
            }
            ReplayKey fresh = Keys.key("b", "jti-after");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECOVERY_LIMIT_SECONDS);
            WimseException last = null;
            boolean recovered = false;
            while (!recovered && System.nanoTime() - deadline < 0) {
                try {
                    if (!cache.firstUse(fresh, exp)) {
                        fail("firstUse answered false for a key never written to the restarted (empty) master");
                    }
                    recovered = true;
                } catch (WimseException e) {
                    assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                    last = e;
                    Thread.sleep(100);
                }
            }
            if (!recovered) {
                throw new AssertionError("the cache did not recover within " + RECOVERY_LIMIT_SECONDS + " s", last);
            }
            assertThat(cache.firstUse(fresh, exp)).as("replay after recovery").isFalse();
            String stored = Keys.storedKey("wimse:sentinel-outage:", "b", "jti-after");
            assertThat(sentinel.<Long>onMaster(c -> c.sync().exists(stored))).as("recorded in the restarted master").isEqualTo(1L);
        }
    }

    @Test
    void sentinelErrorsNeverQuoteTheUriOrThePassword() throws Exception {
        String password = "pw-s3cr3t-sentinel";
        String key = "key-that-must-not-leak";
        try (RedisSentinelProcess secured = RedisSentinelProcess.start(password)) {
            String uri = "redis-sentinel://:" + password + "@127.0.0.1:" + secured.sentinelPort()
                    + "#" + RedisSentinelProcess.MASTER_NAME;
            Instant exp = Clock.systemUTC().instant().plusSeconds(60);
            try (RedisReplayCache cache = cache(uri, "wimse:sentinel-secret:")) {
                assertThat(cache.toString()).doesNotContain(password).doesNotContain(uri);
                assertThat(cache.firstUse(Keys.key("s", key), exp)).as("the password reaches the master").isTrue();
            }
            // a wrong password: the master refuses AUTH, the cache fails closed
            String wrong = "pw-wr0ng-sentinel";
            String wrongUri = uri.replace(password, wrong);
            try (RedisReplayCache cache = cache(wrongUri, "wimse:sentinel-secret:")) {
                assertNoLeak(awaitAttempt(cache, key), wrong, wrongUri, key);
            }
            // the master down: the connection attempt through the Sentinel fails, the cache fails closed
            secured.master().stop();
            try (RedisReplayCache cache = cache(uri, "wimse:sentinel-secret:")) {
                assertNoLeak(awaitAttempt(cache, key), password, uri, key);
            }
        }
    }

    /** Calls firstUse until a call made a real connection attempt (its exception carries Lettuce's). */
    private static WimseException awaitAttempt(RedisReplayCache cache, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Throwable thrown;
        do {
            thrown = catchThrowable(() -> cache.firstUse(Keys.key("s", key), Clock.systemUTC().instant().plusSeconds(60)));
            assertThat(thrown).isInstanceOfSatisfying(WimseException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE));
            if (thrown.getCause() == null) {
                Thread.sleep(100);
            }
        } while (thrown.getCause() == null && System.nanoTime() - deadline < 0);
        assertThat(thrown.getCause()).as("a connection attempt's exception").isNotNull();
        return (WimseException) thrown;
    }

    private static void assertNoLeak(WimseException thrown, String password, String uri, String key) {
        assertThat(thrown.detail()).doesNotContain(password).doesNotContain(uri).doesNotContain(key)
                .doesNotContain("127.0.0.1").doesNotContain(RedisSentinelProcess.MASTER_NAME);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(thrown));
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            assertThat(String.valueOf(t.getMessage())).doesNotContain(password).doesNotContain(uri).doesNotContain(key);
            assertThat(t.toString()).doesNotContain(password).doesNotContain(uri).doesNotContain(key);
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
    }
}
