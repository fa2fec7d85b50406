package io.wimse4j.client;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The freshness lifetime a {@code Cache-Control} response header grants: {@code max-age=N}, or zero
 * for {@code no-store}/{@code no-cache}; empty when the header says nothing usable (RFC 9111 5.2.2).
 */
final class CacheControl {
    /** Longest lifetime taken from a header (one year); larger values are capped. */
    private static final long MAX_SECONDS = 365L * 24 * 3600;

    private CacheControl() {
    }

    static Optional<Duration> maxAge(List<String> headerValues) {
        Optional<Duration> found = Optional.empty();
        for (String value : headerValues) {
            for (String directive : value.split(",")) {
                String d = directive.strip().toLowerCase(Locale.ROOT);
                if (d.equals("no-store") || d.equals("no-cache")) {
                    return Optional.of(Duration.ZERO);
                }
                if (d.startsWith("max-age=")) {
                    String n = d.substring("max-age=".length());
                    if (n.startsWith("\"") && n.endsWith("\"") && n.length() >= 2) {
                        n = n.substring(1, n.length() - 1);
                    }
                    if (!n.isEmpty() && n.length() <= 12 && n.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        found = Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(n), MAX_SECONDS)));
                    }
                }
            }
        }
        return found;
    }
}
