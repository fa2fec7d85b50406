package io.wimse4j.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.micrometer.WimseMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiver's whole {@link RequestVerifier#verify} on a request carrying a WIT (signed by an
 * ES256 issuer key) and a WPT (signed by the workload key, EdDSA or ES256; {@code -p workloadAlg=Ed25519}
 * measures the same Ed25519 key under RFC 9864's name, ALG-1).
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
 *
 * <p>{@code requestVerifyCachedWit2Threads} is {@code requestVerifyCachedWit} with two threads
 * sharing one verifier (one WIT cache, one replay cache) and one pool, each proof taken once through
 * an {@link AtomicInteger} index; JMH reports the two threads' ops/s summed, and {@code RatioReport}
 * divides it by the one-thread {@code requestVerifyCachedWit} ("2 threads vs 1", target 1.9x on two
 * cores).
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
            this(workloadAlg, WptTransport.WORKLOAD_PROOF_TOKEN);
        }

        Pool(JwsAlgorithm workloadAlg, WptTransport transport) {
            fixture = new Fixture(JwsAlgorithm.ES256, workloadAlg);
            requests = fixture.requestPool(POOL_SIZE, transport);
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
            pool = new Pool(JwsAlgorithm.valueOf(workloadAlg), transport());
        }

        /** Where the pool's proofs travel (default the seed header, as in every published run). */
        WptTransport transport() {
            return WptTransport.WORKLOAD_PROOF_TOKEN;
        }

        @Setup(Level.Iteration)
        public void newVerifier() throws WimseException {
            pool.newIteration(verifier(RequestVerifier.builder().trust(pool.fixture.trust).clock(Fixture.CLOCK)));
        }

        abstract RequestVerifier verifier(RequestVerifier.Builder builder);
    }

    /**
     * A pool read by several threads through one verifier: each request is taken once, by an atomic
     * index, and the verifier (and its caches) is made anew for every iteration.
     */
    static final class SharedPool {
        final HttpRequestFacts[] requests;
        final AtomicInteger next = new AtomicInteger();
        volatile RequestVerifier verifier;

        SharedPool(HttpRequestFacts[] requests) {
            this.requests = requests;
        }

        void newIteration(RequestVerifier v) throws WimseException {
            v.verify(requests[0]); // fills the WIT cache; proof 0 is now used
            next.set(1);
            verifier = v;
        }

        VerifiedCaller verifyNext() throws WimseException {
            int i = next.getAndIncrement();
            if (i >= requests.length) {
                throw new IllegalStateException("proof pool of " + requests.length
                        + " exhausted within one iteration; raise -Dwimse.bench.pool");
            }
            return verifier.verify(requests[i]);
        }
    }

    /**
     * Pool, WIT cache on, replay protection on, shared by all the benchmark's threads: one verifier
     * per iteration, as {@link CachedWit}.
     */
    @State(Scope.Benchmark)
    public static class SharedCachedWit {
        @Param({"EdDSA", "ES256"})
        public String workloadAlg;
        Fixture fixture;
        SharedPool pool;

        @Setup(Level.Trial)
        public void makePool() {
            fixture = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.valueOf(workloadAlg));
            pool = new SharedPool(fixture.requestPool(POOL_SIZE));
        }

        @Setup(Level.Iteration)
        public void newVerifier() throws WimseException {
            pool.newIteration(RequestVerifier.builder().trust(fixture.trust).clock(Fixture.CLOCK).witCacheSize(10_000).build());
        }
    }

    /** Pool, WIT cache on (default size), replay protection on. */
    public static class CachedWit extends PoolState {
        @Override
        RequestVerifier verifier(RequestVerifier.Builder builder) {
            return builder.witCacheSize(10_000).build();
        }
    }

    /** As {@link CachedWit}, each proof in {@code Authorization: WPT} (the wpt-02 transport, P2-1). */
    public static class CachedWitAuthorization extends CachedWit {
        @Override
        WptTransport transport() {
            return WptTransport.AUTHORIZATION;
        }
    }

    /**
     * As {@link CachedWit}, with a {@code WimseMetrics} observer bound to a {@code SimpleMeterRegistry}: the cost of
     * timing every verification and recording it (issue 13).
     */
    public static class CachedWitMetrics extends PoolState {
        @Override
        RequestVerifier verifier(RequestVerifier.Builder builder) {
            WimseMetrics metrics = new WimseMetrics();
            metrics.bindTo(new SimpleMeterRegistry());
            return builder.witCacheSize(10_000).observer(metrics).build();
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
     * Pool, WIT cache and confirmation-key cache off ({@code witCacheSize(0)}, {@code witKeyCacheSize(0)}),
     * replay protection on: every proof is verified under a key parsed and prepared for it, as the
     * first request of a workload with a new key is.
     */
    public static class UncachedWitNewKey extends PoolState {
        @Override
        RequestVerifier verifier(RequestVerifier.Builder builder) {
            return builder.witCacheSize(0).witKeyCacheSize(0).build();
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

    /** As {@link #requestVerifyCachedWit}, every verification timed into Micrometer through {@code WimseMetrics}. */
    @Benchmark
    public VerifiedCaller requestVerifyCachedWitMetrics(CachedWitMetrics s) throws WimseException {
        return s.pool.verifyNext();
    }

    /** As {@link #requestVerifyCachedWit}, the proof in {@code Authorization: WPT} (wpt-02). */
    @Benchmark
    public VerifiedCaller requestVerifyCachedWitAuthorization(CachedWitAuthorization s) throws WimseException {
        return s.pool.verifyNext();
    }

    /** Full request verification, no WIT cache, replay check on: two signature checks. */
    @Benchmark
    public VerifiedCaller requestVerifyUncachedWit(UncachedWit s) throws WimseException {
        return s.pool.verifyNext();
    }

    /**
     * No WIT cache and no confirmation-key cache: the WIT's signature, then the proof's under a key
     * seen for the first time (for ES256, without BouncyCastle's precomputation on a reused point).
     */
    @Benchmark
    public VerifiedCaller requestVerifyUncachedWitNewKey(UncachedWitNewKey s) throws WimseException {
        return s.pool.verifyNext();
    }

    /**
     * As {@link #requestVerifyCachedWit}, two threads sharing one verifier; the score is both
     * threads' requests per second together.
     */
    @Benchmark
    @Threads(2)
    public VerifiedCaller requestVerifyCachedWit2Threads(SharedCachedWit s) throws WimseException {
        return s.pool.verifyNext();
    }

    /** As {@link #requestVerifyCachedWit} without the replay check. */
    @Benchmark
    public VerifiedCaller requestVerifyCachedWitNoReplay(NoReplay s) throws WimseException {
        return s.pool.verifyNext();
    }
}
