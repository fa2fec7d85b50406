package io.wimse4j.testkit;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MutableClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void readsItsStartUntilMoved() {
        MutableClock clock = new MutableClock(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.instant()).as("still, after reading").isEqualTo(START);
    }

    @Test
    void advanceMovesForwardAndAnswersTheNewInstant() {
        MutableClock clock = new MutableClock(START);
        assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(START.plusSeconds(90));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(90));
        clock.advance(Duration.ofMillis(1));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(90).plusMillis(1));
        clock.advance(Duration.ZERO);
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(90).plusMillis(1));
    }

    @Test
    void advanceRefusesANegativeDurationAndLeavesTheClockAlone() {
        MutableClock clock = new MutableClock(START);
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set");
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void setMovesForwardAndBack() {
        MutableClock clock = new MutableClock(START);
        clock.set(START.plusSeconds(3600));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(3600));
        clock.set(START.minusSeconds(5));
        assertThat(clock.instant()).as("a wall-clock step back").isEqualTo(START.minusSeconds(5));
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> new MutableClock(null)).isInstanceOf(NullPointerException.class);
        MutableClock clock = new MutableClock(START);
        assertThatThrownBy(() -> clock.set(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> clock.withZone(null)).isInstanceOf(NullPointerException.class);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void aReZonedViewSharesTheInstant() {
        MutableClock clock = new MutableClock(START);
        ZoneId paris = ZoneId.of("Europe/Paris");
        Clock view = clock.withZone(paris);
        assertThat(view.getZone()).isEqualTo(paris);
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
        clock.advance(Duration.ofMinutes(5));
        assertThat(view.instant()).isEqualTo(START.plusSeconds(300));
        ((MutableClock) view).set(START);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void concurrentAdvancesAreNotLost() throws InterruptedException {
        MutableClock clock = new MutableClock(START);
        int threads = 4;
        int perThread = 10_000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        assertThat(clock.instant()).isEqualTo(START.plusMillis((long) threads * perThread));
    }
}
