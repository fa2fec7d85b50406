package io.wimse4j.benchmarks;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import org.openjdk.jol.info.GraphStats;

import java.util.Locale;

/**
 * Bytes of heap per live entry of the in-memory replay cache at {@value ReplayCacheBenchmark#LIVE_ENTRIES}
 * live entries (issue 9 target: at most 64). Fills a cache exactly as {@link ReplayCacheBenchmark}
 * does (same keys, same simulated clock, same {@code newCache}), then walks the object graph
 * reachable from the cache with JOL ({@code org.openjdk.jol.info.GraphStats}, the walk of
 * {@code GraphLayout.parseInstance(cache).totalSize()} without recording every object) and divides
 * its total size by the live entries.
 *
 * <p>What is counted: everything reachable from the cache object, i.e. its tables, entries,
 * per-sender counts and whatever of the keys it keeps (a cache that keeps the {@link ReplayKey}
 * objects or their strings pays for them here), plus the simulated clock (a few dozen bytes). What
 * is not: objects the cache does not reference (the benchmark's key pool), and garbage.
 *
 * <p>Usage: {@code java -Xmx2g -Djdk.attach.allowAttachSelf=true -cp wimse-benchmarks.jar io.wimse4j.benchmarks.ReplayCacheFootprint}
 * (JOL's {@code jol.magicFieldOffset} is switched on, since on JDK 17 {@code Unsafe} refuses the
 * field offsets of the lambdas a cache may hold; the attach flag only spares a warning)
 * ({@code benchmarks/run} runs it after a run that includes {@code ReplayCacheBenchmark}). Prints one
 * line {@code replay-cache-footprint entries=N bytes=B bytesPerEntry=X} that {@link RatioReport}
 * can read, and a sentence for people.
 */
public final class ReplayCacheFootprint {
    /** Target of issue 9, bytes per live entry at 1M live entries. */
    static final double TARGET_BYTES_PER_ENTRY = 64;

    private ReplayCacheFootprint() {
    }

    /** The machine-readable line printed by {@link #main}, read back by {@link FootprintLine#parse}. */
    static String line(FootprintLine f) {
        return String.format(Locale.ROOT, "replay-cache-footprint entries=%d bytes=%d bytesPerEntry=%.1f",
                f.entries(), f.bytes(), f.bytesPerEntry());
    }

    /** Fills a cache with {@value ReplayCacheBenchmark#LIVE_ENTRIES} live entries and measures it. */
    public static FootprintLine measure() throws WimseException {
        ReplayCacheBenchmark.Traffic traffic = ReplayCacheBenchmark.fill(ReplayCacheBenchmark.keyPool());
        ReplayCache cache = traffic.cache;
        // the fill left the cache at its steady state: every entry made is still live
        long bytes = GraphStats.parseInstance(cache).totalSize();
        return new FootprintLine(ReplayCacheBenchmark.LIVE_ENTRIES, bytes);
    }

    /** Prints the footprint; see the class comment. */
    public static void main(String[] args) throws WimseException {
        // JDK 17: field offsets of hidden classes (lambdas the cache holds) without Unsafe's refusal
        System.setProperty("jol.magicFieldOffset", System.getProperty("jol.magicFieldOffset", "true"));
        FootprintLine f = measure();
        System.out.println(line(f));
        System.out.printf(Locale.ROOT, "In-memory replay cache: %,d bytes reachable at %,d live entries = %.1f bytes per live entry"
                + " (target <= %.0f: %s)%n", f.bytes(), f.entries(), f.bytesPerEntry(), TARGET_BYTES_PER_ENTRY,
                f.bytesPerEntry() <= TARGET_BYTES_PER_ENTRY ? "met" : "missed");
    }
}
