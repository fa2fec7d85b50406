package io.wimse4j.resilience.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * Prints each {@link LoadRun.Result} and adds it as a row of the markdown table in
 * {@code target/load-report.md} (the module's target directory; surefire runs in the module's base
 * directory). The first row written by a JVM starts the file afresh, with a line on the machine.
 * Figures are reported, never asserted against thresholds.
 */
final class LoadReport {
    static final Path FILE = Path.of("target", "load-report.md");
    private static boolean started;

    private LoadReport() {
    }

    static synchronized void add(LoadRun.Result r, String note) {
        String row = String.format(Locale.ROOT, "| %s | %d | %d | %.1f s | %d | %.0f | %s | %s | %s | %s | %s → %s | %s |",
                r.kind(), r.requests(), r.threads(), r.elapsed().toMillis() / 1000.0, r.unexpected(), r.perSecond(),
                ms(r.p50()), ms(r.p99()), ms(r.p999()), ms(r.max()), mib(r.heapBefore()), mib(r.heapAfter()),
                note == null ? "" : note);
        System.out.println("[load] " + row + "  outcomes " + r.outcomes()
                + (r.firstUnexpected().isEmpty() ? "" : "  first unexpected " + r.firstUnexpected()));
        try {
            Files.createDirectories(FILE.getParent());
            if (!started) {
                started = true;
                Files.writeString(FILE, header(), StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, row + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header() {
        Runtime rt = Runtime.getRuntime();
        return "# wimse4j load report\n\n" + Instant.now() + ", " + rt.availableProcessors() + " cores, load average "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + " at start, Java " + Runtime.version() + ", max heap " + mib(rt.maxMemory())
                + ", wimse.load.duration " + LoadSettings.duration() + ", wimse.load.threads " + LoadSettings.threads()
                + ". Closed loop: each client thread sends its next request when the previous answer is in. Latency in ms"
                + " (client side: one request and its answer over TLS, connections kept alive except after a refused request with"
                + " a body, which closes), heap = used heap after"
                + " System.gc() before and after the run.\n\n"
                + "| kind | requests | concurrency | duration | errors | req/s | p50 | p99 | p999 | max | heap after GC before → after | note |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
