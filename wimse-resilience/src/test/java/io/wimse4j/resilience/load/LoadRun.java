package io.wimse4j.resilience.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives one {@link Call} from a fixed pool of client threads for a bounded time, each thread calling
 * back to back (closed loop: the concurrency is the number of threads), and gathers every latency, the
 * outcome of every call and the used heap after a full GC before and after. A call judges its own
 * response: {@link Sample#expected} or {@link Sample#unexpected} with a short description (a status and
 * a problem code, never a token). An exception thrown by a call is unexpected too.
 */
final class LoadRun {
    /** One request by client thread {@code thread}, its {@code seq}-th; times itself, without client-side preparation. */
    @FunctionalInterface
    interface Call {
        Sample call(int thread, long seq) throws Exception;
    }

    /** The latency of one call, its outcome label (e.g. {@code 200}) and whether it was expected. */
    record Sample(long nanos, String outcome, boolean expected) {
        static Sample expected(long nanos, String outcome) {
            return new Sample(nanos, outcome, true);
        }

        static Sample unexpected(long nanos, String outcome) {
            return new Sample(nanos, outcome, false);
        }
    }

    /** What a run came to; latencies in nanoseconds, heap in bytes. */
    record Result(String kind, long requests, int threads, Duration elapsed, long unexpected, List<String> firstUnexpected,
                  Map<String, Long> outcomes, long p50, long p99, long p999, long max, long heapBefore, long heapAfter) {
        double perSecond() {
            return requests / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }

        long outcome(String label) {
            return outcomes.getOrDefault(label, 0L);
        }
    }

    private LoadRun() {
    }

    /**
     * Runs {@code call} on {@code threads} threads for {@code duration}, after {@code warmUp} untimed calls per
     * thread (whose unexpected outcomes count too), measuring the heap after the warm-up and after the run.
     */
    static Result run(String kind, int threads, Duration duration, int warmUp, Call call) throws InterruptedException {
        AtomicLong unexpected = new AtomicLong();
        List<String> first = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < warmUp; i++) {
                record(call, t, -1 - i, unexpected, first, outcomes);
            }
        }
        outcomes.clear(); // the warm-up's outcomes are not the run's; its unexpected ones stay counted
        long heapBefore = usedHeapAfterGc();
        long[][] latencies = new long[threads][];
        long[] counts = new long[threads];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> pool = new ArrayList<>();
        long[] deadline = new long[1];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                long[] mine = new long[4096];
                long n = 0;
                try {
                    go.await();
                    while (System.nanoTime() < deadline[0]) {
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, mine.length * 2);
                        }
                        mine[(int) n] = record(call, thread, n, unexpected, first, outcomes);
                        n++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                latencies[thread] = mine;
                counts[thread] = n;
            }, "load-" + kind + "-" + t);
            th.setDaemon(true);
            pool.add(th);
            th.start();
        }
        long start = System.nanoTime();
        deadline[0] = start + duration.toNanos();
        go.countDown();
        for (Thread th : pool) {
            th.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, (int) counts[t]);
            at += (int) counts[t];
        }
        Arrays.sort(all);
        long p50 = percentile(all, 0.50);
        long p99 = percentile(all, 0.99);
        long p999 = percentile(all, 0.999);
        long max = all.length == 0 ? 0 : all[all.length - 1];
        // the recorder's own arrays (8 bytes a request, twice over) are not the system's heap: dropped before measuring
        Arrays.fill(latencies, null);
        all = null;
        long heapAfter = usedHeapAfterGc();
        Map<String, Long> byOutcome = new TreeMap<>();
        outcomes.forEach((k, v) -> byOutcome.put(k, v.get()));
        return new Result(kind, total, threads, elapsed, unexpected.get(), List.copyOf(first), byOutcome,
                p50, p99, p999, max, heapBefore, heapAfter);
    }

    private static long record(Call call, int thread, long seq, AtomicLong unexpected, List<String> first,
                               Map<String, AtomicLong> outcomes) {
        Sample s;
        long t0 = System.nanoTime();
        try {
            s = call.call(thread, seq);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s = Sample.unexpected(System.nanoTime() - t0, "interrupted");
        } catch (Exception e) {
            // the class and message of a transport failure (never a token: requests carry them in headers only)
            s = Sample.unexpected(System.nanoTime() - t0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        outcomes.computeIfAbsent(s.outcome(), k -> new AtomicLong()).incrementAndGet();
        if (!s.expected()) {
            unexpected.incrementAndGet();
            if (first.size() < 10) {
                first.add("thread " + thread + " call " + seq + ": " + s.outcome());
            }
        }
        return s.nanos();
    }

    /** Nearest-rank percentile of sorted {@code values}; 0 when empty. */
    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Used heap after {@link MemoryMXBean#gc()} (twice, the second after finalization and a pause), in bytes. */
    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        Thread.sleep(100);
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
