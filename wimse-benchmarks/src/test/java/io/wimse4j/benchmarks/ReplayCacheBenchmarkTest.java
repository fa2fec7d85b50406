package io.wimse4j.benchmarks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic {@link ReplayCacheBenchmark}'s steady state rests on, and its simulated clock. */
class ReplayCacheBenchmarkTest {
    @Test
    void oneMillionCallsSpanExactlyAnEntrysLifeInTheCache() {
        // an entry lives its lifetime plus the cache's 1 s margin: that many steps = the live entries
        Duration life = ReplayCacheBenchmark.ENTRY_LIFETIME.plusSeconds(1);
        assertThat(ReplayCacheBenchmark.STEP_NANOS * ReplayCacheBenchmark.LIVE_ENTRIES).isEqualTo(life.toNanos());
        // the default cache the benchmark measures holds them with room to spare (never refuses)
        assertThat(ReplayCacheBenchmark.newCache(java.time.Clock.systemUTC()).capacity())
                .isGreaterThan(ReplayCacheBenchmark.LIVE_ENTRIES * 2L);
    }

    @Test
    void aKeyComesRoundOnlyLongAfterItsEntryExpiredAndReplaysAreDrawnFromLiveOnes() {
        assertThat(Integer.bitCount(ReplayCacheBenchmark.KEY_POOL)).as("a power of two").isEqualTo(1);
        long roundNanos = ReplayCacheBenchmark.STEP_NANOS * ReplayCacheBenchmark.KEY_POOL;
        assertThat(roundNanos).isGreaterThan(2 * ReplayCacheBenchmark.ENTRY_LIFETIME.plusSeconds(1).toNanos());
        assertThat(ReplayCacheBenchmark.REPLAY_WINDOW).isLessThan(ReplayCacheBenchmark.LIVE_ENTRIES);
        // no sender near its share
        assertThat((long) ReplayCacheBenchmark.LIVE_ENTRIES / ReplayCacheBenchmark.SENDERS + 1)
                .isLessThan(ReplayCacheBenchmark.newCache(java.time.Clock.systemUTC()).perSenderLimit() / 100);
    }

    @Test
    void theSimulatedClockMovesOnlyWhenTold() {
        Instant start = Instant.parse("2025-06-01T12:00:00Z");
        ReplayCacheBenchmark.SimulatedClock clock = new ReplayCacheBenchmark.SimulatedClock(start);
        assertThat(clock.instant()).isEqualTo(start);
        assertThat(clock.advance(1_500_000)).isEqualTo(start.plusNanos(1_500_000));
        assertThat(clock.instant()).isEqualTo(start.plusNanos(1_500_000));
        assertThat(clock.millis()).isEqualTo(start.toEpochMilli() + 1);
        clock.advance(2_000_000_000L);
        assertThat(clock.millis()).isEqualTo(start.toEpochMilli() + 2_001);
    }
}
