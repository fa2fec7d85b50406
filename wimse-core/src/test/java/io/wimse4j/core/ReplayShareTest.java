package io.wimse4j.core;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-memory replay cache's per-sender share (V-9): one authenticated workload flooding fresh
 * proofs is refused once it holds its share, while other workloads are still served.
 */
class ReplayShareTest {
    private static WorkloadIdentifier id(String value) {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }

    private static final WorkloadIdentifier A = id("wimse://example.org/a");

    /**
     * A small cache whose senders may each hold {@code limit} (at least 2) live entries: 1 proof per
     * second over {@code limit - 1} s, plus the second of whole-second expiry.
     */
    private static InMemoryReplayCache limited(int limit, java.time.Clock clock) {
        InMemoryReplayCache cache = InMemoryReplayCache.builder().maxBytes(4096).perSenderRate(1)
                .retention(Duration.ofSeconds(limit - 1)).clock(clock).build();
        assertThat(cache.perSenderLimit()).isEqualTo(limit);
        return cache;
    }
    private static final WorkloadIdentifier B = id("wimse://example.org/b");

    @Test
    void V_9_aFloodingSenderIsRefusedWhileOthersAreServed() throws WimseException {
        Fixture f = new Fixture();
        Fixture other = new Fixture();
        InMemoryReplayCache cache = limited(3, f.clock);
        RequestVerifier v = RequestVerifier.builder().clock(f.clock).replayCache(cache)
                .trust(td -> td.equals(f.trustDomain) ? Optional.of(Fixture.bundle(td, f.issuerKey, other.issuerKey)) : Optional.empty())
                .build();
        for (int i = 0; i < 3; i++) {
            assertThat(v.verify(f.validRequest()).workload()).isEqualTo(f.workload);
        }
        assertThatThrownBy(() -> v.verify(f.validRequest()))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                    assertThat(e.detail()).contains("share");
                });

        String witB = other.issuer().issue(WorkloadIdentifier.parse("wimse://example.org/svc/other"),
                other.workloadKey.publicJwk()).token();
        String wptB = other.craftWpt(witB, same(), same());
        assertThat(v.verify(other.request(witB, wptB).build()).workload().path()).isEqualTo("/svc/other");
        assertRejected(() -> v.verify(other.request(witB, wptB).build()), Reason.REPLAY);
    }

    @Test
    void V_9_aSharePartlyFreedByExpiryAdmitsTheSenderAgain() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = limited(2, clock);
        Instant soon = Fixture.NOW.plusSeconds(10);
        Instant later = Fixture.NOW.plusSeconds(600);
        assertThat(cache.firstUse(ReplayKey.of(A, "a1"), soon)).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "a2"), later)).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "a3"), later), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(cache.firstUse(ReplayKey.of(B, "b1"), later)).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "a2"), later)).as("a replay is still a replay, not a quota error").isFalse();

        clock.advance(Duration.ofSeconds(12));
        assertThat(cache.firstUse(ReplayKey.of(A, "a3"), later)).as("a1 expired, freeing one place of A's share").isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "a4"), later), Reason.REPLAY_CACHE_UNAVAILABLE);
    }

    @Test
    void V_9_anExpiredEntryReplacedByTheSameKeyIsNotCountedTwice() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = limited(2, clock);
        assertThat(cache.firstUse(ReplayKey.of(A, "x"), Fixture.NOW.plusSeconds(10))).isTrue();
        clock.advance(Duration.ofSeconds(12));
        assertThat(cache.firstUse(ReplayKey.of(A, "x"), Fixture.NOW.plusSeconds(600))).as("x expired: a first use again").isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "y"), Fixture.NOW.plusSeconds(600))).as("A holds 2 live entries, its share").isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "z"), Fixture.NOW.plusSeconds(600)), Reason.REPLAY_CACHE_UNAVAILABLE);
    }

    @Test
    void V_9_entriesThatExpiredFreeTheirSendersShare() throws WimseException {
        MutableClock clock = new MutableClock(Fixture.NOW);
        InMemoryReplayCache cache = limited(2, clock);
        assertThat(cache.firstUse(ReplayKey.of(A, "x1"), Fixture.NOW)).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "x2"), Fixture.NOW)).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "x3"), Fixture.NOW.plusSeconds(3600)), Reason.REPLAY_CACHE_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(3));
        assertThat(cache.size()).as("both entries expired").isZero();
        assertThat(cache.firstUse(ReplayKey.of(A, "x3"), clock.instant().plusSeconds(3600))).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "x4"), clock.instant().plusSeconds(3600))).isTrue();
    }

    @Test
    void V_9_aFailedInsertionHoldsNoPlaceOfTheShare() throws WimseException {
        InMemoryReplayCache cache = limited(2, new MutableClock(Fixture.NOW));
        // an entry asked to live longer than a day is refused (never kept for less), and counts for nothing
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "never"), Instant.MAX), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "later"), Fixture.NOW.plus(Duration.ofDays(1)).plusSeconds(1)),
                Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(cache.firstUse(ReplayKey.of(A, "next"), Fixture.NOW.plusSeconds(60))).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "then"), Fixture.NOW.plusSeconds(60))).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.of(A, "over"), Fixture.NOW.plusSeconds(60)), Reason.REPLAY_CACHE_UNAVAILABLE);
    }

    @Test
    void V_9_aNonWorkloadScopeHoldsItsOwnShareApartFromWorkloads() throws WimseException {
        InMemoryReplayCache cache = limited(2, new MutableClock(Fixture.NOW));
        Instant later = Fixture.NOW.plusSeconds(600);
        assertThat(cache.firstUse(ReplayKey.ofScope("wimse-pop", "p1"), later)).isTrue();
        assertThat(cache.firstUse(ReplayKey.ofScope("wimse-pop", "p2"), later)).isTrue();
        assertRejected(() -> cache.firstUse(ReplayKey.ofScope("wimse-pop", "p3"), later), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(cache.firstUse(ReplayKey.ofScope("wimse-pop", "p1"), later)).as("a replay, not a quota error").isFalse();
        assertThat(cache.firstUse(ReplayKey.ofScope("other-scope", "p3"), later)).isTrue();
        assertThat(cache.firstUse(ReplayKey.of(A, "p3"), later)).as("the same jti from a workload").isTrue();
    }

    @Test
    void theShareMustFitTheCapacity() {
        // 256 bytes: 16 slots, 12 live entries; 1 per second over 13 s is 13
        assertThatThrownBy(() -> InMemoryReplayCache.builder().maxBytes(256).perSenderRate(1).retention(Duration.ofSeconds(13)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the capacity");
        assertThatThrownBy(() -> InMemoryReplayCache.builder().perSenderRate(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perSenderRate");
        assertThatThrownBy(() -> InMemoryReplayCache.builder().maxBytes(255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> InMemoryReplayCache.builder().retention(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }
}
