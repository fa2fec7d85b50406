package io.wimse4j.spring.actuate;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The health of wimse4j in this application ({@code /actuator/health/wimse}): DOWN when the workload's
 * credentials are missing or expire within the configured margin (KEY-3), when a configured trust domain
 * has no bundle (never loaded, or its last good one is past the source's staleness limit, ID-3), or when
 * the Redis replay store does not answer (V-9: requests then fail closed with 503). The details name the
 * workload, the expiry and each domain's state; never a token or a key.
 */
public final class WimseHealthIndicator implements HealthIndicator {
    private final CredentialSource credentials;
    private final Duration minRemaining;
    private final TrustBundleSource trust;
    private final List<TrustDomain> domains;
    private final BooleanSupplier replayStore;
    private final Clock clock;

    /**
     * @param credentials  the workload's credentials, or null when it makes no calls
     * @param minRemaining how long the credentials must still be valid to be UP
     * @param trust        the trust source, or null when it verifies nothing
     * @param domains      the trust domains that must have a bundle
     * @param replayStore  answers whether the shared replay store is reachable, or null for none
     * @param clock        the clock
     */
    public WimseHealthIndicator(CredentialSource credentials, Duration minRemaining, TrustBundleSource trust,
                                List<TrustDomain> domains, BooleanSupplier replayStore, Clock clock) {
        this.credentials = credentials;
        this.minRemaining = Objects.requireNonNull(minRemaining, "minRemaining");
        this.trust = trust;
        this.domains = List.copyOf(domains);
        this.replayStore = replayStore;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        if (credentials != null) {
            Instant now = clock.instant();
            try {
                WorkloadCredentials c = credentials.current();
                boolean fresh = c.expiresAt().isAfter(now.plus(minRemaining));
                details.put("credentials", Map.of("workload", c.subject().value(), "expiresAt", c.expiresAt().toString(),
                        "status", fresh ? "fresh" : "expiring"));
                up &= fresh;
            } catch (WimseException | RuntimeException e) {
                details.put("credentials", Map.of("status", "unavailable",
                        "reason", e instanceof WimseException w ? w.reason().code() : e.getClass().getSimpleName()));
                up = false;
            }
        }
        if (trust != null) {
            Map<String, String> bundles = new LinkedHashMap<>();
            for (TrustDomain d : domains) {
                boolean loaded = trust.bundleFor(d).isPresent();
                bundles.put(d.name(), loaded ? "loaded" : "missing");
                up &= loaded;
            }
            details.put("trustDomains", bundles);
        }
        if (replayStore != null) {
            boolean reachable;
            try {
                reachable = replayStore.getAsBoolean();
            } catch (RuntimeException e) {
                reachable = false;
            }
            details.put("replayStore", reachable ? "reachable" : "unreachable");
            up &= reachable;
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
