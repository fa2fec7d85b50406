package io.wimse4j.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link WimseMetrics} on a real {@link SimpleMeterRegistry}: names, tags and values (docs/metrics.md). */
class WimseMetricsTest {
    final MutableClock clock = new MutableClock(Fixture.NOW);
    final WimseMetrics metrics = new WimseMetrics(clock);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    WimseMetricsTest() {
        metrics.bindTo(registry);
    }

    Timer verifications(String kind, String result, String reason) {
        return registry.find(WimseMetrics.VERIFICATIONS).tags("kind", kind, "result", result, "reason", reason).timer();
    }

    @Test
    void V_9_verificationsThroughARealVerifierAreTimedByKindResultAndReason() throws Exception {
        Fixture f = new Fixture();
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(f.clock).build();
        metrics.monitor("wpt", cache);
        RequestVerifier verifier = f.verifier().replayCache(cache).observer(metrics).build();
        HttpRequestFacts request = f.validRequest();
        verifier.verify(request);
        verifier.verify(f.validRequest());
        assertRejected(() -> verifier.verify(request), Reason.REPLAY);

        assertThat(verifications("wpt", "accepted", "none").count()).isEqualTo(2);
        assertThat(verifications("wpt", "accepted", "none").totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(verifications("wpt", "refused", "replay").count()).isEqualTo(1);
        assertThat(registry.find(WimseMetrics.VERIFICATIONS).timers()).as("only the tags that occurred").hasSize(2);
        assertThat(registry.get(WimseMetrics.REPLAY_CACHE_SIZE).tag("cache", "wpt").gauge().value()).isEqualTo(2);
        assertThat(registry.get(WimseMetrics.REPLAY_CACHE_CAPACITY).tag("cache", "wpt").gauge().value()).isEqualTo(cache.capacity());
        assertThat(registry.find(WimseMetrics.REPLAY_CACHE_UNAVAILABLE).counter()).as("no fail-closed refusal yet").isNull();
    }

    @ParameterizedTest(name = "V-9 the replay cache down under {0} → counted as fail closed")
    @EnumSource(CredentialKind.class)
    void V_9_refusalsBecauseTheReplayCacheIsDownAreCountedPerKind(CredentialKind kind) {
        metrics.refused(kind, Reason.REPLAY_CACHE_UNAVAILABLE, 1_000);
        metrics.refused(kind, Reason.REPLAY_CACHE_UNAVAILABLE, 3_000);
        metrics.refused(kind, Reason.EXPIRED, 1_000);
        assertThat(registry.get(WimseMetrics.REPLAY_CACHE_UNAVAILABLE).tag("kind", kind.tag()).counter().count()).isEqualTo(2);
        assertThat(registry.find(WimseMetrics.REPLAY_CACHE_UNAVAILABLE).counters()).hasSize(1);
        Timer t = verifications(kind.tag(), "refused", "replay-cache-unavailable");
        assertThat(t.count()).isEqualTo(2);
        assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
        assertThat(verifications(kind.tag(), "refused", "expired").count()).isEqualTo(1);
    }

    @Test
    void ID_3_theTrustBundleAgeCountsFromTheLastSuccessfulRefreshAndFailuresAreCountedPerDomain() {
        TrustDomain a = new TrustDomain("example.org");
        TrustDomain b = new TrustDomain("other.org");
        metrics.trustBundleRefreshFailed(b, new IOException("down"));
        assertThat(registry.get(WimseMetrics.TRUST_BUNDLE_AGE).tag("trust.domain", "other.org").gauge().value())
                .as("never refreshed").isNaN();

        metrics.trustBundleRefreshed(a, Fixture.NOW);
        clock.advance(Duration.ofSeconds(90));
        metrics.trustBundleRefreshFailed(a, new IOException("down"));
        clock.advance(Duration.ofMillis(30_500));
        assertThat(registry.get(WimseMetrics.TRUST_BUNDLE_AGE).tag("trust.domain", "example.org").gauge().value()).isEqualTo(120.5);
        metrics.trustBundleRefreshed(a, clock.instant().minusSeconds(10));
        metrics.trustBundleRefreshed(a, Fixture.NOW); // reported late: an older refresh does not make the bundle older
        assertThat(registry.get(WimseMetrics.TRUST_BUNDLE_AGE).tag("trust.domain", "example.org").gauge().value()).isEqualTo(10);
        assertThat(registry.get(WimseMetrics.TRUST_BUNDLE_REFRESH_FAILURES).tag("trust.domain", "example.org").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(WimseMetrics.TRUST_BUNDLE_REFRESH_FAILURES).tag("trust.domain", "other.org").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(WimseMetrics.TRUST_BUNDLE_AGE).gauge().getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void KEY_3_theCredentialExpiryCountsDownToNegativeAndFailuresAreCountedPerCredential() {
        assertThat(registry.find(WimseMetrics.CREDENTIAL_EXPIRY).gauges()).as("nothing reported yet").isEmpty();
        metrics.credentialRenewed(HeldCredential.WIT, Fixture.NOW.plusSeconds(3600));
        clock.advance(Duration.ofSeconds(600));
        assertThat(registry.get(WimseMetrics.CREDENTIAL_EXPIRY).tag("credential", "wit").gauge().value()).isEqualTo(3000);
        metrics.credentialRenewalFailed(HeldCredential.WIT, new IOException("down"));
        metrics.credentialRenewalFailed(HeldCredential.WIT, new IOException("down"));
        clock.advance(Duration.ofSeconds(3100));
        assertThat(registry.get(WimseMetrics.CREDENTIAL_EXPIRY).tag("credential", "wit").gauge().value()).isEqualTo(-100);
        assertThat(registry.get(WimseMetrics.CREDENTIAL_RENEWAL_FAILURES).tag("credential", "wit").counter().count()).isEqualTo(2);

        metrics.credentialRenewalFailed(HeldCredential.WIC, new IOException("never obtained"));
        assertThat(registry.get(WimseMetrics.CREDENTIAL_EXPIRY).tag("credential", "wic").gauge().value()).isNaN();
        assertThat(registry.get(WimseMetrics.CREDENTIAL_RENEWAL_FAILURES).tag("credential", "wic").counter().count()).isEqualTo(1);
    }

    @Test
    void everyRegistryBoundSeesTheMetersAndEventsBeforeTheFirstBindingAreNotCounted() {
        WimseMetrics late = new WimseMetrics(clock);
        late.accepted(CredentialKind.WPT, 5);
        late.credentialRenewed(HeldCredential.WIC, Fixture.NOW.plusSeconds(60));
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        late.bindTo(first);
        late.bindTo(second);
        late.accepted(CredentialKind.WPT, 5);
        for (SimpleMeterRegistry r : List.of(first, second)) {
            assertThat(r.get(WimseMetrics.VERIFICATIONS).tag("kind", "wpt").timer().count()).isEqualTo(1);
            assertThat(r.get(WimseMetrics.CREDENTIAL_EXPIRY).tag("credential", "wic").gauge().value()).isEqualTo(60);
        }
    }

    @Test
    void theMetersCarryTheDocumentedPrometheusNames() throws WimseException {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(prometheus);
        metrics.accepted(CredentialKind.HTTP_SIGNATURE, 2_000_000);
        metrics.refused(CredentialKind.MUTUAL_TLS, Reason.REPLAY_CACHE_UNAVAILABLE, 1_000_000);
        metrics.trustBundleRefreshed(new TrustDomain("example.org"), Fixture.NOW);
        metrics.trustBundleRefreshFailed(new TrustDomain("example.org"), new IOException("down"));
        metrics.credentialRenewed(HeldCredential.WIT, Fixture.NOW.plusSeconds(60));
        metrics.credentialRenewalFailed(HeldCredential.WIT, new IOException("down"));
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(clock).build();
        cache.firstUse(ReplayKey.of(new Fixture().workload, "jti-1"), Fixture.NOW.plusSeconds(60));
        metrics.monitor(cache);

        String scrape = prometheus.scrape();
        assertThat(scrape).contains(
                "wimse_verifications_seconds_count{kind=\"http-signature\",reason=\"none\",result=\"accepted\"} 1",
                "wimse_verifications_seconds_sum{kind=\"http-signature\",reason=\"none\",result=\"accepted\"} 0.002",
                "wimse_verifications_seconds_max{kind=\"http-signature\",reason=\"none\",result=\"accepted\"} 0.002",
                "wimse_verifications_seconds_count{kind=\"mutual-tls\",reason=\"replay-cache-unavailable\",result=\"refused\"} 1",
                "wimse_replay_cache_unavailable_total{kind=\"mutual-tls\"} 1",
                "wimse_replay_cache_size{cache=\"default\"} 1",
                "wimse_replay_cache_capacity{cache=\"default\"} " + cache.capacity(),
                "wimse_trust_bundle_age_seconds{trust_domain=\"example.org\"} 0",
                "wimse_trust_bundle_refresh_failures_total{trust_domain=\"example.org\"} 1",
                "wimse_credential_expiry_seconds{credential=\"wit\"} 60",
                "wimse_credential_renewal_failures_total{credential=\"wit\"} 1");
    }

    @Test
    void allMetersAreTheDocumentedOnes() {
        metrics.accepted(CredentialKind.WPT, 1);
        metrics.refused(CredentialKind.WPT, Reason.REPLAY_CACHE_UNAVAILABLE, 1);
        metrics.trustBundleRefreshFailed(new TrustDomain("example.org"), new IOException());
        metrics.credentialRenewalFailed(HeldCredential.WIT, new IOException());
        metrics.monitor(InMemoryReplayCache.builder().clock(clock).build());
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName() + " " + m.getId().getType()).distinct().sorted())
                .containsExactly(
                        WimseMetrics.CREDENTIAL_EXPIRY + " " + Meter.Type.GAUGE,
                        WimseMetrics.CREDENTIAL_RENEWAL_FAILURES + " " + Meter.Type.COUNTER,
                        WimseMetrics.REPLAY_CACHE_CAPACITY + " " + Meter.Type.GAUGE,
                        WimseMetrics.REPLAY_CACHE_SIZE + " " + Meter.Type.GAUGE,
                        WimseMetrics.REPLAY_CACHE_UNAVAILABLE + " " + Meter.Type.COUNTER,
                        WimseMetrics.TRUST_BUNDLE_AGE + " " + Meter.Type.GAUGE,
                        WimseMetrics.TRUST_BUNDLE_REFRESH_FAILURES + " " + Meter.Type.COUNTER,
                        WimseMetrics.VERIFICATIONS + " " + Meter.Type.TIMER);
        assertThat(registry.get(WimseMetrics.VERIFICATIONS).timer().getId().getDescription()).isNotBlank();
    }
}
