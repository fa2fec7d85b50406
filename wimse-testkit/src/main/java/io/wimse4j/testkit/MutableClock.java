package io.wimse4j.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that a test moves by hand: it reads the same instant until the test calls
 * {@link #advance(Duration)} or {@link #set(Instant)}. <strong>A test helper, never for
 * production code.</strong>
 *
 * <p>Thread-safe: the instant is held atomically, so the code under test may read the clock on
 * its own threads (background refreshers, a server) while the test moves it. {@link #withZone}
 * answers a view in another zone that shares this clock's instant, so code that re-zones the
 * clock still follows the test's moves. The zone is UTC unless re-zoned.
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /**
     * A clock in UTC that reads {@code start} until moved.
     *
     * @param start the initial instant, not null
     */
    public MutableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * Moves the clock forward by {@code d} (zero leaves it where it is). To step the clock back,
     * as a wall clock corrected by NTP might, use {@link #set(Instant)}.
     *
     * @param d how far to move, not null and not negative
     * @return the instant after the move
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public Instant advance(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("advance moves forward only (use set to step back): " + d);
        }
        return now.updateAndGet(t -> t.plus(d));
    }

    /**
     * Puts the clock at {@code instant}, forward or back.
     *
     * @param instant the new instant, not null
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * The zone of this view of the clock (UTC unless obtained through {@link #withZone}).
     *
     * @return the zone
     */
    @Override
    public ZoneId getZone() {
        return zone;
    }

    /**
     * A view of this clock in {@code zone}, sharing its instant: moving either moves both.
     *
     * @param zone the zone, not null
     * @return this clock if the zone is the same, otherwise a view sharing its instant
     */
    @Override
    public MutableClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(this.zone) ? this : new MutableClock(now, zone);
    }

    /**
     * The instant the test last set (the start, or the result of the last move).
     *
     * @return the current instant of this clock
     */
    @Override
    public Instant instant() {
        return now.get();
    }

    /**
     * The clock's current instant and zone, for test failure messages.
     *
     * @return a description such as {@code MutableClock[2026-01-01T00:00:00Z,Z]}
     */
    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "," + zone + "]";
    }
}
