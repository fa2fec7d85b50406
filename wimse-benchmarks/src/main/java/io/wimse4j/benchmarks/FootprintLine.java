package io.wimse4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ReplayCacheFootprint}'s measurement, as read back from its output line
 * {@code replay-cache-footprint entries=N bytes=B ...}, which {@link RatioReport} prints beside the ratios.
 *
 * @param entries live entries measured
 * @param bytes   their heap, in bytes
 */
public record FootprintLine(long entries, long bytes) {
    /** Bytes per live entry. */
    public double bytesPerEntry() {
        return (double) bytes / entries;
    }

    /** The {@code replay-cache-footprint entries=N bytes=B ...} line of {@code text}, if any. */
    public static Optional<FootprintLine> parse(String text) {
        for (String line : text.split("\\R")) {
            if (!line.startsWith("replay-cache-footprint ")) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : line.substring("replay-cache-footprint ".length()).trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    fields.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            try {
                long entries = Long.parseLong(fields.getOrDefault("entries", ""));
                long bytes = Long.parseLong(fields.getOrDefault("bytes", ""));
                if (entries > 0 && bytes >= 0) {
                    return Optional.of(new FootprintLine(entries, bytes));
                }
            } catch (NumberFormatException e) {
                // not a footprint line after all
            }
        }
        return Optional.empty();
    }
}
