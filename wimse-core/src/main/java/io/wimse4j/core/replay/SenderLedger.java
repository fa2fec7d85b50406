package io.wimse4j.core.replay;

import java.util.Arrays;

/**
 * How many live entries one sender holds in an {@link InMemoryReplayCache} (V-9 per-sender share),
 * counted by expiry second: an ordered run of (expiry second, count) pairs, the earliest first.
 * Entries expire in whole seconds (the cache's coarse expiry), so dropping the pairs whose second
 * has passed leaves exactly the sender's live entries. Proofs of one sender mostly arrive in expiry
 * order, so {@link #add} is nearly always an append; an earlier expiry is inserted in place.
 *
 * <p>Not thread-safe: the cache holds the ledger's monitor around every call. {@link #dead} marks a
 * ledger the cache has dropped from its map (empty and idle), so a racing caller takes a new one.
 */
final class SenderLedger {
    private int[] seconds = new int[4];
    private int[] counts = new int[4];
    private int head;
    private int tail;
    private long live;
    /** Set, under the monitor, when the cache removed this ledger from its map. */
    boolean dead;

    /** Forgets the entries whose expiry second is at or before {@code now}. */
    void expire(int now) {
        while (head < tail && seconds[head] <= now) {
            live -= counts[head];
            head++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        if (seconds.length > 16 && tail - head < seconds.length / 4) {
            // a burst is over: give the arrays back
            int n = tail - head;
            seconds = Arrays.copyOfRange(seconds, head, head + seconds.length / 2);
            counts = Arrays.copyOfRange(counts, head, head + counts.length / 2);
            head = 0;
            tail = n;
        }
    }

    /** Live entries, as of the last {@link #expire}. */
    long live() {
        return live;
    }

    /** Counts one entry expiring at {@code second}. */
    void add(int second) {
        live++;
        if (tail > head && seconds[tail - 1] == second) {
            counts[tail - 1]++;
            return;
        }
        if (tail == head || seconds[tail - 1] < second) {
            makeRoom();
            seconds[tail] = second;
            counts[tail] = 1;
            tail++;
            return;
        }
        int at = Arrays.binarySearch(seconds, head, tail, second);
        if (at >= 0) {
            counts[at]++;
            return;
        }
        makeRoom(); // may move the run: search again
        int insert = -Arrays.binarySearch(seconds, head, tail, second) - 1;
        System.arraycopy(seconds, insert, seconds, insert + 1, tail - insert);
        System.arraycopy(counts, insert, counts, insert + 1, tail - insert);
        seconds[insert] = second;
        counts[insert] = 1;
        tail++;
    }

    /** Ensures one free place after {@code tail}, first by moving the run to the front, then by growing. */
    private void makeRoom() {
        if (tail < seconds.length) {
            return;
        }
        int n = tail - head;
        if (head > 0 && n <= seconds.length / 2) {
            System.arraycopy(seconds, head, seconds, 0, n);
            System.arraycopy(counts, head, counts, 0, n);
        } else {
            int[] s = new int[seconds.length * 2];
            int[] c = new int[seconds.length * 2];
            System.arraycopy(seconds, head, s, 0, n);
            System.arraycopy(counts, head, c, 0, n);
            seconds = s;
            counts = c;
        }
        head = 0;
        tail = n;
    }

    /** Distinct expiry seconds held (a measure of the ledger's size). */
    int runs() {
        return tail - head;
    }
}
