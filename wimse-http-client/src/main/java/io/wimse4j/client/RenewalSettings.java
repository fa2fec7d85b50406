package io.wimse4j.client;

import io.wimse4j.core.observe.WimseObserver;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The schedule settings the builders of the Identity Server sources ({@link IdentityServerCredentialSource},
 * {@link IdentityServerWicSource}) share, with their defaults, validated together by {@link #validate}.
 * Mutable, confined to one builder.
 */
final class RenewalSettings {
    Clock clock = Clock.systemUTC();
    boolean allowInsecureHttp;
    double renewFraction = 2.0 / 3.0;
    Duration minBackoff = Duration.ofSeconds(1);
    Duration maxBackoff = Duration.ofMinutes(1);
    Duration requestTimeout = Duration.ofSeconds(10);
    Duration checkInterval = Duration.ofSeconds(1);
    int maxBodyBytes = 64 * 1024;
    WimseObserver observer = WimseObserver.none();

    void backoff(Duration min, Duration max) {
        this.minBackoff = Objects.requireNonNull(min, "min");
        this.maxBackoff = Objects.requireNonNull(max, "max");
    }

    /** How long a caller waits for the first attempt: two request timeouts and a second. */
    Duration initialWait() {
        return requestTimeout.multipliedBy(2).plusSeconds(1);
    }

    /**
     * Checks {@code baseUri} (https unless allowed, SEC-1; no query or fragment) and the settings.
     *
     * @throws IllegalStateException naming the first setting out of bounds
     */
    void validate(URI baseUri) {
        Connections.requireSecure(baseUri, allowInsecureHttp, "the Identity Server URI");
        if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
            throw new IllegalStateException("the Identity Server base URI must have no query or fragment");
        }
        if (!(renewFraction >= 0.1 && renewFraction <= 0.95)) {
            throw new IllegalStateException("renewAt must be between 0.1 and 0.95 of the lifetime");
        }
        if (minBackoff.toMillis() < 1 || minBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalStateException("backoff bounds must satisfy 1 ms <= min <= max");
        }
        if (requestTimeout.toMillis() < 1 || checkInterval.toMillis() < 1) {
            throw new IllegalStateException("requestTimeout and checkInterval must be positive");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
            throw new IllegalStateException("maxBodyBytes must be between 1 KiB and 1 MiB");
        }
    }
}
