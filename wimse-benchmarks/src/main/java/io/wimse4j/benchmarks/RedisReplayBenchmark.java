package io.wimse4j.benchmarks;

import io.wimse4j.benchmarks.RequestVerifyBenchmark.SharedPool;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.redis.RedisReplayCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;

/**
 * {@link RequestVerifier#verify} (WIT cached, replay protection on) with the replay cache on a real
 * local Redis ({@link RedisReplayCache}) against the in-memory cache, with
 * {@value #THREADS} concurrent requests in both ({@code RatioReport}: "redis vs in-memory").
 *
 * <p>The Redis benchmark starts a {@code redis-server} from the {@code PATH} on a free loopback
 * port for its trial (no persistence; the benchmark fails with a clear message when there is no
 * {@code redis-server}) and empties it before every iteration. One {@link RedisReplayCache}, hence
 * one Lettuce connection, serves all threads: their commands are pipelined on it by Lettuce, each
 * thread waiting for its own reply (one {@code EVALSHA} per request). Redis shares the machine's
 * cores with the verifier threads, as a Redis on the same host would.
 *
 * <p>Both read a pool of requests with distinct proofs through an atomic index and one verifier
 * per iteration, as {@code RequestVerifyBenchmark.requestVerifyCachedWit2Threads}.
 *
 * <p>Eight warm-up iterations instead of four: the Redis path (Lettuce, Netty, the script) was
 * still getting faster after four in trial runs (the JIT compiles far more code than for the
 * in-memory path); the in-memory benchmark gets the same, so both are measured alike.
 */
@Warmup(iterations = 8, time = 2)
public class RedisReplayBenchmark extends BenchmarkDefaults {
    /** Concurrent requests (JMH threads) of both benchmarks; {@code -t} overrides it. */
    static final int THREADS = 4;

    /** What both states share: the pool and a verifier per iteration. */
    @State(Scope.Benchmark)
    public abstract static class Shared {
        @Param({"EdDSA"})
        public String workloadAlg;
        Fixture fixture;
        SharedPool pool;

        void makePool() {
            fixture = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.valueOf(workloadAlg));
            pool = new SharedPool(fixture.requestPool(RequestVerifyBenchmark.POOL_SIZE));
        }

        RequestVerifier.Builder verifier() {
            return RequestVerifier.builder().trust(fixture.trust).clock(Fixture.CLOCK).witCacheSize(10_000);
        }
    }

    /** A local redis-server and one {@link RedisReplayCache} on it for the trial. */
    public static class OnRedis extends Shared {
        LocalRedis redis;
        RedisReplayCache cache;

        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            redis = LocalRedis.start();
            // the fixture's fixed clock: every entry gets a TTL of its proof's 60 s plus the margin
            cache = RedisReplayCache.builder().uri(redis.uri()).clock(Fixture.CLOCK).build();
            makePool();
        }

        @Setup(Level.Iteration)
        public void newVerifier() throws WimseException, IOException {
            redis.flushAll(); // the pool's proofs are offered again in every iteration
            pool.newIteration(verifier().replayCache(cache).build());
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            if (cache != null) {
                cache.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** The default in-memory replay cache, a new one per iteration. */
    public static class InMemory extends Shared {
        @Setup(Level.Trial)
        public void start() {
            makePool();
        }

        @Setup(Level.Iteration)
        public void newVerifier() throws WimseException {
            pool.newIteration(verifier().build());
        }
    }

    /** Verification with the replay check in Redis. */
    @Benchmark
    @Threads(THREADS)
    public VerifiedCaller redisVerify(OnRedis s) throws WimseException {
        return s.pool.verifyNext();
    }

    /** The same with the default in-memory replay cache (the baseline of {@link #redisVerify}). */
    @Benchmark
    @Threads(THREADS)
    public VerifiedCaller inMemoryVerify(InMemory s) throws WimseException {
        return s.pool.verifyNext();
    }
}
