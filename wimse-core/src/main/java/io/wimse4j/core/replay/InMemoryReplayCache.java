package io.wimse4j.core.replay;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded in-memory {@link ReplayCache} for one verifier process (V-9), sized for a request
 * rate. A cluster of verifiers needs a shared cache instead (SEC-4). Sizing: {@code docs/replay-cache.md}.
 *
 * <p><b>Compact entries.</b> An entry is the first 96 bits of its {@link ReplayKey}'s digest (see
 * {@link ReplayKey#compactId()}) and an expiry in whole seconds, 16 bytes in one of up to 64
 * lock-striped open-addressing tables: no per-entry object, {@code String} or {@code Instant}. A
 * table grows with its live entries (to 5/16..3/8 full) and is rebuilt when three quarters of it is
 * used, so while entries grow a live entry costs 16 bytes / load, 21 to 51 bytes (about 34 at
 * 1,000,000 entries); after a peak, up to 128 while inserts go on (a table shrinks, as new entries
 * arrive, once less than an eighth of it is live). The tables never exceed
 * {@link Builder#maxBytes(long) maxBytes} (a growing table briefly holds its old and new array); the
 * per-sender ledgers come on top: about 250 bytes for a sender with a few live entries, about 1.2 KB
 * for one sending every second of a 121 s retention, at most {@link Builder#maxSenders(int) maxSenders}. An entry is
 * kept until the first whole second after {@code expiresAt} plus one second of margin.
 *
 * <p><b>Guarantees.</b> A live entry is never evicted to make room: when the cache (more exactly,
 * the one of its tables a key falls in; they fill evenly) holds {@link #capacity()} live entries, a
 * new proof is refused with {@link Reason#REPLAY_CACHE_UNAVAILABLE} (fail closed). A recorded key
 * is answered {@code false} (a replay) even when the cache is full, the sender past its share or the
 * cache at {@code maxSenders}. Refused as well, never
 * recorded for less: an entry asked to live longer than {@link #MAX_ENTRY_LIFETIME}, and one whose
 * {@code expiresAt} plus the margin has passed (its entry would be gone, so the cache could not tell
 * a first use from a replay). Time never runs backwards for a table: after the clock steps back,
 * entries are kept longer, never shorter.
 *
 * <p><b>Per-sender rate.</b> No sender (the workload or scope of a {@link ReplayKey}) may hold more
 * live entries than {@link #perSenderLimit()} = {@code perSenderRate × (retention + 1 s)}: a sender
 * sending at most {@link Builder#perSenderRate(long) perSenderRate} proofs per second, each kept at
 * most {@link Builder#retention(Duration) retention} (its lifetime plus the verifier's leeway plus a
 * second; the extra second covers the whole-second expiry), is never refused while the cache has
 * room; one sending faster, or longer-lived proofs, is refused ({@link Reason#REPLAY_CACHE_UNAVAILABLE})
 * while the others go on, so one workload flooding fresh proofs cannot fill the cache and lock every
 * other caller out.
 *
 * <p><b>Sizing.</b> Live entries = Σ over senders of (proofs per second × (proof lifetime + leeway
 * + 1 s)). {@link #capacity()} = {@code 3/4 × maxBytes / 16}, {@code maxBytes / 16} rounded down to
 * a power of two of slots. The defaults (128 MiB, 25,000 proofs per second per sender over 121 s)
 * hold 6,291,456 live entries, one sender at most 3,050,000; one sender at 20,000 requests per second
 * with 60-second proofs and the default 60-second leeway holds 2,420,000 (64 MiB of tables), a
 * verifier at 1,000 requests per second about 4 MiB. Memory is taken as entries arrive, not up front.
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
    /** Largest {@code maxBytes}: 64 tables of {@link ReplaySegment#MAX_SLOTS} slots (64 GiB). */
    static final long MAX_BYTES = (long) MAX_SEGMENTS * ReplaySegment.MAX_SLOTS * SLOT_BYTES;
    /**
     * The last second the tables count in (expiry seconds are {@code int}s from construction): some
     * 68 years, less a day so that every expiry fits. Beyond it the cache refuses (fail closed).
     */
    private static final long MAX_RELATIVE_SECOND = Integer.MAX_VALUE - 2 * 86_400L;
    /** Default most senders with live entries tracked at once. */
    public static final int DEFAULT_MAX_SENDERS = 16_384;

    private final Clock clock;
    private final long maxBytes;
    private final long perSenderRate;
    private final Duration retention;
    private final long perSenderLimit;
    private final int maxSenders;
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
        // one second more than the retention: an entry made mid-second is counted until the whole
        // second after its expiry, so a sender at exactly the stated rate holds up to rate x (retention + 1)
        this.perSenderLimit = Math.multiplyExact(b.perSenderRate, retentionSeconds + 1);
        this.maxSenders = b.maxSenders;
        // seconds count from just before construction, so the current second is at least 1 and an
        // expiry second (> now) is never 0, the empty slot's mark
        this.baseSecond = Math.floorDiv(clock.millis(), 1000) - 1;
        long totalSlots = Long.highestOneBit(b.maxBytes / SLOT_BYTES);
        int count = (int) Math.max(1, Math.min(MAX_SEGMENTS, totalSlots / MIN_SEGMENT_SLOTS));
        int perSegment = (int) Math.min(ReplaySegment.MAX_SLOTS, totalSlots / count);
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
        long nowSecond = Math.floorDiv(nowMillis, 1000);
        // epoch seconds first: toEpochMilli overflows for instants far away in either direction
        long expSecond = expiresAt.getEpochSecond();
        long limitMillis = nowMillis + MAX_ENTRY_MILLIS;
        // whole seconds first: toEpochMilli overflows for instants far away in either direction
        boolean tooLong = expSecond > Math.floorDiv(limitMillis, 1000);
        boolean past = !tooLong && expSecond < nowSecond - 1;
        long expMillis = tooLong || past ? 0 : expiresAt.toEpochMilli();
        if (tooLong || expMillis > limitMillis) {
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                    "a replay entry may be kept at most " + MAX_ENTRY_LIFETIME.toHours() + " hours");
        }
        if (past || expMillis + MARGIN_MILLIS <= nowMillis) {
            // an entry for it would be gone already: the cache cannot tell a first use from a replay
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                    "the proof's expiry (plus the cache's margin) has already passed");
        }
        long relative = nowSecond - baseSecond;
        if (relative < 1 || relative > MAX_RELATIVE_SECOND) {
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                    "the clock is outside the range this in-memory replay cache counts in");
        }
        int now = (int) relative;
        int expiry = Math.max((int) (Math.floorDiv(expMillis + MARGIN_MILLIS + 999, 1000) - baseSecond), now + 1);
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
                case ReplaySegment.SENDERS_FULL:
                    throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                            "the in-memory replay cache tracks " + maxSenders + " senders with live proofs, its most");
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

    /** The sender's ledger, made if need be; {@code null} when the map holds {@code maxSenders} already. */
    private SenderLedger ledger(String sender) {
        SenderLedger ledger = senders.get(sender);
        if (ledger == null) {
            if (senders.size() >= maxSenders) {
                return null; // a replay is still found before this matters (ReplaySegment.record)
            }
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
        for (Map.Entry<String, SenderLedger> e : senders.entrySet()) {
            SenderLedger ledger = e.getValue();
            synchronized (ledger) {
                if (ledger.dead) {
                    continue;
                }
                ledger.expire(now);
                if (ledger.live() == 0) {
                    ledger.dead = true;
                    // by key and value: an overlapping sweep must never drop the ledger that replaced this one
                    senders.remove(e.getKey(), ledger);
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

    /** The current second, counted from just before construction, clamped to the range the tables count in. */
    private int currentSecond() {
        long relative = Math.floorDiv(clock.millis(), 1000) - baseSecond;
        return (int) Math.max(1, Math.min(MAX_RELATIVE_SECOND, relative));
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

    /** The most live entries the cache holds: {@code 3/4 × maxBytes / 16}, {@code maxBytes / 16} rounded down to a power of two. */
    public long capacity() {
        return capacity;
    }

    /** The most live entries one sender may hold: {@code perSenderRate × (retention + 1 s)}, in whole seconds. */
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
        private int maxSenders = DEFAULT_MAX_SENDERS;

        private Builder() {
        }

        /**
         * The memory bound of the entry tables, in bytes (default {@link #DEFAULT_MAX_BYTES}; at
         * least 256, at most 64 GiB). The capacity is three quarters of {@code maxBytes / 16}
         * entries, {@code maxBytes / 16} first rounded down to a power of two of slots.
         */
        public Builder maxBytes(long bytes) {
            if (bytes < (long) SLOT_BYTES * ReplaySegment.MIN_SLOTS || bytes > MAX_BYTES) {
                throw new IllegalArgumentException("maxBytes must be between " + SLOT_BYTES * ReplaySegment.MIN_SLOTS
                        + " and " + MAX_BYTES);
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

        /**
         * The most senders with live entries tracked at once (default {@link #DEFAULT_MAX_SENDERS};
         * each costs about 250 bytes with a few live entries, about 1.2 KB when it sends every
         * second of a 121 s retention: at most about 20 MiB by default, on top of the tables). A proof from a
         * further sender is refused ({@link Reason#REPLAY_CACHE_UNAVAILABLE}) until a sender's last
         * entry expires; its replays are still reported as replays.
         */
        public Builder maxSenders(int senders) {
            if (senders < 1) {
                throw new IllegalArgumentException("maxSenders must be at least 1");
            }
            this.maxSenders = senders;
            return this;
        }

        /** The clock entries expire by (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException when one sender's limit ({@code perSenderRate × (retention + 1 s)})
         *                                  exceeds the capacity: the share would be meaningless
         */
        public InMemoryReplayCache build() {
            InMemoryReplayCache cache = new InMemoryReplayCache(this);
            if (cache.perSenderLimit > cache.capacity) {
                throw new IllegalArgumentException("perSenderRate × (retention + 1 s) (" + cache.perSenderLimit
                        + " entries) exceeds the capacity of maxBytes (" + cache.capacity + " entries)");
            }
            return cache;
        }
    }
}
