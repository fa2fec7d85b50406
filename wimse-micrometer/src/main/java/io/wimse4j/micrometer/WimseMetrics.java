package io.wimse4j.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.replay.InMemoryReplayCache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The libraries' {@link WimseObserver} as Micrometer meters ({@code docs/metrics.md}): hand it to each
 * library's builder ({@code RequestVerifier.builder()...observer(metrics)}, {@code HttpSignatureVerifier},
 * {@code WicTrustManager}, {@code HttpJwksTrustBundleSource}, the credential sources) and bind it to a
 * registry with {@link #bindTo(MeterRegistry)}:
 * <ul>
 *   <li>{@value #VERIFICATIONS} (timer) per {@value #TAG_KIND} ({@code wpt}, {@code http-signature},
 *       {@code mutual-tls}), {@value #TAG_RESULT} ({@code accepted}, {@code refused}) and {@value #TAG_REASON}
 *       (the {@link Reason#code()}, {@code none} when accepted);</li>
 *   <li>{@value #REPLAY_CACHE_UNAVAILABLE} (counter) per kind: refusals that failed closed because the replay
 *       cache could not answer ({@link Reason#REPLAY_CACHE_UNAVAILABLE});</li>
 *   <li>{@value #REPLAY_CACHE_SIZE} and {@value #REPLAY_CACHE_CAPACITY} (gauges) per {@value #TAG_CACHE} of each
 *       {@link InMemoryReplayCache} {@linkplain #monitor(String, InMemoryReplayCache) monitored};</li>
 *   <li>{@value #TRUST_BUNDLE_AGE} (gauge, seconds since the last successful refresh; NaN before one) and
 *       {@value #TRUST_BUNDLE_REFRESH_FAILURES} (counter) per {@value #TAG_TRUST_DOMAIN};</li>
 *   <li>{@value #CREDENTIAL_EXPIRY} (gauge, seconds until the held credential expires, negative once it expired,
 *       NaN before the first) and {@value #CREDENTIAL_RENEWAL_FAILURES} (counter) per {@value #TAG_CREDENTIAL}
 *       ({@code wit}, {@code wic}).</li>
 * </ul>
 * Meters are registered when first needed, so only the kinds, reasons, trust domains and credentials that
 * occur appear; their number is bounded by the enums and the trust domains the sources are configured with.
 * Events before the first {@link #bindTo} are not counted (gauges show their state once bound). One instance may
 * be bound to several registries. Thread-safe; recording a verification is a lookup in an array and a timer
 * update.
 */
public final class WimseMetrics implements WimseObserver, MeterBinder {
    /** Timer: verifications by kind, result and reason. */
    public static final String VERIFICATIONS = "wimse.verifications";
    /** Counter: refusals because the replay cache was unavailable (fail closed), by kind. */
    public static final String REPLAY_CACHE_UNAVAILABLE = "wimse.replay.cache.unavailable";
    /** Gauge: entries held by a monitored in-memory replay cache. */
    public static final String REPLAY_CACHE_SIZE = "wimse.replay.cache.size";
    /** Gauge: entries a monitored in-memory replay cache can hold. */
    public static final String REPLAY_CACHE_CAPACITY = "wimse.replay.cache.capacity";
    /** Gauge, seconds: time since the last successful refresh of a trust domain's bundle. */
    public static final String TRUST_BUNDLE_AGE = "wimse.trust.bundle.age";
    /** Counter: failed refreshes of a trust domain's bundle. */
    public static final String TRUST_BUNDLE_REFRESH_FAILURES = "wimse.trust.bundle.refresh.failures";
    /** Gauge, seconds: time until the held credential expires. */
    public static final String CREDENTIAL_EXPIRY = "wimse.credential.expiry";
    /** Counter: failed attempts to obtain or renew a held credential. */
    public static final String CREDENTIAL_RENEWAL_FAILURES = "wimse.credential.renewal.failures";

    /** Tag: the proof verified ({@link CredentialKind#tag()}). */
    public static final String TAG_KIND = "kind";
    /** Tag: {@code accepted} or {@code refused}. */
    public static final String TAG_RESULT = "result";
    /** Tag: the refusal's {@link Reason#code()}, {@code none} when accepted. */
    public static final String TAG_REASON = "reason";
    /** Tag: the name a replay cache was monitored under. */
    public static final String TAG_CACHE = "cache";
    /** Tag: the trust domain's name. */
    public static final String TAG_TRUST_DOMAIN = "trust.domain";
    /** Tag: the held credential ({@link HeldCredential#tag()}). */
    public static final String TAG_CREDENTIAL = "credential";

    private static final CredentialKind[] KINDS = CredentialKind.values();
    private static final Reason[] REASONS = Reason.values();
    private static final int PER_KIND = REASONS.length + 1;

    private final Clock clock;
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    /** Per kind: slot 0 accepted, slot 1 + ordinal refused for that reason; filled when first needed. */
    private final AtomicReferenceArray<Timer> verifications = new AtomicReferenceArray<>(KINDS.length * PER_KIND);
    private final AtomicReferenceArray<Counter> unavailable = new AtomicReferenceArray<>(KINDS.length);
    private final Map<TrustDomain, Domain> domains = new ConcurrentHashMap<>();
    private final Map<HeldCredential, Held> held = new EnumMap<>(HeldCredential.class);

    /** Metrics whose gauges read the system clock. */
    public WimseMetrics() {
        this(Clock.systemUTC());
    }

    /** Metrics whose gauges (trust-bundle age, credential expiry) read {@code clock}. */
    public WimseMetrics(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (HeldCredential c : HeldCredential.values()) {
            held.put(c, new Held(c));
        }
    }

    /** Adds {@code registry} to the registries the meters are published to (repeatable). */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(Objects.requireNonNull(registry, "registry"));
    }

    /** {@link #monitor(String, InMemoryReplayCache)} under the name {@code default}. */
    public WimseMetrics monitor(InMemoryReplayCache cache) {
        return monitor("default", cache);
    }

    /**
     * Publishes {@code cache}'s {@link InMemoryReplayCache#size()} and {@link InMemoryReplayCache#capacity()}
     * tagged {@value #TAG_CACHE}={@code name} (e.g. {@code wpt} and {@code http-signature} for two verifiers'
     * caches). The cache is held weakly: once it is collected the gauges read NaN.
     */
    public WimseMetrics monitor(String name, InMemoryReplayCache cache) {
        Objects.requireNonNull(cache, "cache");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        Gauge.builder(REPLAY_CACHE_SIZE, cache, InMemoryReplayCache::size).tag(TAG_CACHE, name)
                .description("Entries held by the in-memory replay cache").register(meters);
        Gauge.builder(REPLAY_CACHE_CAPACITY, cache, InMemoryReplayCache::capacity).tag(TAG_CACHE, name)
                .description("Entries the in-memory replay cache can hold").register(meters);
        return this;
    }

    @Override
    public void accepted(CredentialKind kind, long elapsedNanos) {
        verification(kind, null).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
        verification(kind, reason).record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (reason == Reason.REPLAY_CACHE_UNAVAILABLE) {
            Counter c = unavailable.get(kind.ordinal());
            if (c == null) {
                c = Counter.builder(REPLAY_CACHE_UNAVAILABLE).tag(TAG_KIND, kind.tag())
                        .description("Verifications refused because the replay cache was unavailable (fail closed)").register(meters);
                unavailable.set(kind.ordinal(), c);
            }
            c.increment();
        }
    }

    private Timer verification(CredentialKind kind, Reason reason) {
        int slot = kind.ordinal() * PER_KIND + (reason == null ? 0 : 1 + reason.ordinal());
        Timer t = verifications.get(slot);
        if (t == null) {
            // the registry answers the same timer for the same tags, so a race registers it once
            t = Timer.builder(VERIFICATIONS).tag(TAG_KIND, kind.tag()).tag(TAG_RESULT, reason == null ? "accepted" : "refused")
                    .tag(TAG_REASON, reason == null ? "none" : reason.code())
                    .description("Verifications of workload credentials by kind, result and reason").register(meters);
            verifications.set(slot, t);
        }
        return t;
    }

    @Override
    public void trustBundleRefreshed(TrustDomain domain, Instant at) {
        domain(domain).lastRefresh.accumulateAndGet(at, (old, now) -> old == null || now.isAfter(old) ? now : old);
    }

    @Override
    public void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
        domain(domain).failures.increment();
    }

    private Domain domain(TrustDomain domain) {
        return domains.computeIfAbsent(domain, Domain::new);
    }

    @Override
    public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
        Held h = held.get(credential);
        h.expiresAt.set(expiresAt);
        h.register();
    }

    @Override
    public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
        Held h = held.get(credential);
        h.register();
        h.failures.get().increment();
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    @Override
    public String toString() {
        return "WimseMetrics[" + meters.getRegistries().size() + " registries, trust domains " + domains.keySet() + "]";
    }

    /** One trust domain's meters, registered when it is first reported. */
    private final class Domain {
        final AtomicReference<Instant> lastRefresh = new AtomicReference<>();
        final Counter failures;

        Domain(TrustDomain domain) {
            Gauge.builder(TRUST_BUNDLE_AGE, this, d -> {
                Instant last = d.lastRefresh.get();
                return last == null ? Double.NaN : secondsBetween(last, clock.instant());
            }).tag(TAG_TRUST_DOMAIN, domain.name()).baseUnit("seconds").strongReference(true)
                    .description("Time since the trust bundle was last refreshed successfully").register(meters);
            failures = Counter.builder(TRUST_BUNDLE_REFRESH_FAILURES).tag(TAG_TRUST_DOMAIN, domain.name())
                    .description("Failed refreshes of the trust bundle").register(meters);
        }
    }

    /** One held credential's meters, registered when it is first reported. */
    private final class Held {
        final HeldCredential credential;
        final AtomicReference<Instant> expiresAt = new AtomicReference<>();
        final AtomicReference<Counter> failures = new AtomicReference<>();

        Held(HeldCredential credential) {
            this.credential = credential;
        }

        void register() {
            if (failures.get() != null) {
                return;
            }
            Gauge.builder(CREDENTIAL_EXPIRY, this, h -> {
                Instant at = h.expiresAt.get();
                return at == null ? Double.NaN : secondsBetween(clock.instant(), at);
            }).tag(TAG_CREDENTIAL, credential.tag()).baseUnit("seconds").strongReference(true)
                    .description("Time until the held credential expires (negative once expired)").register(meters);
            failures.compareAndSet(null, Counter.builder(CREDENTIAL_RENEWAL_FAILURES).tag(TAG_CREDENTIAL, credential.tag())
                    .description("Failed attempts to obtain or renew the held credential").register(meters));
        }
    }
}
