package io.wimse4j.benchmarks;

import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.redis.RedisReplayCache;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Redis memory per live entry of {@link RedisReplayCache}: starts a local {@code redis-server}
 * ({@link LocalRedis}), records {@code N} distinct proofs (default 200,000, the keys of
 * {@link ReplayCacheBenchmark#keyPool()}, 1,024 senders; first argument to change it) through one
 * cache with 8 threads, and prints the growth of Redis's {@code used_memory} divided by {@code N}:
 * the entry keys, the senders' sorted sets and Redis's own overhead per key, with the default
 * namespace. Usage:
 * {@code java -cp wimse-benchmarks.jar io.wimse4j.benchmarks.RedisFootprint [entries]}.
 */
public final class RedisFootprint {
    private RedisFootprint() {
    }

    /** Prints {@code redis-footprint entries=N bytes=B bytesPerEntry=X} and a sentence. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ReplayKey[] keys = ReplayCacheBenchmark.keyPool();
        if (n > keys.length) {
            throw new IllegalArgumentException("at most " + keys.length + " entries");
        }
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
        Instant expiresAt = clock.instant().plusSeconds(600); // outlives the measurement
        try (LocalRedis redis = LocalRedis.start();
             RedisReplayCache cache = RedisReplayCache.builder().uri(redis.uri()).clock(clock).build()) {
            cache.firstUse(ReplayKey.ofScope("warm-up", "x"), expiresAt); // loads the script
            long before = redis.usedMemory();
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    done.add(pool.submit(() -> {
                        for (int i = first; i < n; i += threads) {
                            if (!cache.firstUse(keys[i], expiresAt)) {
                                throw new IllegalStateException("a distinct key was answered as a replay");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long bytes = redis.usedMemory() - before;
            System.out.printf(Locale.ROOT, "redis-footprint entries=%d bytes=%d bytesPerEntry=%.1f%n", n, bytes, (double) bytes / n);
            System.out.printf(Locale.ROOT, "Redis replay cache: used_memory grew %,d bytes for %,d live entries = %.1f bytes per entry%n",
                    bytes, n, (double) bytes / n);
        }
    }
}
