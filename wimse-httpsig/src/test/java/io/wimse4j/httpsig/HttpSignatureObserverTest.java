package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HsFixture.Workload;
import io.wimse4j.testkit.RecordingObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an {@link HttpSignatureVerifier} tells its observer (issue 13): every request verified through
 * {@link HttpSignatureVerifier#verifyRequest} or {@link HttpSignatureVerifier#verifyRequestReading}, accepted or
 * refused with the {@link Reason} the caller sees (HS-9), as kind {@code http-signature}.
 */
class HttpSignatureObserverTest {
    final HsFixture f = new HsFixture();
    final Workload client = f.workload("svc/client", JwsAlgorithm.EdDSA);
    final RecordingObserver observer = new RecordingObserver();

    /** Requests verified in order by one verifier, and the lines the observer must have written. */
    record Row(String name, Function<HsFixture, HttpSignatureVerifier.Builder> verifier,
               BiFunction<HsFixture, Workload, List<HttpRequestFacts>> requests, List<String> events) {
        @Override
        public String toString() {
            return name;
        }
    }

    static HttpRequestFacts signed(HsFixture x, Workload w) {
        try {
            return x.signer(w).build().signRequest(HsFixture.get(), null).request();
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("HS-9 a signed request → accepted http-signature", HsFixture::verifier, (x, w) -> List.of(signed(x, w)),
                        List.of("accepted http-signature")),
                new Row("HS-8 the same request twice → accepted, then refused http-signature REPLAY", HsFixture::verifier, (x, w) -> {
                    HttpRequestFacts r = signed(x, w);
                    return List.of(r, r);
                }, List.of("accepted http-signature", "refused http-signature replay")),
                new Row("HS-4 verified ten minutes after it was made → refused http-signature EXPIRED", x -> x.verifier(600),
                        (x, w) -> List.of(signed(x, w)), List.of("refused http-signature expired")),
                new Row("HS-8 the replay cache down → refused http-signature REPLAY_CACHE_UNAVAILABLE (fail closed)",
                        x -> x.verifier().replayCache((key, exp) -> {
                            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "store down");
                        }), (x, w) -> List.of(signed(x, w)), List.of("refused http-signature replay-cache-unavailable")),
                new Row("HS-2 no signature → refused http-signature MISSING_SIGNATURE", HsFixture::verifier,
                        (x, w) -> List.of(HsFixture.get()), List.of("refused http-signature missing-signature")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void HS_9_everyRequestVerifiedIsReportedWithItsResultAndReason(Row row) {
        HttpSignatureVerifier verifier = row.verifier().apply(f).observer(observer).build();
        for (HttpRequestFacts request : row.requests().apply(f, client)) {
            try {
                verifier.verifyRequest(request, null);
            } catch (WimseException refused) {
                // the row's events say which ones must be refused, and why
            }
        }
        assertThat(observer.events()).containsExactlyElementsOf(row.events());
        assertThat(observer.elapsedNanos()).hasSameSizeAs(row.events()).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void HS_5_aRequestVerifiedWhileReadingItsBodyIsReportedAndAnUnreadableBodyIsNot() throws Exception {
        byte[] body = "{\"amount\":42}".getBytes(StandardCharsets.UTF_8);
        HttpRequestFacts post = HsFixture.request("POST", HsFixture.TARGET).header("Content-Type", "application/json").build();
        HttpSignatureVerifier verifier = f.verifier().observer(observer).build();
        HttpRequestFacts first = f.signer(client).build().signRequest(post, body).request();
        assertThat(verifier.verifyRequestReading(first, () -> body).workload()).isEqualTo(client.id());
        HttpRequestFacts second = f.signer(client).build().signRequest(post, body).request();
        assertThatThrownBy(() -> verifier.verifyRequestReading(second, () -> {
            throw new IOException("connection reset");
        })).isInstanceOf(IOException.class);
        assertThat(observer.events()).containsExactly("accepted http-signature");
    }
}
