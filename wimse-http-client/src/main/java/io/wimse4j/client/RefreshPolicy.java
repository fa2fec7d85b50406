package io.wimse4j.client;

import java.time.Duration;
import java.util.Optional;

/**
 * When {@link HttpJwksTrustBundleSource} fetches a trust domain's bundle again (ALG-2): after the
 * SPIFFE bundle's {@code spiffe_refresh_hint} when the document has one (SPIFFE Federation: clients
 * poll at the hint), otherwise after 3/4 of the response's {@code Cache-Control: max-age}, otherwise
 * after the default interval; whichever applies is bounded by the configured minimum and maximum, so
 * a hint of 0 s cannot make the client hammer the server nor one of a year leave revocations unseen.
 *
 * @param min             the shortest delay (also the retry delay after a failure)
 * @param max             the longest delay
 * @param defaultInterval the delay when the answer says nothing
 */
record RefreshPolicy(Duration min, Duration max, Duration defaultInterval) {
    /** The delay until the next fetch after an answer with {@code maxAge} and {@code refreshHint}. */
    Duration delay(Optional<Duration> maxAge, Optional<Duration> refreshHint) {
        Duration delay = refreshHint.orElseGet(() -> maxAge.map(a -> a.multipliedBy(3).dividedBy(4)).orElse(defaultInterval));
        if (delay.compareTo(min) < 0) {
            return min;
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
