package io.wimse4j.core.replay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded in-memory {@link ReplayCache} for one verifier process (V-9), on Caffeine. Entries
 * expire at their own {@code expiresAt}, read from the injected clock. It never evicts an entry
 * early to make room: when full of live entries it refuses new proofs with
 * {@link Reason#REPLAY_CACHE_UNAVAILABLE} (fail closed) rather than forget one and let a replay
 * through. A cluster of verifiers needs a shared cache instead (SEC-4).
 *
 * <p><b>Per-sender share.</b> No single sender (the workload or scope of a {@link ReplayKey}, by
 * its {@link ReplayKey#shareId()}) may hold more than {@code perSenderLimit} live entries (default a
 * quarter of the capacity): a sender past its share is refused with
 * {@link Reason#REPLAY_CACHE_UNAVAILABLE} while the others go on, so one workload flooding fresh
 * proofs cannot fill the cache and lock every other caller out. A replay is still answered
 * {@code false}, share or not. The share is soft under concurrency (a few entries over at most).
 */
public final class InMemoryReplayCache implements ReplayCache {
    /** Default capacity. */
    public static final int DEFAULT_CAPACITY = 1_000_000;
    /** Entries outlive their {@code expiresAt} by this much, so none expires at the instant it is made. */
    static final long MARGIN_MILLIS = 1_000;
    /** No entry is kept longer than a day (proof lifetimes are capped far below). */
    static final long MAX_ENTRY_MILLIS = 86_400_000L;

    /** A recorded proof: when it may be forgotten, and which share ({@link ReplayKey#shareId()}) it counts against. */
    private record Entry(Instant expiresAt, String sender) {
    }

    private final Clock clock;
    private final long capacity;
    private final long perSenderLimit;
    private final Cache<String, Entry> entries;
    private final ConcurrentHashMap<String, Long> perSender = new ConcurrentHashMap<>();

    /** A cache of {@link #DEFAULT_CAPACITY} entries on the system clock. */
    public InMemoryReplayCache() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    /** A cache of {@code capacity} live entries, a quarter of them at most per sender, expiring by {@code clock}. */
    public InMemoryReplayCache(long capacity, Clock clock) {
        this(capacity, Math.max(1, capacity / 4), clock);
    }

    /** A cache of {@code capacity} live entries, {@code perSenderLimit} at most per sender, expiring by {@code clock}. */
    public InMemoryReplayCache(long capacity, long perSenderLimit, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        if (perSenderLimit < 1 || perSenderLimit > capacity) {
            throw new IllegalArgumentException("perSenderLimit must be in 1..capacity");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacity = capacity;
        this.perSenderLimit = perSenderLimit;
        // Every firstUse is a write; with Caffeine's default executor each write can hand its
        // maintenance to ForkJoinPool.commonPool() (an unpark per hand-off, and the caller then
        // contends with that worker for the eviction lock). Doing the amortized maintenance on
        // the calling thread keeps the request path on one core.
        this.entries = Caffeine.newBuilder()
                .executor(Runnable::run)
                .ticker(() -> clock.millis() * 1_000_000L)
                .evictionListener((String key, Entry entry, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (entry != null) {
                        release(entry.sender());
                    }
                })
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        long ms = Math.min(MAX_ENTRY_MILLIS,
                                Math.max(0, entry.expiresAt().toEpochMilli() - clock.millis()));
                        return (ms + MARGIN_MILLIS) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    @Override
    public boolean firstUse(ReplayKey replayKey, Instant expiresAt) throws WimseException {
        Objects.requireNonNull(replayKey, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        String key = replayKey.base64Url();
        String sender = replayKey.shareKey();
        if (entries.estimatedSize() >= capacity || held(sender) >= perSenderLimit) {
            entries.cleanUp();
            if (entries.asMap().containsKey(key)) {
                return false; // a replay is reported as one, even from a sender past its share
            }
            if (entries.estimatedSize() >= capacity) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                        "in-memory replay cache is full (" + capacity + " live entries)");
            }
            if (held(sender) >= perSenderLimit) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                        "this sender holds its whole share of the replay cache (" + perSenderLimit + " live proofs)");
            }
        }
        // Count the entry before it exists: its eviction (which may run on any thread, even inside
        // putIfAbsent, once it has expired) then always finds the count to decrement. Counting after
        // the insertion would lose that decrement and hold a place of the sender's share forever.
        perSender.merge(sender, 1L, Long::sum);
        boolean inserted = false;
        try {
            inserted = entries.asMap().putIfAbsent(key, new Entry(expiresAt, sender)) == null;
            return inserted;
        } finally {
            if (!inserted) {
                release(sender); // a replay, or a failed insertion: nothing to count
            }
        }
    }

    private void release(String sender) {
        perSender.computeIfPresent(sender, (s, n) -> n <= 1 ? null : n - 1);
    }

    private long held(String sender) {
        Long n = perSender.get(sender);
        return n == null ? 0 : n;
    }

    /** Live entries, approximately. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public String toString() {
        return "InMemoryReplayCache[capacity=" + capacity + ", perSenderLimit=" + perSenderLimit + ", clock=" + clock + "]";
    }
}
