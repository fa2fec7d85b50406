package io.wimse4j.core.observe;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.ObservedVerification;
import io.wimse4j.testkit.RecordingObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The observer hook itself: none, guarded, all, and the verification wrapper the libraries share. */
class WimseObserverTest {
    static final TrustDomain TD = new TrustDomain("example.org");
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    /** One call of the observer interface, with the line {@link RecordingObserver} writes for it. */
    record Call(String name, Consumer<WimseObserver> call, String line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Call> calls() {
        return Stream.of(
                new Call("accepted", o -> o.accepted(CredentialKind.WPT, 5), "accepted wpt"),
                new Call("refused", o -> o.refused(CredentialKind.HTTP_SIGNATURE, Reason.REPLAY, 5), "refused http-signature replay"),
                new Call("trustBundleRefreshed", o -> o.trustBundleRefreshed(TD, AT), "refreshed example.org at " + AT),
                new Call("trustBundleRefreshFailed", o -> o.trustBundleRefreshFailed(TD, new IOException("down")),
                        "refresh failed example.org: IOException"),
                new Call("credentialRenewed", o -> o.credentialRenewed(HeldCredential.WIC, AT), "renewed wic until " + AT),
                new Call("credentialRenewalFailed", o -> o.credentialRenewalFailed(HeldCredential.WIT, new IllegalStateException()),
                        "renewal failed wit: IllegalStateException"));
    }

    /** Records the call, then throws. */
    static final class Broken implements WimseObserver {
        final RecordingObserver seen = new RecordingObserver();

        private RuntimeException broken() {
            return new IllegalStateException("broken observer");
        }

        @Override
        public void accepted(CredentialKind kind, long elapsedNanos) {
            seen.accepted(kind, elapsedNanos);
            throw broken();
        }

        @Override
        public void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
            seen.refused(kind, reason, elapsedNanos);
            throw broken();
        }

        @Override
        public void trustBundleRefreshed(TrustDomain domain, Instant at) {
            seen.trustBundleRefreshed(domain, at);
            throw broken();
        }

        @Override
        public void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
            seen.trustBundleRefreshFailed(domain, cause);
            throw broken();
        }

        @Override
        public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
            seen.credentialRenewed(credential, expiresAt);
            throw broken();
        }

        @Override
        public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
            seen.credentialRenewalFailed(credential, cause);
            throw broken();
        }
    }

    @ParameterizedTest(name = "guarded drops what {0} throws")
    @MethodSource("calls")
    void guardedPassesEachCallOnAndDropsWhatItThrows(Call c) {
        Broken broken = new Broken();
        assertThatThrownBy(() -> c.call().accept(broken)).as("unguarded").isInstanceOf(IllegalStateException.class);
        WimseObserver guarded = WimseObserver.guarded(broken);
        c.call().accept(guarded);
        assertThat(broken.seen.events()).containsExactly(c.line(), c.line());
    }

    @ParameterizedTest(name = "all tells each observer of {0}, past a broken one")
    @MethodSource("calls")
    void allTellsEveryObserverInOrderPastABrokenOne(Call c) {
        List<String> order = new ArrayList<>();
        RecordingObserver first = new RecordingObserver();
        RecordingObserver last = new RecordingObserver();
        Broken broken = new Broken();
        WimseObserver all = WimseObserver.all(List.of(tagging(first, "first", order), broken, tagging(last, "last", order)));
        c.call().accept(all);
        assertThat(first.events()).containsExactly(c.line());
        assertThat(broken.seen.events()).containsExactly(c.line());
        assertThat(last.events()).containsExactly(c.line());
        assertThat(order).containsExactly("first", "last");
    }

    /** {@code target}, writing {@code name} to {@code order} when told of a verification or anything else. */
    static WimseObserver tagging(RecordingObserver target, String name, List<String> order) {
        return new WimseObserver() {
            @Override
            public void accepted(CredentialKind kind, long elapsedNanos) {
                order.add(name);
                target.accepted(kind, elapsedNanos);
            }

            @Override
            public void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
                order.add(name);
                target.refused(kind, reason, elapsedNanos);
            }

            @Override
            public void trustBundleRefreshed(TrustDomain domain, Instant at) {
                order.add(name);
                target.trustBundleRefreshed(domain, at);
            }

            @Override
            public void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
                order.add(name);
                target.trustBundleRefreshFailed(domain, cause);
            }

            @Override
            public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
                order.add(name);
                target.credentialRenewed(credential, expiresAt);
            }

            @Override
            public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
                order.add(name);
                target.credentialRenewalFailed(credential, cause);
            }
        };
    }

    @Test
    void noneIsRecognisedAndNeitherGuardingNorCombiningWrapsIt() {
        WimseObserver none = WimseObserver.none();
        assertThat(WimseObserver.isNone(none)).isTrue();
        assertThat(WimseObserver.guarded(none)).isSameAs(none);
        assertThat(WimseObserver.all(List.of())).isSameAs(none);
        assertThat(WimseObserver.all(List.of(none, none))).isSameAs(none);
        RecordingObserver r = new RecordingObserver();
        assertThat(WimseObserver.isNone(r)).isFalse();
        assertThat(WimseObserver.isNone(WimseObserver.guarded(r))).isFalse();
        WimseObserver guarded = WimseObserver.guarded(r);
        assertThat(WimseObserver.guarded(guarded)).as("guarding twice").isSameAs(guarded);
        assertThat(WimseObserver.all(List.of(none, r, none))).as("one observer left").isEqualTo(guarded);
        assertThatThrownBy(() -> WimseObserver.guarded(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aVerificationIsReportedAcceptedOrRefusedWithItsReasonAndOtherFailuresAreNot() throws Exception {
        RecordingObserver r = new RecordingObserver();
        assertThat(ObservedVerification.<String, RuntimeException>run(r, CredentialKind.MUTUAL_TLS, () -> "ok")).isEqualTo("ok");
        assertRejected(() -> ObservedVerification.<String, RuntimeException>run(r, CredentialKind.WPT, () -> {
            throw new WimseException(Reason.EXPIRED, "late");
        }), Reason.EXPIRED);
        assertThatThrownBy(() -> ObservedVerification.<String, IOException>run(r, CredentialKind.HTTP_SIGNATURE, () -> {
            throw new IOException("body unreadable");
        })).isInstanceOf(IOException.class);
        assertThat(r.events()).containsExactly("accepted mutual-tls", "refused wpt expired");
        assertThat(r.elapsedNanos()).allSatisfy(n -> assertThat(n).isNotNegative());
    }

    @Test
    void withNoObserverTheStepRunsAloneAndItsRefusalPassesUnchanged() throws Exception {
        WimseException refusal = new WimseException(Reason.REPLAY, "again");
        assertThat(ObservedVerification.<Integer, RuntimeException>run(WimseObserver.none(), CredentialKind.WPT, () -> 7)).isEqualTo(7);
        assertThatThrownBy(() -> ObservedVerification.<Integer, RuntimeException>run(WimseObserver.none(), CredentialKind.WPT, () -> {
            throw refusal;
        })).isSameAs(refusal);
    }

    @Test
    void tagsAreTheNamesInLowerCaseWithDashes() {
        assertThat(Stream.of(CredentialKind.values()).map(CredentialKind::tag)).containsExactly("wpt", "http-signature", "mutual-tls");
        assertThat(Stream.of(HeldCredential.values()).map(HeldCredential::tag)).containsExactly("wit", "wic");
    }
}
