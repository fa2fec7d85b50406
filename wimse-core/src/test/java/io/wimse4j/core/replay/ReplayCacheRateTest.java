package io.wimse4j.core.replay;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.wimse4j.core.replay.Ids.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default in-memory replay cache under sustained load, on a simulated clock (V-9): what the
 * defaults hold, exactly, without a timed test. Each proof is recorded as {@code RequestVerifier}
 * records it: kept until its {@code exp} (60 s after it is made, {@code WptCreator}'s default)
 * plus the default 60 s leeway.
 */
class ReplayCacheRateTest {
    private static final Duration PROOF = Duration.ofSeconds(60);
    private static final Duration LEEWAY = Duration.ofSeconds(60);

    @Test
    void V_9_oneSenderAt20000PerSecondFor10MinutesIsNeverRefusedAndMemoryStaysBounded() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).build();
        WorkloadIdentifier busy = id("wimse://example.org/busy");
        WorkloadIdentifier quiet = id("wimse://example.org/quiet");
        int perSecond = 20_000;
        int seconds = 600;
        long refused = 0;
        long replaysCaught = 0;
        long maxTable = 0;
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                // 20 proofs per simulated millisecond
                clock.set(Fixture.NOW.plusMillis(s * 1000L + i / 20));
                Instant keepUntil = clock.instant().plus(PROOF).plus(LEEWAY);
                ReplayKey key = ReplayKey.of(busy, s + "-" + i);
                try {
                    if (!cache.firstUse(key, keepUntil)) {
                        throw new AssertionError("a fresh proof was taken for a replay at second " + s);
                    }
                } catch (WimseException e) {
                    refused++;
                }
                if (i % 5_000 == 0 && !cache.firstUse(key, keepUntil)) {
                    replaysCaught++; // the same proof again, at once
                }
            }
            assertThat(cache.firstUse(ReplayKey.of(quiet, "q" + s), clock.instant().plus(PROOF).plus(LEEWAY)))
                    .as("another sender is served alongside").isTrue();
            maxTable = Math.max(maxTable, cache.tableBytes());
        }
        assertThat(refused).as("proofs refused").isZero();
        assertThat(replaysCaught).as("every replay reported").isEqualTo(seconds * 4L);
        // steady state: 20,000/s x 121 s (proof, leeway, margin) live entries, at most 43 bytes each
        long live = cache.size();
        assertThat(live).isBetween(perSecond * 120L, perSecond * 122L + 200);
        assertThat(maxTable).isLessThanOrEqualTo(InMemoryReplayCache.DEFAULT_MAX_BYTES);
        assertThat((double) cache.tableBytes() / live).as("table bytes per live entry").isLessThanOrEqualTo(43.0);
        // the replay of a proof recorded 2 minutes ago (kept 121 s) is still caught
        ReplayKey old = ReplayKey.of(busy, (seconds - 120) + "-0");
        assertThat(cache.firstUse(old, clock.instant().plus(PROOF))).isFalse();
    }

    @Test
    void V_9_aSenderAboveItsRateIsRefusedWhileOneAtItsRateIsNot() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        // 100 proofs per second over 10 s: 1,000 live entries per sender
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).maxBytes(1 << 20)
                .perSenderRate(100).retention(Duration.ofSeconds(10)).build();
        WorkloadIdentifier steady = id("wimse://example.org/steady");
        WorkloadIdentifier flood = id("wimse://example.org/flood");
        long steadyRefused = 0;
        long floodRefused = 0;
        for (int ms = 0; ms < 60_000; ms += 5) {
            clock.set(Fixture.NOW.plusMillis(ms));
            // proofs kept 9 s (e.g. 4 s lifetime, 4 s leeway, 1 s margin): within the 10 s retention
            Instant keepUntil = clock.instant().plusSeconds(8);
            if (ms % 10 == 0) {
                try {
                    assertThat(cache.firstUse(ReplayKey.of(steady, "s" + ms), keepUntil)).isTrue();
                } catch (WimseException e) {
                    assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                    steadyRefused++;
                }
            }
            try {
                assertThat(cache.firstUse(ReplayKey.of(flood, "f" + ms), keepUntil)).isTrue();
            } catch (WimseException e) {
                assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                assertThat(e.detail()).contains("share");
                floodRefused++;
            }
        }
        assertThat(steadyRefused).as("100/s, the stated rate").isZero();
        // 200/s, kept 9-10 s: about 1,900 live wanted, 1,000 allowed
        assertThat(floodRefused).isBetween(5_000L, 6_000L);
    }
}
