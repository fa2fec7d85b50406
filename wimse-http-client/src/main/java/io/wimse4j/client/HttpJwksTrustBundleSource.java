package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.observe.WimseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Trust bundles (ID-3) fetched as JWKS documents from each trust domain's Identity Server
 * ({@code GET /.well-known/jwks.json}, see {@code docs/identity-server-api.md}) and kept fresh in
 * the background:
 * <ul>
 *   <li>HTTPS only unless {@link Builder#allowInsecureHttp} (SEC-1); redirects are not followed; the
 *       body is size-limited before parsing and parsed strictly by {@link TrustBundle#fromJwks}.</li>
 *   <li>The document may be a plain JWKS or a SPIFFE bundle (ALG-2: only its {@code wit-svid} keys
 *       are WIT keys; see {@link TrustBundle#fromJwks}).</li>
 *   <li>A background daemon thread refetches after the SPIFFE bundle's {@code spiffe_refresh_hint}
 *       when it has one, otherwise after 3/4 of the response's {@code Cache-Control: max-age} (the hint
 *       wins when both are given), always bounded by {@link Builder#refreshInterval(Duration, Duration)},
 *       so no request thread waits on the network once the first fetch of a domain has completed.</li>
 *   <li>A SPIFFE bundle whose {@code spiffe_sequence} is lower than the highest one accepted for its
 *       domain is refused as a rollback (ALG-2): the last good bundle stays, as after any failed fetch.
 *       A bundle without a sequence, or with an equal one, is accepted.</li>
 *   <li>{@link #keyNotFound} (called by the WIT verifier before {@code UNKNOWN_KEY}) triggers an early
 *       asynchronous refetch, at most once per {@link Builder#unknownKeyRefetchInterval} per domain, so
 *       tokens with made-up {@code kid}s cannot make it hammer the server.</li>
 *   <li>A failed fetch keeps the last good bundle for up to {@link Builder#maxStaleness} after its
 *       fetch; after that the domain fails closed (no bundle: {@code UNTRUSTED_TRUST_DOMAIN}).</li>
 *   <li>A new {@link TrustBundle} instance is published only when the keys changed, so WITs cached by
 *       the verifier under the current bundle stay cached.</li>
 * </ul>
 * Thread-safe; {@link #close()} stops the background thread.
 */
public final class HttpJwksTrustBundleSource implements TrustBundleSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpJwksTrustBundleSource.class);

    private final Map<TrustDomain, JwksDomain> domains;
    private final JwksFetcher fetcher;
    private final Clock clock;
    private final RefreshPolicy refresh;
    private final Duration unknownKeyInterval;
    private final Duration maxStaleness;
    private final Duration requestTimeout;
    private final ScheduledExecutorService executor;
    private final WimseObserver observer;

    private HttpJwksTrustBundleSource(Builder b, HttpClient http) {
        this.domains = b.endpoints.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> new JwksDomain(e.getKey(), e.getValue())));
        this.fetcher = new JwksFetcher(http, b.requestTimeout, b.maxBodyBytes);
        this.clock = b.clock;
        this.refresh = new RefreshPolicy(b.minRefresh, b.maxRefresh, b.defaultRefresh);
        this.unknownKeyInterval = b.unknownKeyInterval;
        this.maxStaleness = b.maxStaleness;
        this.requestTimeout = b.requestTimeout;
        this.observer = WimseObserver.guarded(b.observer);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wimse-jwks-refresh");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::refreshDue, 0, b.checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new builder; at least one {@link Builder#trustDomain(TrustDomain, URI)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The current bundle of {@code domain}; empty when the domain is not configured, has never been
     * fetched successfully, or its last good bundle is older than the maximum staleness. Only the
     * very first call for a domain may wait (at most the request timeout) for its first fetch.
     */
    @Override
    public Optional<TrustBundle> bundleFor(TrustDomain domain) {
        return current(domain).map(JwksDomain.Loaded::bundle);
    }

    /**
     * The document {@code domain}'s current bundle was read from (the same staleness rule and first
     * wait as {@link #bundleFor}), for {@link SpiffeX509TrustSource}: a SPIFFE bundle accepted past the
     * rollback checks (ALG-2). The node is the source's own: callers must not change it.
     */
    Optional<ObjectNode> documentFor(TrustDomain domain) {
        return current(domain).map(JwksDomain.Loaded::json);
    }

    private Optional<JwksDomain.Loaded> current(TrustDomain domain) {
        JwksDomain d = domains.get(domain);
        if (d == null) {
            return Optional.empty();
        }
        JwksDomain.Loaded loaded = d.loaded;
        if (loaded == null && !d.firstAttempt.isDone()) {
            awaitQuietly(d.firstAttempt, requestTimeout.plusSeconds(1));
            loaded = d.loaded;
        }
        if (loaded == null || !clock.instant().isBefore(loaded.fetchedAt().plus(maxStaleness))) {
            return Optional.empty();
        }
        return Optional.of(loaded);
    }

    /**
     * Schedules an early refetch of {@code domain}'s JWKS, unless one was triggered this way less
     * than the unknown-key refetch interval ago. Never blocks; {@code kid} is attacker-chosen and
     * neither logged nor used.
     */
    @Override
    public void keyNotFound(TrustDomain domain, Optional<String> kid) {
        JwksDomain d = domains.get(domain);
        if (d == null) {
            return;
        }
        Instant now = clock.instant();
        Instant last = d.lastHintFetch.get();
        if (last != null && now.isBefore(last.plus(unknownKeyInterval))) {
            return;
        }
        if (d.lastHintFetch.compareAndSet(last, now)) {
            LOG.debug("unknown key for trust domain {}: refetching its JWKS early", domain);
            try {
                executor.execute(() -> fetch(d));
            } catch (RejectedExecutionException closed) {
                // the source is closed
            }
        }
    }

    /** Waits until every domain's first fetch has completed; true when every domain has a bundle. */
    public boolean awaitInitialLoad(Duration timeout) throws InterruptedException {
        CompletableFuture<?> all = CompletableFuture.allOf(domains.values().stream()
                .map(d -> d.firstAttempt).toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return domains.values().stream().allMatch(d -> d.loaded != null);
    }

    /** The configured trust domains. */
    public Collection<TrustDomain> trustDomains() {
        return domains.keySet();
    }

    /** The observer of the refreshes, for {@link SpiffeX509TrustSource}'s own failures (guarded). */
    WimseObserver observer() {
        return observer;
    }

    /** Stops the background refresh; bundles already fetched stay readable until they are too stale. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Runs one refresh round on the background thread and waits for it (tests). */
    void refreshDueAndWait() throws Exception {
        executor.submit(this::refreshDue).get();
    }

    /** Waits until tasks queued so far on the background thread have run (tests). */
    void awaitIdle() throws Exception {
        executor.submit(() -> { }).get();
    }

    private void refreshDue() {
        for (JwksDomain d : domains.values()) {
            try {
                if (!clock.instant().isBefore(d.nextRefresh)) {
                    fetch(d);
                }
            } catch (RuntimeException e) {
                LOG.warn("JWKS refresh of {} failed unexpectedly", d.trustDomain, e);
            }
        }
    }

    /** Fetches one domain's JWKS; runs only on the background thread. */
    private void fetch(JwksDomain d) {
        Instant now = clock.instant();
        try {
            JwksDomain.Loaded previous = d.loaded;
            JwksFetcher.Answer answer = fetcher.fetch(d.trustDomain, d.uri, previous == null ? null : d.etag);
            if (answer.notModified()) {
                d.loaded = new JwksDomain.Loaded(previous.bundle(), previous.json(), now);
            } else {
                JwksFetcher.refuseRollback(answer.bundle(), d.sequence, previous == null ? null : previous.bundle());
                boolean unchanged = previous != null && previous.json().equals(answer.json());
                d.loaded = unchanged ? new JwksDomain.Loaded(previous.bundle(), previous.json(), now)
                        : new JwksDomain.Loaded(answer.bundle(), answer.json(), now);
                d.etag = answer.etag().orElse(null);
                answer.bundle().spiffeSequence().ifPresent(n -> d.sequence = Math.max(d.sequence, n));
                if (!unchanged) {
                    LOG.info("trust bundle of {} {} from {}: {}", d.trustDomain,
                            previous == null ? "loaded" : "changed", d.uri, answer.bundle());
                }
            }
            d.nextRefresh = now.plus(refresh.delay(answer.maxAge(), d.loaded.bundle().spiffeRefreshHint()));
            observer.trustBundleRefreshed(d.trustDomain, now);
        } catch (IOException | WimseException | RuntimeException e) {
            d.nextRefresh = now.plus(refresh.min());
            JwksDomain.Loaded last = d.loaded;
            LOG.warn("could not fetch the JWKS of {} from {} ({}); {}", d.trustDomain, d.uri, BoundedHttp.describe(e),
                    last == null ? "no keys for this trust domain yet"
                            : "using the keys fetched at " + last.fetchedAt() + " until " + last.fetchedAt().plus(maxStaleness));
            observer.trustBundleRefreshFailed(d.trustDomain, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            d.firstAttempt.complete(null);
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the caller sees no bundle
        }
    }

    /** Builder for {@link HttpJwksTrustBundleSource}; {@link #build()} starts the background refresh. */
    public static final class Builder {
        private final Map<TrustDomain, URI> endpoints = new java.util.LinkedHashMap<>();
        private SSLContext sslContext;
        private HttpClient httpClient;
        private boolean allowInsecureHttp;
        private Clock clock = Clock.systemUTC();
        private Duration minRefresh = Duration.ofSeconds(30);
        private Duration maxRefresh = Duration.ofHours(1);
        private Duration defaultRefresh = Duration.ofMinutes(5);
        private Duration unknownKeyInterval = Duration.ofSeconds(30);
        private Duration maxStaleness = Duration.ofHours(6);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration checkInterval = Duration.ofSeconds(1);
        private int maxBodyBytes = 64 * 1024;
        private WimseObserver observer = WimseObserver.none();

        private Builder() {
        }

        /**
         * Told of every fetch per trust domain: refreshed (changed or not) or failed, the last good bundle kept
         * (default {@link WimseObserver#none()}); called on the background thread.
         */
        public Builder observer(WimseObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Fetches the bundle of {@code domain} from {@code jwksUri} (repeatable, one URI per domain). */
        public Builder trustDomain(TrustDomain domain, URI jwksUri) {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(jwksUri, "jwksUri");
            if (endpoints.putIfAbsent(domain, jwksUri) != null) {
                throw new IllegalArgumentException("trust domain " + domain + " is configured twice");
            }
            return this;
        }

        /** The TLS trust for the HTTPS connections, e.g. {@link TlsTrust#fromCaPem} (default: the JDK's). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * A fully configured client instead of one built here (exclusive with {@link #sslContext});
         * it must not follow redirects.
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Accepts {@code http://} JWKS URIs; off by default (SEC-1), for tests and loopback only. */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /** The clock for refresh schedules, rate limits and staleness (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Bounds on the time between fetches, whatever {@code max-age} or a SPIFFE bundle's
         * {@code spiffe_refresh_hint} says (default 30 s to 1 h); min is also the retry delay after a failure.
         */
        public Builder refreshInterval(Duration min, Duration max) {
            this.minRefresh = Objects.requireNonNull(min, "min");
            this.maxRefresh = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The time between fetches when the response has neither {@code max-age} nor a refresh hint (default 5 min). */
        public Builder defaultRefreshInterval(Duration interval) {
            this.defaultRefresh = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Minimum time between two early refetches caused by unknown keys, per domain (default 30 s). */
        public Builder unknownKeyRefetchInterval(Duration interval) {
            this.unknownKeyInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How long after its fetch the last good bundle is still served while fetches fail (default 6 h). */
        public Builder maxStaleness(Duration staleness) {
            this.maxStaleness = Objects.requireNonNull(staleness, "staleness");
            return this;
        }

        /** Connect and response timeout of one fetch (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How often the background thread looks at the schedule (default 1 s). */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Largest JWKS response body accepted, in bytes (default 64 KiB). */
        public Builder maxBodyBytes(int max) {
            this.maxBodyBytes = max;
            return this;
        }

        /** Validates the settings and starts fetching in the background. */
        public HttpJwksTrustBundleSource build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("at least one trustDomain(domain, jwksUri) is required");
            }
            endpoints.forEach((domain, uri) -> Connections.requireSecure(uri, allowInsecureHttp, "the JWKS URI of " + domain));
            if (!positive(minRefresh) || minRefresh.compareTo(maxRefresh) > 0) {
                throw new IllegalStateException("refresh interval bounds must satisfy 0 < min <= max");
            }
            if (!positive(defaultRefresh) || !positive(unknownKeyInterval) || !positive(requestTimeout) || !positive(checkInterval)) {
                throw new IllegalStateException("intervals and timeouts must be positive");
            }
            if (maxStaleness.compareTo(maxRefresh) < 0) {
                throw new IllegalStateException("maxStaleness must be at least the maximum refresh interval");
            }
            if (maxBodyBytes < 1024 || maxBodyBytes > 16 * 1024 * 1024) {
                throw new IllegalStateException("maxBodyBytes must be between 1 KiB and 16 MiB");
            }
            return new HttpJwksTrustBundleSource(this, Connections.client(httpClient, sslContext, requestTimeout));
        }

        private static boolean positive(Duration d) {
            return !d.isNegative() && !d.isZero();
        }
    }
}
