package io.wimse4j.core.replay;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.core.replay.Ids.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact in-memory replay cache (V-9): expiry in whole seconds, fail closed when full, never
 * evicting a live entry, a replay always a replay, memory bounded in bytes, one winner per key
 * under concurrency.
 */
class InMemoryReplayCacheTest {
    private final MutableClock clock = new MutableClock(Fixture.NOW);

    private static final WorkloadIdentifier A = id("wimse://example.org/a");

    private static WimseException rejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        WimseException e = org.assertj.core.api.Assertions.catchThrowableOfType(call, WimseException.class);
        assertThat(e).as("a WimseException").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }

    private InMemoryReplayCache.Builder small() {
        return InMemoryReplayCache.builder().clock(clock);
    }

    @Test
    void V_9_anEntryLivesUntilTheWholeSecondAfterExpiryPlusMargin() throws WimseException {
        InMemoryReplayCache cache = small().build();
        ReplayKey k = ReplayKey.of(A, "j1");
        // kept until ceil(expiresAt + 1 s) = NOW + 12 s
        assertThat(cache.firstUse(k, Fixture.NOW.plusMillis(10_500))).isTrue();
        clock.set(Fixture.NOW.plusMillis(11_999));
        assertThat(cache.firstUse(k, Fixture.NOW.plusSeconds(60))).as("still live one millisecond before").isFalse();
        clock.set(Fixture.NOW.plusSeconds(12));
        assertThat(cache.firstUse(k, Fixture.NOW.plusSeconds(60))).as("expired: a first use again").isTrue();
        assertThat(cache.firstUse(k, Fixture.NOW.plusSeconds(60))).isFalse();
    }

    @Test
    void V_9_aFullCacheRefusesNewProofsNeverEvictsALiveOneAndStillReportsReplays() throws WimseException {
        // 256 bytes = 16 slots = 12 live entries; 12 senders with one entry each
        InMemoryReplayCache cache = small().maxBytes(256).perSenderRate(1).retention(Duration.ofSeconds(1)).build();
        assertThat(cache.capacity()).isEqualTo(12);
        List<ReplayKey> kept = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ReplayKey k = ReplayKey.of(id("wimse://example.org/s" + i), "j");
            assertThat(cache.firstUse(k, Fixture.NOW.plusSeconds(100))).isTrue();
            kept.add(k);
        }
        WimseException full = rejected(() -> cache.firstUse(ReplayKey.of(id("wimse://example.org/late"), "j"),
                Fixture.NOW.plusSeconds(100)), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(full.detail()).contains("full");
        for (ReplayKey k : kept) {
            assertThat(cache.firstUse(k, Fixture.NOW.plusSeconds(100))).as("a live entry survives a full cache").isFalse();
        }
        assertThat(cache.size()).isEqualTo(12);
        clock.advance(Duration.ofSeconds(102));
        assertThat(cache.firstUse(ReplayKey.of(id("wimse://example.org/late"), "j"), Fixture.NOW.plusSeconds(200)))
                .as("room again once the entries expired").isTrue();
    }

    @Test
    void V_9_theTablesStayWithinMaxBytesAndTheCapacityIsReachedEvenly() throws WimseException {
        long maxBytes = 1 << 20; // 65,536 slots in 16 stripes: 49,152 live entries
        InMemoryReplayCache cache = small().maxBytes(maxBytes).perSenderRate(1000).retention(Duration.ofSeconds(48)).build();
        assertThat(cache.capacity()).isEqualTo(49_152);
        int accepted = 0;
        int firstRefusal = -1;
        for (int i = 0; i < 60_000; i++) {
            try {
                assertThat(cache.firstUse(ReplayKey.of(id("wimse://example.org/s" + (i % 50)), "j" + i),
                        Fixture.NOW.plusSeconds(300))).isTrue();
                accepted++;
            } catch (WimseException e) {
                assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                if (firstRefusal < 0) {
                    firstRefusal = i;
                }
            }
            assertThat(cache.tableBytes()).isLessThanOrEqualTo(maxBytes);
        }
        assertThat(accepted).isLessThanOrEqualTo(49_152);
        assertThat(firstRefusal).as("stripes fill evenly").isGreaterThan(49_152 * 9 / 10);
        assertThat(cache.size()).isEqualTo(accepted);
    }

    @Test
    void V_9_memoryIsGivenBackAfterTheEntriesExpire() throws WimseException {
        InMemoryReplayCache cache = small().maxBytes(16L << 20).perSenderRate(100_000).retention(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 200_000; i++) {
            assertThat(cache.firstUse(ReplayKey.of(A, "a" + i), Fixture.NOW.plusSeconds(1))).isTrue();
        }
        long grown = cache.tableBytes();
        assertThat(grown).as("about 16 bytes per slot, 3/8 to 3/4 full").isBetween(200_000L * 16 * 4 / 3, 200_000L * 16 * 8 / 3);
        for (int s = 1; s <= 100; s++) {
            clock.set(Fixture.NOW.plusSeconds(3L * s));
            for (int i = 0; i < 5_000; i++) {
                assertThat(cache.firstUse(ReplayKey.of(A, "b" + s + "-" + i), clock.instant())).isTrue();
            }
        }
        assertThat(cache.size()).isEqualTo(5_000);
        assertThat(cache.tableBytes()).as("tables shrank with the live entries").isLessThan(grown / 8);
    }

    @Test
    void V_9_theSenderLedgerCountsEntriesExpiringOutOfOrder() throws WimseException {
        InMemoryReplayCache cache = small().perSenderRate(1).retention(Duration.ofSeconds(2)).build();
        assertThat(cache.firstUse(ReplayKey.of(A, "far"), Fixture.NOW.plusSeconds(100))).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "near"), Fixture.NOW.plusSeconds(10))).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "mid"), Fixture.NOW.plusSeconds(50))).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "more"), Fixture.NOW.plusSeconds(20)), Reason.REPLAY_CACHE_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(12)); // "near" expired
        assertThat(cache.firstUse(ReplayKey.of(A, "more"), Fixture.NOW.plusSeconds(20))).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "again"), Fixture.NOW.plusSeconds(20)), Reason.REPLAY_CACHE_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(10)); // "more" expired too
        assertThat(cache.firstUse(ReplayKey.of(A, "again"), Fixture.NOW.plusSeconds(60))).isTrue();
    }

    @Test
    void V_9_idleSendersLeaveTheLedgerMap() throws WimseException {
        InMemoryReplayCache cache = small().build();
        for (int i = 0; i < 100; i++) {
            assertThat(cache.firstUse(ReplayKey.of(id("wimse://example.org/s" + i), "j"), Fixture.NOW.plusSeconds(5))).isTrue();
        }
        assertThat(cache.senders()).isEqualTo(100);
        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.firstUse(ReplayKey.of(A, "j"), Fixture.NOW.plusSeconds(60))).isTrue();
        assertThat(cache.senders()).as("only A holds a live entry").isEqualTo(1);
    }

    @Test
    void V_9_ofConcurrentFirstUsesOfOneKeyExactlyOneWins() throws Exception {
        InMemoryReplayCache cache = small().build();
        int keys = 20_000;
        List<ReplayKey> all = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            all.add(ReplayKey.of(id("wimse://example.org/s" + (i % 7)), "j" + i));
        }
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(4);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (ReplayKey k : all) {
                        if (cache.firstUse(k, Fixture.NOW.plusSeconds(60))) {
                            wins.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(errors).hasValue(0);
        assertThat(wins).hasValue(keys);
        assertThat(cache.size()).isEqualTo(keys);
    }

    @Test
    void V_9_anEntryAskedToOutliveTheMaximumIsRefusedNotShortened() throws WimseException {
        InMemoryReplayCache cache = small().build();
        Instant tooLate = Fixture.NOW.plus(InMemoryReplayCache.MAX_ENTRY_LIFETIME).plusMillis(1);
        WimseException e = rejected(() -> cache.firstUse(ReplayKey.of(A, "j"), tooLate), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(e.detail()).contains("at most 24 hours");
        assertThat(cache.firstUse(ReplayKey.of(A, "j"), Fixture.NOW.plus(InMemoryReplayCache.MAX_ENTRY_LIFETIME))).isTrue();
    }
}
