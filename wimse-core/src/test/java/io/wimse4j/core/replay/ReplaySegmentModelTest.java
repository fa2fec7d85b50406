package io.wimse4j.core.replay;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One replay table against a plain map (V-9): random keys from a small pool, random expiries, time
 * moving on by random steps, tables growing, shrinking and filling up, with and without callers
 * that read the clock a second or two late. The table must answer exactly as the map does: a first
 * use only when no recording of the key is live, a replay only when one is, and "full" only when
 * three quarters of its largest table hold live entries.
 */
class ReplaySegmentModelTest {

    private static void check(boolean staleReaders, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++) {
            int maxSlots = 16 << r.nextInt(4);
            ReplaySegment seg = new ReplaySegment(maxSlots, r.nextLong());
            SenderLedger ledger = new SenderLedger();
            Map<Long, Integer> model = new HashMap<>();
            int pool = 8 + r.nextInt(maxSlots * 2);
            int now = 1;
            int segmentNow = Integer.MIN_VALUE;
            for (int step = 0; step < 4000; step++) {
                if (r.nextInt(4) == 0) {
                    now += r.nextInt(3);
                }
                int callNow = staleReaders && r.nextInt(8) == 0 ? now - 1 - r.nextInt(2) : now;
                long a = 1 + r.nextInt(pool);
                int expiry = callNow + 1 + r.nextInt(12);
                int out = seg.record(a, (int) a, expiry, callNow, ledger, Long.MAX_VALUE);
                // the table never looks at time earlier than it has seen
                segmentNow = Math.max(segmentNow, callNow);
                int t = segmentNow;
                Integer recorded = model.get(a);
                boolean live = recorded != null && recorded > t;
                long liveCount = model.values().stream().filter(e -> e > t).count();
                switch (out) {
                    case ReplaySegment.FIRST_USE -> {
                        assertThat(live).as("trial %d step %d: a first use while a recording is live", trial, step).isFalse();
                        model.put(a, Math.max(expiry, t + 1));
                    }
                    case ReplaySegment.REPLAY ->
                            assertThat(live).as("trial %d step %d: a replay with no live recording", trial, step).isTrue();
                    case ReplaySegment.FULL -> assertThat(liveCount).as("trial %d step %d: full", trial, step)
                            .isGreaterThanOrEqualTo(ReplaySegment.capacity(maxSlots) - 1);
                    default -> throw new AssertionError("unexpected outcome " + out);
                }
            }
        }
    }

    @Test
    void V_9_aTableAnswersAsAMapWithAMonotonicClock() {
        check(false, 1);
    }

    @Test
    void V_9_aTableAnswersAsAMapWithCallersReadingTheClockLate() {
        check(true, 2);
    }
}
