package io.wimse4j.benchmarks;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The receiver's whole {@link RequestVerifier#verify} on a request carrying a WIT (signed by an
 * ES256 issuer key) and a WPT (signed by the workload key, EdDSA or ES256).
 *
 * <p>With replay protection on (the default, and what {@code requestVerifyCachedWit} and
 * {@code requestVerifyUncachedWit} measure) every request needs a proof with a fresh {@code jti}:
 * a pool of requests, each with its own proof, is signed once per trial (on all cores, not
 * measured), and each iteration gets a new verifier, so a new, empty in-memory replay cache and
 * WIT cache. The pool must outlast one 2-second iteration; its size is
 * {@code -Dwimse.bench.pool} (default 150000) and running out fails the benchmark loudly rather
 * than measuring rejections. {@code requestVerifyCachedWitNoReplay} reads the same kind of pool
 * with replay protection off, so the difference between the two cached variants is the cost of
 * the replay check alone (a SHA-256 key and a Caffeine {@code putIfAbsent}).
 */
public class RequestVerifyBenchmark extends BenchmarkDefaults {
    static final int POOL_SIZE = Integer.getInteger("wimse.bench.pool", 150_000);

    /** Requests with distinct proofs, consumed in order; shared setup of the two pool states. */
    static final class Pool {
        final Fixture fixture;
        final HttpRequestFacts[] requests;
        RequestVerifier verifier;
        int next;

        Pool(JwsAlgorithm workloadAlg) {
            fixture = new Fixture(JwsAlgorithm.ES256, workloadAlg);
            requests = fixture.requestPool(POOL_SIZE);
        }

        void newIteration(RequestVerifier v) throws WimseException {
            verifier = v;
            verifier.verify(requests[0]); // fills the WIT cache (if any); proof 0 is now used
            next = 1;
        }

        VerifiedCaller verifyNext() throws WimseException {
            if (next == requests.length) {
                throw new IllegalStateException("proof pool of " + requests.length
                        + " exhausted within one iteration; raise -Dwimse.bench.pool");
            }
            return verifier.verify(requests[next++]);
        }
    }

    /**
     * The shared state of the request benchmarks: a proof pool per workload algorithm, made once
     * per trial, and a verifier made anew (empty caches) for every iteration by {@link #verifier}.
     */
    @State(Scope.Thread)
    public abstract static class PoolState {
        @Param({"EdDSA", "ES256"})
        public String workloadAlg;
        Pool pool;

        @Setup(Level.Trial)
        public void makePool() {
            pool = new Pool(JwsAlgorithm.valueOf(workloadAlg));
        }

        @Setup(Level.Iteration)
        public void newVerifier() throws WimseException {
            pool.newIteration(verifier(RequestVerifier.builder().trust(pool.fixture.trust).clock(Fixture.CLOCK)));
        }

        abstract RequestVerifier verifier(RequestVerifier.Builder builder);
    }

    /** Pool, WIT cache on (default size), replay protection on. */
    public static class CachedWit extends PoolState {
        @Override
        RequestVerifier verifier(RequestVerifier.Builder builder) {
            return builder.witCacheSize(10_000).build();
        }
    }

    /** Pool, WIT cache off ({@code witCacheSize(0)}), replay protection on. */
    public static class UncachedWit extends PoolState {
        @Override
        RequestVerifier verifier(RequestVerifier.Builder builder) {
            return builder.witCacheSize(0).build();
        }
    }

    /**
     * The same pool, WIT cache on, replay protection off: differs from {@link CachedWit} only by the
     * replay check (the same cold, never-seen-before proofs are read in both).
     */
    public static class NoReplay extends PoolState {
        @Override
        RequestVerifier verifier(RequestVerifier.Builder builder) {
            return builder.disableReplayProtection().build();
        }
    }

    /** Full request verification, WIT already cached, replay check on: one signature check. */
    @Benchmark
    public VerifiedCaller requestVerifyCachedWit(CachedWit s) throws WimseException {
        return s.pool.verifyNext();
    }

    /** Full request verification, no WIT cache, replay check on: two signature checks. */
    @Benchmark
    public VerifiedCaller requestVerifyUncachedWit(UncachedWit s) throws WimseException {
        return s.pool.verifyNext();
    }

    /** As {@link #requestVerifyCachedWit} without the replay check. */
    @Benchmark
    public VerifiedCaller requestVerifyCachedWitNoReplay(NoReplay s) throws WimseException {
        return s.pool.verifyNext();
    }
}
