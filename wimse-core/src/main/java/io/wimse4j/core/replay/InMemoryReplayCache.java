package io.wimse4j.core.replay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A bounded in-memory {@link ReplayCache} for one verifier process (V-9), on Caffeine. Entries
 * expire at their own {@code expiresAt}, read from the injected clock. It never evicts an entry
 * early to make room: when full of live entries it refuses new proofs with
 * {@link Reason#REPLAY_CACHE_UNAVAILABLE} (fail closed) rather than forget one and let a replay
 * through. A cluster of verifiers needs a shared cache instead (SEC-4).
 */
public final class InMemoryReplayCache implements ReplayCache {
    /** Default capacity. */
    public static final int DEFAULT_CAPACITY = 1_000_000;
    /** Entries outlive their {@code expiresAt} by this much, so none expires at the instant it is made. */
    static final long MARGIN_MILLIS = 1_000;
    /** No entry is kept longer than a day (proof lifetimes are capped far below). */
    static final long MAX_ENTRY_MILLIS = 86_400_000L;

    private final Clock clock;
    private final long capacity;
    private final Cache<String, Instant> entries;

    /** A cache of {@link #DEFAULT_CAPACITY} entries on the system clock. */
    public InMemoryReplayCache() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    /** A cache of {@code capacity} live entries, expiring by {@code clock}. */
    public InMemoryReplayCache(long capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacity = capacity;
        // Every firstUse is a write; with Caffeine's default executor each write can hand its
        // maintenance to ForkJoinPool.commonPool() (an unpark per hand-off, and the caller then
        // contends with that worker for the eviction lock). Doing the amortized maintenance on
        // the calling thread keeps the request path on one core.
        this.entries = Caffeine.newBuilder()
                .executor(Runnable::run)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(new Expiry<String, Instant>() {
                    @Override
                    public long expireAfterCreate(String key, Instant expiresAt, long currentTime) {
                        long ms = Math.min(MAX_ENTRY_MILLIS, Math.max(0, expiresAt.toEpochMilli() - clock.millis()));
                        return (ms + MARGIN_MILLIS) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Instant expiresAt, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(String key, Instant expiresAt, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    @Override
    public boolean firstUse(String key, Instant expiresAt) throws WimseException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (entries.estimatedSize() >= capacity) {
            entries.cleanUp();
            if (entries.estimatedSize() >= capacity) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                        "in-memory replay cache is full (" + capacity + " live entries)");
            }
        }
        return entries.asMap().putIfAbsent(key, expiresAt) == null;
    }

    /** Live entries, approximately. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public String toString() {
        return "InMemoryReplayCache[capacity=" + capacity + ", clock=" + clock + "]";
    }
}
