package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HsFixture.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.httpsig.HsFixture.NOW;
import static io.wimse4j.httpsig.HsFixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Nonce replay (HS-8) and the client's checks of responses (HS-6), with real WITs and signatures. */
class HttpSignatureReplayAndResponseTest {
    final HsFixture f = new HsFixture();
    final Workload client = f.workload("svc/client", JwsAlgorithm.ES256);
    final Workload other = f.workload("svc/other", JwsAlgorithm.EdDSA);
    final Workload server = f.workload("svc/server", JwsAlgorithm.EdDSA);

    // ---- HS-8 ----------------------------------------------------------------------------------------------

    @Test
    void HS_8_theSameRequestVerifiedTwiceIsAReplay() throws Exception {
        HttpSignatureVerifier v = f.verifier().build();
        HttpRequestFacts request = f.signer(client).build().signRequest(HsFixture.get(), null).request();
        assertThat(v.verifyRequest(request, null).workload()).isEqualTo(client.id());
        assertRejected(() -> v.verifyRequest(request, null), Reason.REPLAY);
    }

    @Test
    void HS_8_theSameNonceFromTheSameSenderOnAnotherRequestIsAReplay() throws Exception {
        HttpSignatureVerifier v = f.verifier().build();
        HttpRequestFacts first = HsFixture.craft(HsFixture.get(), client.wit(), "wimse", HsFixture.standardInput("shared-nonce"),
                client.key().signer());
        HttpRequestFacts second = HsFixture.craft(HsFixture.request("GET", HsFixture.TARGET_AUDIENCE + "?expand=none").build(), client.wit(),
                "wimse", HsFixture.standardInput("shared-nonce"), client.key().signer());
        v.verifyRequest(first, null);
        assertRejected(() -> v.verifyRequest(second, null), Reason.REPLAY);
    }

    @Test
    void HS_8_theSameNonceFromADifferentSenderIsAccepted() throws Exception {
        HttpSignatureVerifier v = f.verifier().build();
        HttpRequestFacts fromClient = HsFixture.craft(HsFixture.get(), client.wit(), "wimse", HsFixture.standardInput("shared-nonce"),
                client.key().signer());
        HttpRequestFacts fromOther = HsFixture.craft(HsFixture.get(), other.wit(), "wimse", HsFixture.standardInput("shared-nonce"),
                other.key().signer());
        assertThat(v.verifyRequest(fromClient, null).workload()).isEqualTo(client.id());
        assertThat(v.verifyRequest(fromOther, null).workload()).as("nonces are scoped per sender").isEqualTo(other.id());
        assertRejected(() -> v.verifyRequest(fromOther, null), Reason.REPLAY);
    }

    @Test
    void HS_8_aRefusedRequestConsumesNoNonce() throws Exception {
        HttpSignatureVerifier v = f.verifier().build();
        HttpRequestFacts good = HsFixture.craft(HsFixture.get(), client.wit(), "wimse", HsFixture.standardInput("once"), client.key().signer());
        HttpRequestFacts forged = HsFixture.craft(HsFixture.get(), client.wit(), "wimse", HsFixture.standardInput("once"),
                WorkloadKeyPair.generate(JwsAlgorithm.ES256).signer());
        assertRejected(() -> v.verifyRequest(forged, null), Reason.BAD_SIGNATURE);
        assertThat(v.verifyRequest(good, null).nonce()).isEqualTo("once");
    }

    @Test
    void HS_8_theNonceIsRecordedPerSenderUntilExpiresPlusTheLeeway() throws Exception {
        List<ReplayKey> keys = new ArrayList<>();
        List<Instant> until = new ArrayList<>();
        HttpSignatureVerifier v = f.verifier().replayCache((key, expiresAt) -> {
            keys.add(key);
            until.add(expiresAt);
            return true;
        }).build();
        RequestSignature s = f.signer(client).build().signRequest(HsFixture.get(), null);
        v.verifyRequest(s.request(), null);
        v.verifyRequest(s.request(), null);
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).isEqualTo(keys.get(1)).isEqualTo(ReplayKey.of(client.id(), "httpsig:" + s.nonce()));
        assertThat(keys.get(0).sender()).contains(client.id());
        assertThat(until.get(0)).isEqualTo(NOW.plusSeconds(60 + 60));
    }

    @Test
    void HS_8_aFailingReplayCacheFailsClosed() throws Exception {
        HttpSignatureVerifier v = f.verifier().replayCache((key, expiresAt) -> {
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "store down");
        }).build();
        HttpRequestFacts request = f.signer(client).build().signRequest(HsFixture.get(), null).request();
        assertRejected(() -> v.verifyRequest(request, null), Reason.REPLAY_CACHE_UNAVAILABLE);
    }

    @Test
    void HS_8_replayProtectionCanBeTurnedOff() throws Exception {
        HttpSignatureVerifier v = f.verifier().disableReplayProtection().build();
        HttpRequestFacts request = f.signer(client).build().signRequest(HsFixture.get(), null).request();
        v.verifyRequest(request, null);
        assertThat(v.verifyRequest(request, null).workload()).isEqualTo(client.id());
    }

    // ---- HS-6 ----------------------------------------------------------------------------------------------

    private static final byte[] BODY = "{\"order\":7}".getBytes(StandardCharsets.UTF_8);

    /** What one exchange produced: the client's memory of its request, the server's verified view, and the signed response. */
    record Exchange(RequestSignature sent, VerifiedSignedRequest verified, HttpResponseFacts response, byte[] body) {
    }

    Exchange exchange(boolean askForSignature) throws WimseException {
        RequestSignature sent = f.signer(client).requestSignedResponses(askForSignature).build().signRequest(HsFixture.get(), null);
        VerifiedSignedRequest verified = f.verifier().build().verifyRequest(sent.request(), null);
        Map<String, String> headers = Map.of("Content-Type", "application/json");
        ResponseSignature answer = f.signer(server).build().signResponse(HsFixture.response(200, headers, Map.of()), BODY, verified);
        return new Exchange(sent, verified, HsFixture.response(200, headers, answer.headers()), BODY);
    }

    static HttpResponseFacts without(HttpResponseFacts response, String... names) {
        HttpResponseFacts.Builder b = HttpResponseFacts.builder(response.status());
        response.headers().forEach((n, vs) -> {
            if (Stream.of(names).noneMatch(n::equalsIgnoreCase)) {
                vs.forEach(v -> b.header(n, v));
            }
        });
        return b.build();
    }

    static HttpResponseFacts withStatus(HttpResponseFacts response, int status) {
        HttpResponseFacts.Builder b = HttpResponseFacts.builder(status);
        response.headers().forEach((n, vs) -> vs.forEach(v -> b.header(n, v)));
        return b.build();
    }

    static HttpResponseFacts unsigned(HttpResponseFacts r) {
        return without(r, HttpSignatures.SIGNATURE, HttpSignatures.SIGNATURE_INPUT, HttpSignatures.WORKLOAD_IDENTITY_TOKEN);
    }

    /** One row: whether the request asked, whether the client's policy requires, what happens to the response, the verdict. */
    record Row(String name, boolean asked, boolean required, Function<Exchange, HttpResponseFacts> response,
               Function<Exchange, byte[]> body, Reason refusal, boolean expectSignature) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, boolean asked, boolean required, Function<Exchange, HttpResponseFacts> response, Reason refusal) {
        return new Row(name, asked, required, response, Exchange::body, refusal, refusal == null);
    }

    static Stream<Row> hs6() {
        return Stream.of(
                row("HS-6 a signed response, asked for → verified", true, false, Exchange::response, null),
                row("HS-6 a signed response, not asked for nor required → still verified", false, false, Exchange::response, null),
                row("HS-6 unsigned, the request asked (wimse-sign-response) → UNSIGNED_RESPONSE", true, false,
                        e -> unsigned(e.response()), Reason.UNSIGNED_RESPONSE),
                row("HS-6 unsigned, not asked but requireSignedResponses(true) → UNSIGNED_RESPONSE", false, true,
                        e -> unsigned(e.response()), Reason.UNSIGNED_RESPONSE),
                new Row("HS-6 unsigned, neither asked nor required → accepted as unsigned (empty)", false, false,
                        e -> unsigned(e.response()), Exchange::body, null, false),
                new Row("HS-6 signed, not required, but the body changed → CONTENT_DIGEST_MISMATCH (the client must still validate)",
                        false, false, Exchange::response, e -> "{\"order\":8}".getBytes(StandardCharsets.UTF_8), Reason.CONTENT_DIGEST_MISMATCH,
                        false),
                row("HS-6 signed, not required, but the status changed → BAD_SIGNATURE", false, false,
                        e -> withStatus(e.response(), 500), Reason.BAD_SIGNATURE),
                row("HS-6 signed, not required, but the covered Content-Type changed → BAD_SIGNATURE", false, false, e -> {
                    HttpResponseFacts.Builder b = HttpResponseFacts.builder(200);
                    without(e.response(), "content-type").headers().forEach((n, vs) -> vs.forEach(v -> b.header(n, v)));
                    return b.header("Content-Type", "text/html").build();
                }, Reason.BAD_SIGNATURE),
                row("HS-6 signed but the WIT removed → MISSING_WIT", true, false,
                        e -> without(e.response(), HttpSignatures.WORKLOAD_IDENTITY_TOKEN), Reason.MISSING_WIT),
                row("HS-6 signed, the Signature header lost → MALFORMED_SIGNATURE", false, false,
                        e -> without(e.response(), HttpSignatures.SIGNATURE), Reason.MALFORMED_SIGNATURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hs6")
    void HS_6_theClientValidatesResponses(Row row) throws Exception {
        Exchange e = exchange(row.asked());
        HttpSignatureVerifier v = f.verifier(3).requireSignedResponses(row.required()).build();
        HttpResponseFacts response = row.response().apply(e);
        byte[] body = row.body().apply(e);
        if (row.refusal() != null) {
            assertRejected(() -> v.verifyResponse(response, body, e.sent()), row.refusal());
            return;
        }
        Optional<VerifiedSignedResponse> result = v.verifyResponse(response, body, e.sent());
        assertThat(result.isPresent()).isEqualTo(row.expectSignature());
        result.ifPresent(r -> {
            assertThat(r.workload()).isEqualTo(server.id());
        });
    }

    @Test
    void HS_6_aResponseBoundToAnotherRequestIsRefused() throws Exception {
        Exchange first = exchange(true);
        Exchange second = exchange(true);
        HttpSignatureVerifier v = f.verifier(3).build();
        assertRejected(() -> v.verifyResponse(first.response(), first.body(), second.sent()), Reason.REQUEST_NONCE_MISMATCH);
        assertThat(v.verifyResponse(second.response(), second.body(), second.sent())).isPresent();
    }

    @Test
    void HS_6_aResponseSignedByAnotherKeyThanItsWitsIsRefused() throws Exception {
        RequestSignature sent = f.signer(client).build().signRequest(HsFixture.get(), null);
        String input = responseInput(sent.nonce());
        HttpResponseFacts forged = HsFixture.craftResponse(sent.request(), 200, server.wit(), input,
                WorkloadKeyPair.generate(JwsAlgorithm.EdDSA).signer());
        HttpResponseFacts genuine = HsFixture.craftResponse(sent.request(), 200, server.wit(), input, server.key().signer());
        HttpSignatureVerifier v = f.verifier(3).build();
        assertRejected(() -> v.verifyResponse(forged, null, sent), Reason.BAD_SIGNATURE);
        assertThat(v.verifyResponse(genuine, null, sent).orElseThrow().workload()).as("control").isEqualTo(server.id());
    }

    @Test
    void HS_6_aSignedResponseWithoutWimseReqNonceIsRefusedAskedForOrNot() throws Exception {
        // the server MUST set wimse-req-nonce on every signed response: an unbound one could answer another request
        RequestSignature sent = f.signer(client).build().signRequest(HsFixture.get(), null);
        String input = responseInput(sent.nonce()).replaceFirst(";wimse-req-nonce=\"[^\"]*\"", "");
        HttpResponseFacts response = HsFixture.craftResponse(sent.request(), 200, server.wit(), input, server.key().signer());
        assertRejected(() -> f.verifier(3).build().verifyResponse(response, null, sent), Reason.MISSING_SIGNATURE_PARAMETER);
        assertRejected(() -> f.verifier(3).requireSignedResponses(true).build().verifyResponse(response, null, sent),
                Reason.MISSING_SIGNATURE_PARAMETER);
    }

    @Test
    void HS_8_aResponseVerifiedTwiceIsAReplay() throws Exception {
        Exchange e = exchange(true);
        HttpSignatureVerifier v = f.verifier(3).build();
        assertThat(v.verifyResponse(e.response(), e.body(), e.sent())).isPresent();
        assertRejected(() -> v.verifyResponse(e.response(), e.body(), e.sent()), Reason.REPLAY);
    }

    private static String responseInput(String requestNonce) {
        long now = NOW.getEpochSecond();
        return "(\"@status\" \"workload-identity-token\" \"@method\";req \"@path\";req \"@query\";req);created=" + now + ";expires="
                + (now + 60) + ";nonce=\"resp-1\";tag=\"" + HttpSignatures.TAG + "\";wimse-req-nonce=\"" + requestNonce + "\"";
    }
}
