package io.wimse4j.benchmarks;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.IntStream;

/**
 * {@link ReplayCache#firstUse} on the in-memory cache while it holds {@value #LIVE_ENTRIES} live
 * entries, on a simulated clock (issue 9, "honest benchmarks").
 *
 * <p><b>Steady state.</b> Every call records a new key that expires {@link #ENTRY_LIFETIME} (120 s:
 * a 60 s proof plus 60 s of leeway) after "now", and advances the simulated clock by
 * {@link #STEP_NANOS} (121 µs). An entry lives its 120 s plus the cache's 1 s margin, i.e. for
 * {@value #LIVE_ENTRIES} calls, so after the {@value #LIVE_ENTRIES} calls of the setup the cache
 * holds {@value #LIVE_ENTRIES} live entries and, as every new entry replaces one that expires, goes
 * on holding that many during the measurement (a simulated 8,264 requests per second). The keys are
 * {@link ReplayKey} objects made once per trial (not measured): {@value #KEY_POOL} distinct keys of
 * {@value #SENDERS} senders (so no sender comes near its share), used in turn; a key comes round
 * again after {@value #KEY_POOL} calls, 254 simulated seconds, long after its entry expired, so
 * every measured call is a first use (a call answering anything else fails the benchmark).
 *
 * <ul>
 *   <li>{@code firstUseAt1M}: one first use, clock advanced by one step.</li>
 *   <li>{@code replayAt1M}: the same cache, a key recorded within the last 500,000 calls (so still
 *       live) offered again: must answer {@code false}; the clock does not move.</li>
 * </ul>
 *
 * <p>The cache is made by {@link #newCache(Clock)} only (one place to change when its
 * construction changes). Bytes per live entry are measured by {@link ReplayCacheFootprint}, which
 * fills a cache the same way ({@link #fill}).
 */
public class ReplayCacheBenchmark extends BenchmarkDefaults {
    /** Live entries the cache holds while measured. */
    public static final int LIVE_ENTRIES = 1_000_000;
    /**
     * How long after "now" each entry expires (the cache keeps it 1 s longer, to the next whole
     * second: 1,000,000 to 1,008,265 live entries).
     */
    static final Duration ENTRY_LIFETIME = Duration.ofSeconds(120);
    /** Simulated time per call: (120 s + 1 s margin) / 1,000,000. */
    static final long STEP_NANOS = 121_000;
    /** Distinct keys, a power of two, more than twice the live entries. */
    static final int KEY_POOL = 1 << 21;
    /** Senders the keys are spread over. */
    static final int SENDERS = 1024;
    /** Replays are drawn from the last this many keys recorded. */
    static final int REPLAY_WINDOW = 500_000;

    /**
     * The only place a cache is built: change this line when the cache's construction changes
     * (a builder with a capacity in entries or bytes, say).
     */
    static InMemoryReplayCache newCache(Clock clock) {
        return InMemoryReplayCache.builder().clock(clock).build();
    }

    /** {@link #KEY_POOL} distinct keys: key {@code i} is {@code jti-i} from sender {@code i % SENDERS}. */
    static ReplayKey[] keyPool() {
        WorkloadIdentifier[] senders = new WorkloadIdentifier[SENDERS];
        for (int s = 0; s < SENDERS; s++) {
            try {
                senders[s] = WorkloadIdentifier.parse("wimse://example.org/ns/bench/sa/w" + s);
            } catch (WimseException e) {
                throw new IllegalStateException(e);
            }
        }
        return IntStream.range(0, KEY_POOL).parallel()
                .mapToObj(i -> ReplayKey.of(senders[i % SENDERS], "jti-" + Integer.toHexString(i * 0x9E3779B1)))
                .toArray(ReplayKey[]::new);
    }

    /** A cache and the state of its simulated traffic. */
    static final class Traffic {
        final SimulatedClock clock = new SimulatedClock(Instant.parse("2025-06-01T12:00:00Z"));
        final ReplayCache cache = newCache(clock);
        final ReplayKey[] keys;
        long calls;

        Traffic(ReplayKey[] keys) {
            this.keys = keys;
        }

        /** One first use of the next key; the clock advances one step. */
        boolean next() throws WimseException {
            ReplayKey key = keys[(int) (calls++ & (KEY_POOL - 1))];
            Instant now = clock.advance(STEP_NANOS);
            return cache.firstUse(key, now.plus(ENTRY_LIFETIME));
        }

        /** Calls {@link #next} {@code n} times; every one must be a first use. */
        void fill(int n) throws WimseException {
            for (int i = 0; i < n; i++) {
                if (!next()) {
                    throw new IllegalStateException("a key answered as a replay while filling the cache");
                }
            }
        }
    }

    /** A cache holding {@value #LIVE_ENTRIES} live entries, and the keys that filled it. */
    static Traffic fill(ReplayKey[] keys) throws WimseException {
        Traffic t = new Traffic(keys);
        t.fill(LIVE_ENTRIES);
        return t;
    }

    /** The cache at 1M live entries, made once per trial; kept at that level by the measured calls. */
    @State(Scope.Thread)
    public static class AtOneMillion {
        Traffic traffic;
        int replay;

        @Setup(Level.Trial)
        public void fill() throws WimseException {
            traffic = ReplayCacheBenchmark.fill(keyPool());
        }
    }

    /** A first use of a new key at 1M live entries (the clock advances 121 µs per call). */
    @Benchmark
    public boolean firstUseAt1M(AtOneMillion s) throws WimseException {
        if (!s.traffic.next()) {
            throw new IllegalStateException("a new key was answered as a replay: the key pool came round too soon");
        }
        return true;
    }

    /** A replay of a live key at 1M live entries: answered {@code false}. */
    @Benchmark
    public boolean replayAt1M(AtOneMillion s) throws WimseException {
        Traffic t = s.traffic;
        int back = 1 + (s.replay = (s.replay + 7919) % REPLAY_WINDOW);
        ReplayKey key = t.keys[(int) ((t.calls - back) & (KEY_POOL - 1))];
        if (t.cache.firstUse(key, t.clock.instant().plus(ENTRY_LIFETIME))) {
            throw new IllegalStateException("a live key was answered as a first use");
        }
        return false;
    }

    /**
     * A clock that moves only when told to, by whole nanoseconds; holds nothing else, so a heap walk
     * from the cache that reaches it counts a few dozen bytes.
     */
    static final class SimulatedClock extends Clock {
        private final long startSecond;
        private volatile long nanos;

        SimulatedClock(Instant start) {
            this.startSecond = start.getEpochSecond();
        }

        /** Moves the clock {@code step} ns ahead and returns the new instant. */
        Instant advance(long step) {
            long n = nanos + step; // one writer thread
            nanos = n;
            return Instant.ofEpochSecond(startSecond, n);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(startSecond, nanos);
        }

        @Override
        public long millis() {
            return startSecond * 1000 + nanos / 1_000_000;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a simulated UTC clock");
        }
    }
}
