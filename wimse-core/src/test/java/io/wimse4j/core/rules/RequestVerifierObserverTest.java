package io.wimse4j.core.rules;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RecordingObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.TARGET;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a {@link RequestVerifier} tells its observer (issue 13): every request verified, accepted or refused
 * with the {@link Reason} the caller sees (V-14), as kind {@code wpt}, with its time.
 */
class RequestVerifierObserverTest {
    final Fixture f = new Fixture();
    final RecordingObserver observer = new RecordingObserver();

    /** Requests sent in order through one verifier, and the lines the observer must have written. */
    record Row(String name, UnaryOperator<RequestVerifier.Builder> config, Function<Fixture, List<HttpRequestFacts>> requests,
               List<String> events) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        long now = NOW.getEpochSecond();
        return Stream.of(
                new Row("V-14 a valid request → accepted wpt", b -> b, x -> List.of(x.validRequest()), List.of("accepted wpt")),
                new Row("V-9 the same request twice → accepted, then refused wpt REPLAY", b -> b, x -> {
                    HttpRequestFacts r = x.validRequest();
                    return List.of(r, r);
                }, List.of("accepted wpt", "refused wpt replay")),
                new Row("V-7 an expired WPT → refused wpt EXPIRED", b -> b,
                        x -> List.of(x.request(x.wit, x.craftWpt(x.wit, same(), c -> c.put("iat", now - 200).put("exp", now - 100))).build()),
                        List.of("refused wpt expired")),
                new Row("V-9 the replay cache down → refused wpt REPLAY_CACHE_UNAVAILABLE (fail closed)",
                        b -> b.replayCache((key, exp) -> {
                            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "store down");
                        }), x -> List.of(x.validRequest()), List.of("refused wpt replay-cache-unavailable")),
                new Row("V-1 no Workload-Identity-Token → refused wpt MISSING_WIT", b -> b,
                        x -> List.of(HttpRequestFacts.builder("GET", URI.create(TARGET))
                                .header("Workload-Proof-Token", x.wpt(ProofBindings.NONE)).build()),
                        List.of("refused wpt missing-wit")),
                new Row("P2-1 a proof in Authorization: WPT → accepted wpt, the same kind", b -> b,
                        x -> List.of(HttpRequestFacts.builder("GET", URI.create(TARGET)).header("Workload-Identity-Token", x.wit)
                                .header("Authorization", "WPT " + x.wpt(ProofBindings.NONE)).build()),
                        List.of("accepted wpt")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void V_14_everyVerificationIsReportedWithItsResultAndReason(Row row) {
        RequestVerifier verifier = row.config().apply(f.verifier()).observer(observer).build();
        for (HttpRequestFacts request : row.requests().apply(f)) {
            try {
                verifier.verify(request);
            } catch (WimseException refused) {
                // the row's events say which ones must be refused, and why
            }
        }
        assertThat(observer.events()).containsExactlyElementsOf(row.events());
        assertThat(observer.elapsedNanos()).hasSameSizeAs(row.events()).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void V_14_aBrokenObserverChangesNoAnswer() throws WimseException {
        WimseObserver broken = new WimseObserver() {
            @Override
            public void accepted(io.wimse4j.core.observe.CredentialKind kind, long elapsedNanos) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void refused(io.wimse4j.core.observe.CredentialKind kind, Reason reason, long elapsedNanos) {
                throw new IllegalStateException("broken");
            }
        };
        RequestVerifier verifier = f.verifier().observer(broken).build();
        HttpRequestFacts request = f.validRequest();
        assertThat(verifier.verify(request).workload()).isEqualTo(f.workload);
        assertRejected(() -> verifier.verify(request), Reason.REPLAY);
    }
}
