package io.wimse4j.core.replay;

/**
 * One lock-striped part of an {@link InMemoryReplayCache}: an open-addressing hash table with
 * linear probing, two {@code long}s (16 bytes) per slot and nothing else per entry.
 *
 * <pre>
 * slot = [ a: bits 0..63 of the key's digest | b: bits 64..95 of it (high half), expiry second (low half) ]
 * </pre>
 *
 * An empty slot is {@code a == 0 && b == 0}; expiry seconds start at 1, so no entry looks empty.
 * An entry is live while its expiry second is after the current second. Expired entries are never
 * removed one by one (that would break probe sequences): a probe reuses the first expired slot it
 * passes, and when used slots (live or expired) reach three quarters of the table, a rebuild copies
 * only the live entries into a table sized for them: doubled when they fill at least
 * {@value #GROW_NUM}/{@value #DEN} of it (then 5/16 to 3/8 full), shrunk when they fill less than an
 * eighth (to the smallest table they fill at most 3/8 of), bounded by {@code maxSlots}. Expiry is counted in whole seconds, so nothing expires between two rebuilds in
 * one second: a full table at its bound is rebuilt at most once per second, and in between
 * refuses (fail closed) instead of rescanning.
 *
 * <p>Not thread-safe: {@link InMemoryReplayCache} holds the segment's monitor around every call.
 */
final class ReplaySegment {
    static final int MIN_SLOTS = 16;
    /** Used slots, as a fraction of the table, that trigger a rebuild: 3/4. */
    private static final int LOAD_NUM = 3;
    private static final int LOAD_DEN = 4;
    /** Live entries, as a fraction of the table, above which a rebuild doubles it: 5/8. */
    static final int GROW_NUM = 5;
    static final int DEN = 8;

    /** Outcome of {@link #record}. */
    static final int FIRST_USE = 1;
    static final int REPLAY = 0;
    static final int FULL = -1;
    static final int SHARE_FULL = -2;
    /** The ledger was dropped from the cache's map meanwhile: nothing recorded, try again with the current one. */
    static final int RETRY = -3;
    /** The sender has no ledger and the cache tracks as many senders as it may: nothing recorded. */
    static final int SENDERS_FULL = -4;
    /** Largest table of one segment, in slots (a {@code long[]} of 2<sup>27</sup>, 1 GiB). */
    static final int MAX_SLOTS = 1 << 26;

    private final int maxSlots;
    /** Secret per segment: where a key's probe starts cannot be predicted from its (public) digest. */
    private final long seed;
    private long[] table;
    private int mask;
    private int used;
    /** Expired slots reused since the last rebuild or check; see {@link #maybeShrink}. */
    private int reused;
    private int lastFullRebuild = Integer.MIN_VALUE;
    /**
     * The latest second this segment has seen. Time never goes backwards for a segment: were an
     * expired entry to look live again (a clock stepped back, a caller that read the clock before a
     * stall), a rebuild could keep two copies of one key and reorder them, and the older copy, once
     * expired, would hide the newer, live one.
     */
    private int lastNow = Integer.MIN_VALUE;

    ReplaySegment(int maxSlots, long seed) {
        this.maxSlots = maxSlots;
        this.seed = seed;
        allocate(Math.min(MIN_SLOTS, maxSlots));
    }

    private void allocate(int slots) {
        table = new long[slots * 2];
        mask = slots - 1;
        used = 0;
    }

    /** Most entries this segment holds live at once: three quarters of its largest table. */
    static long capacity(int maxSlots) {
        return (long) maxSlots * LOAD_NUM / LOAD_DEN;
    }

    /**
     * Records key {@code (a, b)} until second {@code expiry} unless it is live, counting it in
     * {@code ledger} when the sender has fewer than {@code limit} live entries.
     *
     * @param ledger the sender's ledger; {@code null} when the cache may track no further sender
     * @return {@link #FIRST_USE}, {@link #REPLAY}, {@link #FULL}, {@link #SHARE_FULL}, {@link #RETRY} or {@link #SENDERS_FULL}
     */
    int record(long a, int b, int expiry, int now, SenderLedger ledger, long limit) {
        if (now < lastNow) {
            now = lastNow;
            expiry = Math.max(expiry, now + 1);
        } else {
            lastNow = now;
        }
        int home = home(a);
        int free = -1;
        int i = home & mask;
        while (true) {
            long sa = table[2 * i];
            long sb = table[2 * i + 1];
            if (sa == 0 && sb == 0) {
                break;
            }
            boolean live = (int) sb > now;
            if (sa == a && (int) (sb >>> 32) == b) {
                if (live) {
                    return REPLAY;
                }
                // no live copy of this key can follow an expired one (insertions take the first
                // expired slot of the probe), so the search ends here
                if (free < 0) {
                    free = i;
                }
                break;
            }
            if (!live && free < 0) {
                free = i;
            }
            i = (i + 1) & mask;
        }
        if (ledger == null) {
            return SENDERS_FULL;
        }
        synchronized (ledger) {
            if (ledger.dead) {
                return RETRY;
            }
            ledger.expire(now);
            if (ledger.live() >= limit) {
                return SHARE_FULL;
            }
            if (free < 0) {
                if ((long) (used + 1) * LOAD_DEN > (long) (mask + 1) * LOAD_NUM) {
                    if (!rebuild(now)) {
                        return FULL;
                    }
                }
                free = freeSlot(home, now);
                if (free < 0) {
                    return FULL;
                }
            }
            boolean empty = table[2 * free] == 0 && table[2 * free + 1] == 0;
            table[2 * free] = a;
            table[2 * free + 1] = ((long) b << 32) | (expiry & 0xFFFF_FFFFL);
            ledger.add(expiry);
            if (empty) {
                used++;
            } else if (++reused > mask / 2) {
                maybeShrink(now);
            }
            return FIRST_USE;
        }
    }

    /**
     * A table whose inserts all land in expired slots never reaches the rebuild threshold, so it
     * would keep the size of its busiest moment. After half a table's worth of such reuses, count
     * the live entries (a read-only scan: about two slot reads per insert, amortized, and no
     * allocation) and rebuild smaller when they fill less than an eighth of it.
     */
    private void maybeShrink(int now) {
        reused = 0;
        int slots = mask + 1;
        if (slots > MIN_SLOTS && (long) liveEntries(now) * DEN < slots) {
            rebuild(now);
        }
    }

    /** The first empty or expired slot of {@code home}'s probe sequence; -1 when there is none. */
    private int freeSlot(int home, int now) {
        int i = home & mask;
        for (int n = 0; n <= mask; n++) {
            long sa = table[2 * i];
            long sb = table[2 * i + 1];
            if ((sa == 0 && sb == 0) || (int) sb <= now) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /**
     * Copies the live entries into a table sized for them. At the size bound, a table that stays
     * three quarters full of live entries is full: {@code false}, and no second rebuild this second.
     */
    private boolean rebuild(int now) {
        int slots = mask + 1;
        if (slots == maxSlots && lastFullRebuild == now) {
            return false;
        }
        int live = liveEntries(now);
        int target = slots;
        if ((long) live * DEN >= (long) slots * GROW_NUM && slots < maxSlots) {
            target = slots * 2;
        } else if ((long) live * DEN < slots) {
            // less than an eighth full: give memory back, down to the smallest table holding the
            // live entries at most three eighths full
            while (target > MIN_SLOTS && (long) live * DEN <= (long) (target / 2) * 3) {
                target /= 2;
            }
        }
        long[] old = table;
        allocate(target);
        reused = 0;
        for (int j = 0; j < old.length; j += 2) {
            long sa = old[j];
            long sb = old[j + 1];
            if ((sa != 0 || sb != 0) && (int) sb > now) {
                int i = home(sa) & mask;
                while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
                    i = (i + 1) & mask;
                }
                table[2 * i] = sa;
                table[2 * i + 1] = sb;
                used++;
            }
        }
        if ((long) (used + 1) * LOAD_DEN > (long) (mask + 1) * LOAD_NUM) {
            lastFullRebuild = now;
            return false;
        }
        return true;
    }

    /**
     * Where the probe of a key starts: the digest bits mixed with the secret seed (the finalizer of
     * MurmurHash3), so that a sender grinding {@code jti}s cannot aim many keys at one probe run.
     */
    int home(long a) {
        long h = a ^ seed;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Live entries now (a scan of the table). */
    int liveEntries(int now) {
        int live = 0;
        for (int j = 0; j < table.length; j += 2) {
            if ((table[j] != 0 || table[j + 1] != 0) && (int) table[j + 1] > now) {
                live++;
            }
        }
        return live;
    }

    /** Bytes of the current table. */
    long tableBytes() {
        return (long) table.length * Long.BYTES;
    }
}
