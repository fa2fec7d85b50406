package io.wimse4j.resilience.load;

import java.time.Duration;
import java.util.Locale;

/**
 * The load suite's knobs, read from system properties so that the long version runs by one command:
 * {@code wimse.load.duration} (per credential kind; default {@value #DEFAULT_DURATION}, e.g. {@code 60s},
 * {@code 5m} or an ISO-8601 {@code PT60S}) and {@code wimse.load.threads} (concurrent callers per kind,
 * default {@value #DEFAULT_THREADS}). Surefire passes {@code -D} properties of the Maven command line on
 * to the forked test JVM.
 */
final class LoadSettings {
    static final String DEFAULT_DURATION = "10s";
    static final int DEFAULT_THREADS = 8;

    private LoadSettings() {
    }

    /** How long each kind is driven. */
    static Duration duration() {
        return parse(System.getProperty("wimse.load.duration", DEFAULT_DURATION));
    }

    /** The fixed number of client threads per kind (1 to 64). */
    static int threads() {
        int n = Integer.parseInt(System.getProperty("wimse.load.threads", String.valueOf(DEFAULT_THREADS)).trim());
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("wimse.load.threads must be between 1 and 64: " + n);
        }
        return n;
    }

    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        if (s.startsWith("pt")) {
            d = Duration.parse(s.toUpperCase(Locale.ROOT));
        } else if (s.endsWith("ms")) {
            d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        } else if (s.endsWith("s")) {
            d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        } else if (s.endsWith("m")) {
            d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        } else if (s.endsWith("h")) {
            d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        } else {
            d = Duration.ofSeconds(Long.parseLong(s));
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(2)) > 0) {
            throw new IllegalArgumentException("wimse.load.duration must be between 1 s and 2 h: " + text);
        }
        return d;
    }
}
