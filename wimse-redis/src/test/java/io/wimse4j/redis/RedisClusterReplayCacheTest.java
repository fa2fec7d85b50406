package io.wimse4j.redis;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RedisReplayCache} on a real three-master Redis Cluster named by a {@code redis-cluster://}
 * URI (V-9, SEC-4): keys spread over every master, a replay is refused whichever node holds it,
 * a stopped master makes its keys fail closed, and the cache recovers without a restart.
 */
class RedisClusterReplayCacheTest {
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RedisReplayCache cache(String namespace) {
        return RedisReplayCache.builder().uri(cluster.uri()).namespace(namespace).build();
    }

    /** Keys of {@code n} senders: a sender's keys share a slot, different senders spread over the masters. */
    private static List<ReplayKey> keys(String prefix, int n) {
        return Keys.spread(prefix, n);
    }

    @Test
    void V_9_firstUseIsAtomicAcrossTheClusterAndKeysSpreadOverEveryMaster() throws Exception {
        Instant exp = Clock.systemUTC().instant().plus(Duration.ofMinutes(5));
        try (RedisReplayCache a = cache("wimse:spread:"); RedisReplayCache b = cache("wimse:spread:")) {
            for (ReplayKey key : keys("a", 60)) {
                assertThat(a.firstUse(key, exp)).as("first use of %s", key).isTrue();
                assertThat(b.firstUse(key, exp)).as("replay of %s through another verifier", key).isFalse();
            }
        }
        for (RedisServerProcess node : cluster.nodes()) {
            assertThat(cluster.keyCount(node)).as("keys on the master at port %d", node.port()).isPositive();
        }
    }

    @ParameterizedTest(name = "Cluster: {0}")
    @MethodSource("io.wimse4j.redis.ShareTable#rows")
    void perSenderShareOnTheCluster(ShareTable.Row row) throws Exception {
        ShareTable.run(row, cluster.uri(), Clock.systemUTC());
    }

    @Test
    void V_9_aSendersEntriesAndItsCountShareOneSlotAndOneMaster() throws Exception {
        Instant exp = Clock.systemUTC().instant().plus(Duration.ofMinutes(5));
        java.util.Set<Integer> masters = new java.util.HashSet<>();
        try (RedisReplayCache cache = cache("wimse:slots:")) {
            for (int s = 0; s < 12; s++) {
                String sender = "slots/" + s;
                String share = Keys.storedShare("wimse:slots:", sender);
                for (int j = 0; j < 3; j++) {
                    ReplayKey key = Keys.key(sender, "jti-" + j);
                    assertThat(cache.firstUse(key, exp)).isTrue();
                    String entry = Keys.storedKey("wimse:slots:", sender, "jti-" + j);
                    assertThat(cluster.slot(entry)).as("slot of %s", entry).isEqualTo(cluster.slot(share));
                    int holder = -1;
                    for (int n = 0; n < cluster.nodes().size(); n++) {
                        if (cluster.holds(cluster.nodes().get(n), entry)) {
                            holder = n;
                        }
                    }
                    assertThat(holder).as("one master holds %s", entry).isNotNegative();
                    assertThat(cluster.holds(cluster.nodes().get(holder), share)).as("and its sender's count").isTrue();
                    masters.add(holder);
                }
            }
        }
        assertThat(masters).as("senders spread over the masters").hasSizeGreaterThan(1);
    }

    @Test
    void SEC_4_aStoppedMasterFailsClosedAndTheCacheRecoversWithoutARestart() throws Exception {
        Instant exp = Clock.systemUTC().instant().plus(Duration.ofMinutes(5));
        List<ReplayKey> recorded = keys("b", 30);
        try (RedisReplayCache cache = cache("wimse:outage:")) {
            for (ReplayKey key : recorded) {
                assertThat(cache.firstUse(key, exp)).isTrue();
            }
            RedisServerProcess victim = cluster.nodes().get(2);
            victim.stop();
            try {
                int unavailable = 0;
                for (ReplayKey key : recorded) {
                    try {
                        assertThat(cache.firstUse(key, exp)).as("a recorded proof is never accepted again").isFalse();
                    } catch (WimseException e) {
                        assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                        assertThat(e.detail()).doesNotContain(key.jti()).doesNotContain(key.base64Url()).doesNotContain(key.compactId()).doesNotContain("127.0.0.1");
                        unavailable++;
                    }
                }
                assertThat(unavailable).as("proofs hashed to the stopped master fail closed").isPositive();
            } finally {
                victim.startAgain();
            }
            cluster.awaitHealthy();
            List<ReplayKey> fresh = keys("b-after", 30);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int next = 0;
            while (next < fresh.size()) {
                try {
                    assertThat(cache.firstUse(fresh.get(next), exp)).isTrue();
                    next++;
                } catch (WimseException e) {
                    assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                    assertThat(System.nanoTime() - deadline).as("recovered within 30 s").isNegative();
                    Thread.sleep(100);
                }
            }
            for (ReplayKey key : fresh) {
                assertThat(cache.firstUse(key, exp)).as("replay after recovery").isFalse();
            }
        }
    }

    @Test
    void V_9_aSingleServerUriNamingAClusterNodeFailsClosedOnMovedReplies() throws Exception {
        // redis:// (no cluster support in the client) pointed at one master: keys of the other
        // masters' slots get MOVED, which must never count as a first use
        Instant exp = Clock.systemUTC().instant().plus(Duration.ofMinutes(5));
        List<ReplayKey> keys = keys("c", 30);
        int moved = 0;
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(cluster.nodes().get(0).uri()).namespace("wimse:moved:").build()) {
            for (ReplayKey key : keys) {
                boolean first;
                try {
                    first = cache.firstUse(key, exp);
                } catch (WimseException e) {
                    assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                    moved++;
                    continue;
                }
                assertThat(first).as("a key of the node's own slots is recorded").isTrue();
                assertThat(cache.firstUse(key, exp)).as("and its replay refused").isFalse();
            }
        }
        assertThat(moved).as("keys owned by the other masters fail closed").isPositive();
    }

    @Test
    void aTlsClusterUriNeverFallsBackToPlaintext() throws Exception {
        // rediss-cluster:// against the plaintext cluster: the TLS handshake fails, the cache fails closed
        String uri = "rediss-cluster://127.0.0.1:" + cluster.nodes().get(0).port();
        long countBefore = totalKeys();
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(uri).namespace("wimse:tls:").build()) {
            assertThatThrownBy(() -> cache.firstUse(Keys.key("s", "k"), Clock.systemUTC().instant().plusSeconds(60)))
                    .isInstanceOfSatisfying(WimseException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE));
        }
        assertThat(totalKeys()).as("nothing written in plaintext").isEqualTo(countBefore);
    }

    private static long totalKeys() {
        return cluster.nodes().stream().mapToLong(cluster::keyCount).sum();
    }

    @Test
    void clusterConnectionErrorsNeverQuoteThePassword() throws Exception {
        String password = "pw-s3cr3t-cluster";
        // seeds that are down: the connection attempt fails with Lettuce's exceptions (causes, suppressed)
        String uri = "redis-cluster://:" + password + "@127.0.0.1:" + RedisServerProcess.freePort()
                + ",127.0.0.1:" + RedisServerProcess.freePort();
        try (RedisReplayCache cache = RedisReplayCache.builder().uri(uri).build()) {
            assertThat(cache.toString()).doesNotContain(password);
            // build() made the first attempt; later calls retry at most once a second: wait for a
            // call that made a real attempt (its WimseException carries Lettuce's exception)
            Throwable thrown;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                Thread.sleep(100);
                thrown = org.assertj.core.api.Assertions.catchThrowable(
                        () -> cache.firstUse(Keys.key("s", "k"), Clock.systemUTC().instant().plusSeconds(60)));
                assertThat(thrown).isInstanceOfSatisfying(WimseException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE));
            } while (thrown.getCause() == null && System.nanoTime() - deadline < 0);
            assertThat(thrown.getCause()).as("a connection attempt's exception").isNotNull();
            java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(thrown));
            while (!todo.isEmpty()) {
                Throwable t = todo.pop();
                if (!seen.add(t)) {
                    continue;
                }
                assertThat(String.valueOf(t.getMessage())).doesNotContain(password);
                assertThat(t.toString()).doesNotContain(password);
                if (t.getCause() != null) {
                    todo.push(t.getCause());
                }
                todo.addAll(List.of(t.getSuppressed()));
            }
        }
    }

    @Test
    void clusterUrisAreParsedStrictlyAndErrorsNeverQuoteThem() {
        for (String bad : List.of("redis-cluster://", "redis-cluster://127.0.0.1", "redis-cluster://h:notaport",
                "redis-cluster://s3cret@h:1,", "redis-cluster://h:1/0", "redis-cluster://h:70000",
                "redis-cluster://[::1]7000", "redis-cluster://h:1?timeout=1s")) {
            assertThatThrownBy(() -> RedisReplayCache.builder().uri(bad).build())
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid Redis Cluster URI")
                    .hasMessageNotContaining("s3cret");
        }
        RedisTarget target = RedisTarget.parse("rediss-cluster://user:p%40ss@a.example:7000,[::1]:7001");
        assertThat(target.isCluster()).isTrue();
        assertThat(target.seeds()).hasSize(2);
        assertThat(target.seeds().get(0).getHost()).isEqualTo("a.example");
        assertThat(target.seeds().get(0).getPort()).isEqualTo(7000);
        assertThat(target.seeds().get(0).isSsl()).isTrue();
        // Lettuce 7: credentials only through the URI's credentials provider
        io.lettuce.core.RedisCredentials credentials =
                target.seeds().get(0).getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getUsername()).isEqualTo("user");
        assertThat(new String(credentials.getPassword())).isEqualTo("p@ss");
        assertThat(target.seeds().get(1).getHost()).isEqualTo("::1");
        assertThat(target.seeds().get(1).getPort()).isEqualTo(7001);
        assertThat(RedisTarget.parse("redis://127.0.0.1:6379").isCluster()).isFalse();
    }
}
