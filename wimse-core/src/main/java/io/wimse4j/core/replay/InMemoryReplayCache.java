package io.wimse4j.core.replay;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded in-memory {@link ReplayCache} for one verifier process (V-9), sized for a request
 * rate. A cluster of verifiers needs a shared cache instead (SEC-4).
 *
 * <p><b>Compact entries.</b> An entry is the first 96 bits of its {@link ReplayKey}'s digest (see
 * {@link ReplayKey#compactId()}) and an expiry in whole seconds, 16 bytes in a lock-striped
 * open-addressing table: no per-entry object, {@code String} or {@code Instant}. Tables grow with
 * the live entries and shrink after them, between three eighths and three quarters full after a
 * rebuild, so a live entry costs 21 to 43 bytes of heap (about 34 at 1,000,000 entries) and the
 * whole cache never more than {@link Builder#maxBytes(long) maxBytes}. An entry is kept until the
 * first whole second after {@code expiresAt} plus one second of margin.
 *
 * <p><b>Guarantees.</b> A live entry is never evicted to make room: when the cache (more exactly,
 * the one of its 64 stripes a key falls in; they fill evenly) holds {@link #capacity()} live
 * entries, a new proof is refused with {@link Reason#REPLAY_CACHE_UNAVAILABLE} (fail closed). A
 * recorded key is answered {@code false} (a replay) whatever the cache would refuse. An entry asked
 * to live longer than {@link #MAX_ENTRY_LIFETIME} is refused, never kept for less.
 *
 * <p><b>Per-sender rate.</b> No sender (the workload or scope of a {@link ReplayKey}) may hold more
 * live entries than {@code perSenderRate × retention}: a sender sending at most
 * {@link Builder#perSenderRate(long) perSenderRate} proofs per second, each kept at most
 * {@link Builder#retention(Duration) retention} (its lifetime plus the verifier's leeway plus a
 * second), is never refused while the cache has room; one sending faster, or longer-lived proofs,
 * is refused ({@link Reason#REPLAY_CACHE_UNAVAILABLE}) while the others go on, so one workload
 * flooding fresh proofs cannot fill the cache and lock every other caller out.
 *
 * <p><b>Sizing.</b> Live entries = Σ over senders of (proofs per second × (proof lifetime + leeway
 * + 1 s)); heap ≈ 34 bytes per live entry (at most 43); {@link #capacity()} =
 * {@code 3/4 × maxBytes / 16} rounded down to whole tables. The defaults (128 MiB, 25,000 proofs
 * per second per sender over 121 s) hold 6,291,456 live entries: one sender at 25,000 requests per
 * second with 60-second proofs and the default 60-second leeway holds 3,025,000 of them
 * (about 100 MiB), a verifier at 1,000 requests per second about 4 MiB. Memory is taken as
 * entries arrive, not up front.
 */
public final class InMemoryReplayCache implements ReplayCache {
    /** Default memory bound: 128 MiB. */
    public static final long DEFAULT_MAX_BYTES = 128L << 20;
    /** Default per-sender rate: 25,000 proofs per second. */
    public static final long DEFAULT_PER_SENDER_RATE = 25_000;
    /** Default retention the rate is stated over: a 60 s proof, the default 60 s leeway and 1 s. */
    public static final Duration DEFAULT_RETENTION = Duration.ofSeconds(121);
    /** Longest an entry may be asked to live: a day (proof lifetimes are capped far below). */
    public static final Duration MAX_ENTRY_LIFETIME = Duration.ofDays(1);
    private static final long MAX_ENTRY_MILLIS = MAX_ENTRY_LIFETIME.toMillis();
    /** Bytes per table slot. */
    static final int SLOT_BYTES = 16;
    /** Entries outlive their {@code expiresAt} by this much, so none expires at the instant it is made. */
    static final long MARGIN_MILLIS = 1_000;
    private static final int MAX_SEGMENTS = 64;
    /** Smallest table bound per segment before the cache uses fewer segments. */
    private static final int MIN_SEGMENT_SLOTS = 4096;

    private final Clock clock;
    private final long maxBytes;
    private final long perSenderRate;
    private final Duration retention;
    private final long perSenderLimit;
    private final long baseSecond;
    private final ReplaySegment[] segments;
    private final int segmentShift;
    private final long segmentSeed;
    private final long capacity;
    private final ConcurrentHashMap<String, SenderLedger> senders = new ConcurrentHashMap<>();
    private final AtomicInteger lastSweep = new AtomicInteger();

    /** A cache with the defaults on the system clock. */
    public InMemoryReplayCache() {
        this(builder());
    }

    private InMemoryReplayCache(Builder b) {
        this.clock = b.clock;
        this.maxBytes = b.maxBytes;
        this.perSenderRate = b.perSenderRate;
        this.retention = b.retention;
        long retentionSeconds = (b.retention.toMillis() + 999) / 1000;
        this.perSenderLimit = Math.multiplyExact(b.perSenderRate, retentionSeconds);
        // seconds count from just before construction, so the current second is at least 1 and an
        // expiry second (> now) is never 0, the empty slot's mark
        this.baseSecond = Math.floorDiv(clock.millis(), 1000) - 1;
        long totalSlots = Long.highestOneBit(b.maxBytes / SLOT_BYTES);
        int count = (int) Math.max(1, Math.min(MAX_SEGMENTS, totalSlots / MIN_SEGMENT_SLOTS));
        int perSegment = (int) Math.min(1 << 30, totalSlots / count);
        SecureRandom random = new SecureRandom();
        this.segments = new ReplaySegment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new ReplaySegment(perSegment, random.nextLong());
        }
        this.segmentShift = 64 - Integer.numberOfTrailingZeros(count);
        this.segmentSeed = random.nextLong();
        this.capacity = ReplaySegment.capacity(perSegment) * count;
        this.lastSweep.set(currentSecond());
    }

    /** A builder with the defaults: 128 MiB, 25,000 proofs per second per sender over 121 s, the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean firstUse(ReplayKey replayKey, Instant expiresAt) throws WimseException {
        Objects.requireNonNull(replayKey, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        long nowMillis = clock.millis();
        int now = second(Math.floorDiv(nowMillis, 1000));
        long limitMillis = nowMillis + MAX_ENTRY_MILLIS;
        // the epoch-second test first: toEpochMilli overflows for instants far away
        if (expiresAt.getEpochSecond() > Math.floorDiv(limitMillis, 1000) || expiresAt.toEpochMilli() > limitMillis) {
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                    "a replay entry may be kept at most " + MAX_ENTRY_LIFETIME.toHours() + " hours");
        }
        long keepMillis = Math.max(expiresAt.toEpochMilli(), nowMillis) + MARGIN_MILLIS;
        int expiry = Math.max(second(Math.floorDiv(keepMillis + 999, 1000)), now + 1);
        sweepSenders(now);

        long a = replayKey.compactHigh();
        int b = replayKey.compactLow();
        String sender = replayKey.shareKey();
        ReplaySegment segment = segments[segmentOf(a)];
        while (true) {
            SenderLedger ledger = ledger(sender);
            int outcome;
            synchronized (segment) {
                outcome = segment.record(a, b, expiry, now, ledger, perSenderLimit);
            }
            switch (outcome) {
                case ReplaySegment.RETRY:
                    continue; // the ledger was dropped from the map meanwhile: take the current one
                case ReplaySegment.FIRST_USE:
                    return true;
                case ReplaySegment.REPLAY:
                    return false;
                case ReplaySegment.SHARE_FULL:
                    throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                            "this sender holds its whole share of the replay cache (" + perSenderRate
                                    + " proofs per second over " + retention.toSeconds() + " s)");
                default:
                    throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                            "in-memory replay cache is full (" + capacity + " live entries, " + maxBytes + " bytes)");
            }
        }
    }

    private SenderLedger ledger(String sender) {
        SenderLedger ledger = senders.get(sender);
        if (ledger == null) {
            SenderLedger fresh = new SenderLedger();
            ledger = senders.putIfAbsent(sender, fresh);
            if (ledger == null) {
                ledger = fresh;
            }
        }
        return ledger;
    }

    /**
     * Once per second (one caller does it), drops the ledgers of senders holding no live entry, so
     * the map holds only senders with live proofs.
     */
    private void sweepSenders(int now) {
        int last = lastSweep.get();
        if (now <= last || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (Iterator<Map.Entry<String, SenderLedger>> it = senders.entrySet().iterator(); it.hasNext(); ) {
            SenderLedger ledger = it.next().getValue();
            synchronized (ledger) {
                ledger.expire(now);
                if (ledger.live() == 0) {
                    ledger.dead = true;
                    it.remove();
                }
            }
        }
    }

    private int segmentOf(long a) {
        if (segments.length == 1) {
            return 0;
        }
        long h = (a ^ segmentSeed) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> segmentShift);
    }

    /** Seconds since just before construction; saturated to the int range. */
    private int second(long epochSecond) {
        return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, epochSecond - baseSecond));
    }

    private int currentSecond() {
        return second(Math.floorDiv(clock.millis(), 1000));
    }

    /** Live entries now: exact, but a scan of every table (for tests and diagnostics, not the request path). */
    public long size() {
        int now = currentSecond();
        long n = 0;
        for (ReplaySegment s : segments) {
            synchronized (s) {
                n += s.liveEntries(now);
            }
        }
        return n;
    }

    /** The most live entries the cache holds: {@code 3/4 × maxBytes / 16}, rounded down to whole tables. */
    public long capacity() {
        return capacity;
    }

    /** The most live entries one sender may hold: {@code perSenderRate × retention} (in whole seconds). */
    public long perSenderLimit() {
        return perSenderLimit;
    }

    /** Bytes the entry tables take now (at most {@code maxBytes}; the per-sender ledgers come on top). */
    public long tableBytes() {
        long n = 0;
        for (ReplaySegment s : segments) {
            synchronized (s) {
                n += s.tableBytes();
            }
        }
        return n;
    }

    /** Senders holding live entries, as of the last once-a-second sweep. */
    public int senders() {
        return senders.size();
    }

    @Override
    public String toString() {
        return "InMemoryReplayCache[maxBytes=" + maxBytes + ", capacity=" + capacity + ", perSenderRate="
                + perSenderRate + "/s over " + retention.toSeconds() + " s, clock=" + clock + "]";
    }

    /** Builds an {@link InMemoryReplayCache}; {@link #build()} checks the settings fit together. */
    public static final class Builder {
        private long maxBytes = DEFAULT_MAX_BYTES;
        private long perSenderRate = DEFAULT_PER_SENDER_RATE;
        private Duration retention = DEFAULT_RETENTION;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The memory bound of the entry tables, in bytes (default {@link #DEFAULT_MAX_BYTES}; at
         * least 256). The capacity is three quarters of {@code maxBytes / 16} entries, rounded down
         * to a power of two of slots.
         */
        public Builder maxBytes(long bytes) {
            if (bytes < (long) SLOT_BYTES * ReplaySegment.MIN_SLOTS) {
                throw new IllegalArgumentException("maxBytes must be at least " + SLOT_BYTES * ReplaySegment.MIN_SLOTS);
            }
            this.maxBytes = bytes;
            return this;
        }

        /** Proofs per second one sender may send without refusal (default {@link #DEFAULT_PER_SENDER_RATE}; at least 1). */
        public Builder perSenderRate(long proofsPerSecond) {
            if (proofsPerSecond < 1) {
                throw new IllegalArgumentException("perSenderRate must be at least 1 per second");
            }
            this.perSenderRate = proofsPerSecond;
            return this;
        }

        /**
         * How long the proofs the rate is stated for are kept: their lifetime plus the verifier's
         * leeway plus one second (default {@link #DEFAULT_RETENTION}; 1 s to
         * {@link #MAX_ENTRY_LIFETIME}, rounded up to whole seconds).
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.compareTo(Duration.ofSeconds(1)) < 0 || retention.compareTo(MAX_ENTRY_LIFETIME) > 0) {
                throw new IllegalArgumentException("retention must be between 1 s and " + MAX_ENTRY_LIFETIME.toHours() + " h");
            }
            this.retention = retention;
            return this;
        }

        /** The clock entries expire by (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException when one sender's limit ({@code perSenderRate × retention})
         *                                  exceeds the capacity: the share would be meaningless
         */
        public InMemoryReplayCache build() {
            InMemoryReplayCache cache = new InMemoryReplayCache(this);
            if (cache.perSenderLimit > cache.capacity) {
                throw new IllegalArgumentException("perSenderRate × retention (" + cache.perSenderLimit
                        + " entries) exceeds the capacity of maxBytes (" + cache.capacity + " entries)");
            }
            return cache;
        }
    }
}
