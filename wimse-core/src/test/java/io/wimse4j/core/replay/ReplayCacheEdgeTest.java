package io.wimse4j.core.replay;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.core.replay.Ids.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory replay cache at its edges (V-9): clocks stepped back or far away, expiries out of
 * range, racing sweeps, the sender count, and a sender at exactly its stated rate.
 */
class ReplayCacheEdgeTest {
    private static final WorkloadIdentifier A = id("wimse://example.org/a");

    @Test
    void V_9_aClockSteppedBackNeverLetsAnExpiredCopyHideALiveOne() {
        ReplaySegment seg = new ReplaySegment(32, 0L);
        SenderLedger ledger = new SenderLedger();
        // K and L start their probes at the last slot of the 16-slot table; fillers elsewhere
        long k = 0;
        long l = 0;
        long[] fill = new long[11];
        int nf = 0;
        for (long a = 1; nf < 11 || k == 0 || l == 0; a++) {
            int h = seg.home(a) & 15;
            if (h == 15) {
                if (l == 0) {
                    l = a;
                } else if (k == 0) {
                    k = a;
                }
            } else if (h >= 1 && h <= 13 && nf < 11) {
                fill[nf++] = a;
            }
        }
        assertThat(seg.record(l, 1, 20, 10, ledger, 1000)).isEqualTo(ReplaySegment.FIRST_USE); // last slot
        assertThat(seg.record(k, 2, 20, 10, ledger, 1000)).isEqualTo(ReplaySegment.FIRST_USE); // wraps to slot 0
        // second 25: K expired, recorded again (until 100) in L's expired slot
        assertThat(seg.record(k, 2, 100, 25, ledger, 1000)).isEqualTo(ReplaySegment.FIRST_USE);
        // the clock steps back to 15, where K's first copy (until 20) would look live; fill to force a grow
        for (long f : fill) {
            assertThat(seg.record(f, 3, 200, 15, ledger, 1000)).isEqualTo(ReplaySegment.FIRST_USE);
        }
        assertThat(seg.record(k, 2, 200, 30, ledger, 1000)).as("K is recorded until 100").isEqualTo(ReplaySegment.REPLAY);
    }

    @Test
    void V_9_aSenderAtExactlyItsRateWithMillisecondArrivalsIsNeverRefused() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).maxBytes(8L << 20)
                .perSenderRate(1000).retention(Duration.ofSeconds(121)).build();
        long refused = 0;
        for (int s = 0; s < 130; s++) {
            for (int i = 0; i < 1000; i++) {
                clock.set(Fixture.NOW.plusMillis(s * 1000L + i));
                try {
                    // kept until exp + leeway: 60 s + 60 s, plus the cache's 1 s margin = 121 s
                    assertThat(cache.firstUse(ReplayKey.of(A, s + "-" + i), clock.instant().plusSeconds(120))).isTrue();
                } catch (WimseException e) {
                    refused++;
                }
            }
        }
        assertThat(refused).isZero();
        assertThat(cache.size()).isBetween(121_000L, cache.perSenderLimit());
    }

    @Test
    void V_9_moreSendersThanTrackedAreRefusedButReplaysStillAnsweredAsReplays() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).maxSenders(2).build();
        ReplayKey b = ReplayKey.of(id("wimse://example.org/b"), "j");
        assertThat(cache.firstUse(ReplayKey.of(A, "j"), Fixture.NOW.plusSeconds(5))).isTrue();
        assertThat(cache.firstUse(b, Fixture.NOW.plusSeconds(60))).isTrue();
        WimseException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> cache.firstUse(ReplayKey.of(id("wimse://example.org/c"), "j"), Fixture.NOW.plusSeconds(60)),
                WimseException.class);
        assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(e.detail()).contains("2 senders");
        assertThat(cache.firstUse(b, Fixture.NOW.plusSeconds(60))).isFalse();
        clock.advance(Duration.ofSeconds(10)); // A's only entry expired: its place is free
        assertThat(cache.firstUse(ReplayKey.of(id("wimse://example.org/c"), "j"), Fixture.NOW.plusSeconds(60))).isTrue();
    }

    @Test
    void V_9_aClockOutsideTheRangeTheCacheCountsInFailsClosed() {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).build();
        clock.set(Fixture.NOW.plusSeconds(1L << 31)); // 68 years on, or a clock stepped that far
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "j"), clock.instant().plusSeconds(60)),
                Reason.REPLAY_CACHE_UNAVAILABLE);
        clock.set(Fixture.NOW.minusSeconds(10)); // before the cache was made
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "j"), clock.instant().plusSeconds(60)),
                Reason.REPLAY_CACHE_UNAVAILABLE);
    }

    @Test
    void V_9_expiriesOutOfRangeAndPastOnesFailClosedWithTheContractedReason() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).build();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "min"), Instant.MIN), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "max"), Instant.MAX), Reason.REPLAY_CACHE_UNAVAILABLE);
        // expiry plus the 1 s margin already passed: its entry would be gone, a replay could not be told
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "past"), Fixture.NOW.minusSeconds(1)), Reason.REPLAY_CACHE_UNAVAILABLE);
        // within the margin it is still recorded (a proof that expired while it was being checked)
        ReplayKey late = ReplayKey.of(A, "late");
        assertThat(cache.firstUse(late, Fixture.NOW.minusMillis(999))).isTrue();
        assertThat(cache.firstUse(late, Fixture.NOW.minusMillis(999))).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void V_9_anOverlappingSweepNeverDropsTheLedgerThatReplacedTheOneItSaw() throws Exception {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).maxBytes(4096)
                .perSenderRate(1).retention(Duration.ofSeconds(1)).build();
        assertThat(cache.perSenderLimit()).isEqualTo(2);
        WorkloadIdentifier p = id("wimse://example.org/p");
        WorkloadIdentifier q = id("wimse://example.org/q");
        assertThat(cache.firstUse(ReplayKey.of(p, "p0"), Fixture.NOW)).isTrue();
        Field field = InMemoryReplayCache.class.getDeclaredField("senders");
        field.setAccessible(true);
        SenderLedger seen = ((Map<String, SenderLedger>) field.get(cache)).get(ReplayKey.of(p, "x").shareKey());
        clock.set(Fixture.NOW.plusSeconds(5)); // p0 expired
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread slowSweep;
        synchronized (seen) {
            slowSweep = new Thread(() -> {
                try {
                    cache.firstUse(ReplayKey.of(q, "q0"), Fixture.NOW.plusSeconds(60));
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            slowSweep.start(); // its sweep (second 5) holds the old ledger and waits for its monitor
            while (slowSweep.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
            clock.set(Fixture.NOW.plusSeconds(6));
            // the sweep of second 6 (this thread) drops the old ledger; p's new proof makes a fresh one
            assertThat(cache.firstUse(ReplayKey.of(p, "p1"), Fixture.NOW.plusSeconds(60))).isTrue();
        }
        slowSweep.join();
        assertThat(error.get()).isNull();
        assertThat(cache.firstUse(ReplayKey.of(p, "p2"), Fixture.NOW.plusSeconds(60))).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(p, "p3"), Fixture.NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
    }
}
