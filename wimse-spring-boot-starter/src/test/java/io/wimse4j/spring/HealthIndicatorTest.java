package io.wimse4j.spring;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.spring.actuate.WimseHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** WimseHealthIndicator: UP with fresh credentials, loaded bundles and a reachable replay store; DOWN otherwise. */
class HealthIndicatorTest {
    static final TestIdentities IDS = new TestIdentities();
    static final TrustBundleSet TRUST = TrustBundleSet.of(io.wimse4j.testkit.Fixture.bundle(TestIdentities.TD, IDS.issuerKey));

    @Test
    void upWithFreshCredentialsLoadedBundleAndReachableRedis() {
        Health h = new WimseHealthIndicator(IDS.source(TestIdentities.CALLER), Duration.ofSeconds(60), TRUST,
                List.of(TestIdentities.TD), () -> true, Clock.systemUTC()).health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("trustDomains", Map.of("example.org", "loaded")).containsEntry("replayStore", "reachable");
        assertThat(h.getDetails().get("credentials").toString()).contains(TestIdentities.CALLER).doesNotContain(IDS.credentials(TestIdentities.CALLER).wit());
    }

    @Test
    void KEY_3_downWhenCredentialsExpireWithinTheMargin() {
        Health h = new WimseHealthIndicator(IDS.source(TestIdentities.CALLER), Duration.ofHours(1), null, List.of(), null,
                Clock.systemUTC()).health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails().get("credentials").toString()).contains("expiring");
    }

    @Test
    void KEY_3_downWhenCredentialsAreUnavailable() {
        Health h = new WimseHealthIndicator(() -> {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "no credentials yet");
        }, Duration.ofSeconds(60), null, List.of(), null, Clock.systemUTC()).health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails().get("credentials").toString()).contains(Reason.CREDENTIALS_EXPIRED.code());
    }

    @Test
    void ID_3_downWhenAConfiguredTrustDomainHasNoBundle() {
        Health h = new WimseHealthIndicator(null, Duration.ofSeconds(60), TRUST,
                List.of(TestIdentities.TD, new TrustDomain("partner.example")), null, Clock.systemUTC()).health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("trustDomains", Map.of("example.org", "loaded", "partner.example", "missing"));
    }

    @Test
    void V_9_downWhenTheRedisReplayStoreIsUnreachable() {
        Health h = new WimseHealthIndicator(null, Duration.ofSeconds(60), TRUST, List.of(TestIdentities.TD), () -> {
            throw new IllegalStateException("connection refused");
        }, Clock.systemUTC()).health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("replayStore", "unreachable");
    }
}
