package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HsFixture.Workload;
import io.wimse4j.httpsig.sfv.SfInteger;
import io.wimse4j.httpsig.sfv.SfString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.wimse4j.httpsig.HsFixture.NOW;
import static io.wimse4j.httpsig.HsFixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the signer writes (HS-1, HS-3, HS-4, HS-5), what it refuses, and its builder's bounds. */
class HttpSignatureSignerRulesTest {
    final HsFixture f = new HsFixture();
    final Workload client = f.workload("svc/client", JwsAlgorithm.EdDSA);

    // ---- HS-3: authorization and txn-token covered when present -----------------------------------------

    /** A request with extra headers; the header changed after signing must break the signature. */
    record Covered(String name, Map<String, String> headers, List<String> expectedFields, String tampered) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Covered> hs3() {
        return Stream.of(
                new Covered("HS-3 Authorization present → covered, and a changed one breaks the signature",
                        Map.of("Authorization", "Bearer opaque-access-token"), List.of("\"workload-identity-token\"", "\"authorization\""),
                        "authorization"),
                new Covered("HS-3 Txn-Token present → covered, and a changed one breaks the signature",
                        Map.of("Txn-Token", "txn.token.value"), List.of("\"workload-identity-token\"", "\"txn-token\""), "txn-token"),
                new Covered("HS-3 both present → both covered, in the draft's order",
                        Map.of("Txn-Token", "txn.token.value", "Authorization", "Bearer opaque-access-token"),
                        List.of("\"workload-identity-token\"", "\"authorization\"", "\"txn-token\""), "txn-token"),
                new Covered("HS-3 Content-Type without a body → still covered", Map.of("Content-Type", "text/plain"),
                        List.of("\"workload-identity-token\"", "\"content-type\""), "content-type"),
                new Covered("HS-3 an unrelated header → not covered, and changing it breaks nothing", Map.of("X-Trace", "abc"),
                        List.of("\"workload-identity-token\""), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hs3")
    void HS_3_authorizationAndTxnTokenAreCoveredWhenPresent(Covered row) throws Exception {
        HttpRequestFacts.Builder b = HsFixture.request("GET", HsFixture.TARGET);
        row.headers().forEach(b::header);
        RequestSignature s = f.signer(client).build().signRequest(b.build(), null);

        List<String> covered = HsFixture.covered(s.headers(), HttpSignatures.DEFAULT_LABEL);
        assertThat(covered.subList(3, covered.size())).containsExactlyElementsOf(row.expectedFields());
        assertThat(f.verifier().build().verifyRequest(s.request(), null).covered()).isEqualTo(covered);
        if (row.tampered() != null) {
            HttpRequestFacts changed = HsFixture.replace(s.request(), row.tampered(), s.request().values(row.tampered()).get(0) + "x");
            assertRejected(() -> f.verifier().build().verifyRequest(changed, null), Reason.BAD_SIGNATURE);
        } else {
            HttpRequestFacts changed = HsFixture.replace(s.request(), "X-Trace", "other");
            assertThat(f.verifier().build().verifyRequest(changed, null).workload()).isEqualTo(client.id());
        }
    }

    @Test
    void HS_3_aHeaderAddedAfterSigningThatMustBeCoveredIsRefused() throws Exception {
        RequestSignature s = f.signer(client).build().signRequest(HsFixture.get(), null);
        HttpRequestFacts smuggled = HsFixture.add(s.request(), "Txn-Token", "txn.token.value");
        assertRejected(() -> f.verifier().build().verifyRequest(smuggled, null), Reason.UNCOVERED_COMPONENT);
    }

    // ---- HS-1: never keyid or alg -----------------------------------------------------------------------

    @ParameterizedTest(name = "HS-1 {0}: no keyid, no alg; a signature of the algorithm's length")
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "ES384", "EdDSA", "Ed25519"})
    void HS_1_theSignerNeverWritesKeyidOrAlg(JwsAlgorithm alg) throws Exception {
        Workload w = f.workload("svc/" + alg.name().toLowerCase(), alg);
        RequestSignature s = f.signer(w).build().signRequest(HsFixture.get(), null);
        assertThat(HsFixture.parameters(s.headers(), HttpSignatures.DEFAULT_LABEL).keys())
                .doesNotContain(HttpSignatures.KEYID, HttpSignatures.ALG);
        assertThat(s.headers().get(HttpSignatures.SIGNATURE_INPUT)).doesNotContain("keyid").doesNotContain(";alg=");
        String sig = s.headers().get(HttpSignatures.SIGNATURE);
        assertThat(sig).startsWith("wimse=:").endsWith(":");
        assertThat(Base64.getDecoder().decode(sig.substring(7, sig.length() - 1))).hasSize(alg.signatureLength());
    }

    // ---- HS-4: nonce, created, expires, audience ---------------------------------------------------------

    @Test
    void HS_4_eachNonceIs128RandomBitsInBase64urlAndDiffersPerCall() throws Exception {
        HttpSignatureSigner signer = f.signer(client).build();
        VerifiedSignedRequest verified = f.verifier().build().verifyRequest(signer.signRequest(HsFixture.get(), null).request(), null);
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            RequestSignature s = signer.signRequest(HsFixture.get(), null);
            assertThat(HsFixture.parameter(s, HttpSignatures.NONCE)).contains(SfString.of(s.nonce()));
            String responseNonce = ((SfString) HsFixture.parameters(signer.signResponse(HsFixture.response(200, Map.of(), Map.of()),
                    null, verified).headers(), HttpSignatures.DEFAULT_LABEL).get(HttpSignatures.NONCE).orElseThrow()).value();
            for (String nonce : List.of(s.nonce(), responseNonce)) {
                assertThat(nonce).matches("[A-Za-z0-9_-]{22}");
                assertThat(Base64.getUrlDecoder().decode(nonce)).hasSize(16);
                assertThat(nonces.add(nonce)).as("nonce repeated").isTrue();
            }
        }
        assertThat(nonces).hasSize(128);
    }

    @Test
    void HS_4_expiresIsCreatedPlusTheLifetime() throws Exception {
        Clock between = Clock.fixed(NOW.plusMillis(10_700), ZoneOffset.UTC);
        RequestSignature s = HttpSignatureSigner.builder(client.source()).clock(between).lifetime(Duration.ofSeconds(90)).build()
                .signRequest(HsFixture.get(), null);
        assertThat(HsFixture.parameter(s, HttpSignatures.CREATED)).as("whole seconds, not rounded up")
                .contains(SfInteger.of(NOW.getEpochSecond() + 10));
        assertThat(HsFixture.parameter(s, HttpSignatures.EXPIRES)).contains(SfInteger.of(NOW.getEpochSecond() + 100));
        assertThat(s.expiresAt()).isEqualTo(NOW.plusSeconds(100));
        RequestSignature byDefault = f.signer(client).build().signRequest(HsFixture.get(), null);
        assertThat(byDefault.expiresAt()).as("60 s by default").isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void HS_4_expiresIsCappedAtTheWitsExpiry() throws Exception {
        Workload shortLived = f.workload("svc/short", JwsAlgorithm.ES256, Duration.ofSeconds(30));
        Clock later = HsFixture.clockAt(10);
        HttpSignatureSigner signer = HttpSignatureSigner.builder(shortLived.source()).clock(later).lifetime(Duration.ofMinutes(5)).build();
        RequestSignature s = signer.signRequest(HsFixture.get(), null);
        assertThat(HsFixture.parameter(s, HttpSignatures.EXPIRES)).contains(SfInteger.of(NOW.getEpochSecond() + 30));
        assertThat(s.expiresAt()).isEqualTo(shortLived.credentials().expiresAt());
        assertThat(f.verifier(12).build().verifyRequest(s.request(), null).expires()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void HS_4_theDefaultAudienceIsTheTargetUriWithoutQueryAndFragment() throws Exception {
        assertThat(HttpSignatureSigner.defaultAudience(URI.create("https://api.example.org/orders/7?expand=items#top")))
                .isEqualTo("https://api.example.org/orders/7");
        assertThat(HttpSignatureSigner.defaultAudience(URI.create("https://api.example.org:8443"))).isEqualTo("https://api.example.org:8443/");
        RequestSignature s = f.signer(client).build().signRequest(HsFixture.get(), null);
        assertThat(HsFixture.parameter(s, HttpSignatures.WIMSE_AUD)).contains(SfString.of(HsFixture.TARGET_AUDIENCE));
        assertThat(f.verifier().build().verifyRequest(s.request(), null).audience()).isEqualTo(HsFixture.TARGET_AUDIENCE);
    }

    @Test
    void HS_4_anExplicitAudienceIsWrittenAndOnlyAVerifierConfiguredForItAccepts() throws Exception {
        String audience = "https://orders.example.org/";
        RequestSignature s = f.signer(client).build().signRequest(HsFixture.get(), null, audience);
        assertThat(HsFixture.parameter(s, HttpSignatures.WIMSE_AUD)).contains(SfString.of(audience));
        VerifiedSignedRequest v = f.verifier().audience(audience).acceptTargetUri(false).build().verifyRequest(s.request(), null);
        assertThat(v.audience()).isEqualTo(audience);
        assertRejected(() -> f.verifier().build().verifyRequest(s.request(), null), Reason.AUDIENCE_MISMATCH);
        assertThatThrownBy(() -> f.signer(client).build().signRequest(HsFixture.get(), null, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- label ---------------------------------------------------------------------------------------------

    @Test
    void HS_2_aLabelOtherThanTheDefaultIsUsedAndTheVerifierFindsTheSignatureByTag() throws Exception {
        RequestSignature s = f.signer(client).label("caller-sig.1").build().signRequest(HsFixture.get(), null);
        assertThat(s.headers().get(HttpSignatures.SIGNATURE_INPUT)).startsWith("caller-sig.1=(");
        assertThat(s.headers().get(HttpSignatures.SIGNATURE)).startsWith("caller-sig.1=:");
        assertThat(f.verifier().build().verifyRequest(s.request(), null).label()).isEqualTo("caller-sig.1");
    }

    @ParameterizedTest(name = "label \"{0}\" is refused (an RFC 9651 key, at most 64 characters)")
    @ValueSource(strings = {"", "Wimse", "1sig", "-sig", "sig one", "sig=1", "sig\u00e9",
            "a1234567890123456789012345678901234567890123456789012345678901234"})
    void labelsThatAreNoStructuredFieldKeyAreRefused(String label) {
        assertThatThrownBy(() -> f.signer(client).label(label)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "label \"{0}\" is accepted")
    @ValueSource(strings = {"a", "*", "sig-b26", "wimse_2.x*", "a123456789012345678901234567890123456789012345678901234567890123"})
    void labelsThatAreStructuredFieldKeysAreAccepted(String label) {
        assertThatCode(() -> f.signer(client).label(label)).doesNotThrowAnyException();
    }

    // ---- refusals ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "HS-1 a request already carrying {0} is refused")
    @ValueSource(strings = {"Workload-Identity-Token", "workload-identity-token", "Signature", "SIGNATURE-INPUT"})
    void HS_1_theSignerRefusesAMessageAlreadyCarryingItsHeaders(String header) throws Exception {
        HttpRequestFacts request = HsFixture.request("GET", HsFixture.TARGET).header(header, "x").build();
        HttpSignatureSigner signer = f.signer(client).build();
        assertThatThrownBy(() -> signer.signRequest(request, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        VerifiedSignedRequest verified = f.verifier().build().verifyRequest(signer.signRequest(HsFixture.get(), null).request(), null);
        HttpResponseFacts response = HsFixture.response(200, Map.of(header, "x"), Map.of());
        assertThatThrownBy(() -> signer.signResponse(response, null, verified)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void KEY_3_expiredCredentialsNeverSign() throws Exception {
        Workload shortLived = f.workload("svc/short", JwsAlgorithm.EdDSA, Duration.ofSeconds(60));
        VerifiedSignedRequest verified = f.verifier().build().verifyRequest(
                f.signer(client).build().signRequest(HsFixture.get(), null).request(), null);
        HttpSignatureSigner lastSecond = HttpSignatureSigner.builder(shortLived.source()).clock(HsFixture.clockAt(59)).build();
        assertThat(lastSecond.signRequest(HsFixture.get(), null).expiresAt()).isEqualTo(NOW.plusSeconds(60));
        HttpSignatureSigner atExp = HttpSignatureSigner.builder(shortLived.source()).clock(HsFixture.clockAt(60)).build();
        assertRejected(() -> atExp.signRequest(HsFixture.get(), null), Reason.CREDENTIALS_EXPIRED);
        assertRejected(() -> atExp.signResponse(HsFixture.response(200, Map.of(), Map.of()), null, verified), Reason.CREDENTIALS_EXPIRED);
    }

    // ---- HS-5: Content-Digest ------------------------------------------------------------------------------

    @Test
    void HS_5_aBodyGetsASha256DigestAndAnEmptyBodyNone() throws Exception {
        byte[] body = "No ice cream today.\n\n".getBytes(StandardCharsets.US_ASCII);
        HttpSignatureSigner signer = f.signer(client).build();
        RequestSignature s = signer.signRequest(HsFixture.request("POST", HsFixture.TARGET).build(), body);
        assertThat(s.headers()).containsEntry(HttpSignatures.CONTENT_DIGEST, "sha-256=:UHKweBl9cpjdVqgTB65El8SexXlJYGG+XIslAYqC1mY=:");
        assertThat(signer.signRequest(HsFixture.request("POST", HsFixture.TARGET).build(), new byte[0]).headers())
                .doesNotContainKey(HttpSignatures.CONTENT_DIGEST);
    }

    @Test
    void HS_5_aMessagesOwnCorrectDigestIsKeptAndCoveredAndAWrongOneRefused() throws Exception {
        byte[] body = "{\"hello\": \"world\"}".getBytes(StandardCharsets.US_ASCII);
        String sha512 = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
        HttpSignatureSigner signer = f.signer(client).build();
        RequestSignature s = signer.signRequest(HsFixture.request("POST", HsFixture.TARGET).header("Content-Digest", sha512).build(), body);
        assertThat(s.headers()).doesNotContainKey(HttpSignatures.CONTENT_DIGEST);
        assertThat(s.request().values(HttpSignatures.CONTENT_DIGEST)).containsExactly(sha512);
        assertThat(HsFixture.covered(s.headers(), HttpSignatures.DEFAULT_LABEL)).contains("\"content-digest\"");
        assertThat(f.verifier().build().verifyRequest(s.request(), body).workload()).isEqualTo(client.id());
        HttpRequestFacts wrong = HsFixture.request("POST", HsFixture.TARGET).header("Content-Digest", sha512.replace("WZD", "XZD")).build();
        assertThatThrownBy(() -> signer.signRequest(wrong, body)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- builder bounds ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "HS-4 lifetime {0} ms is refused")
    @ValueSource(longs = {-1000, 0, 999, 300_001, 3_600_000})
    void HS_4_lifetimesOutsideOneSecondToFiveMinutesAreRefused(long millis) {
        assertThatThrownBy(() -> f.signer(client).lifetime(Duration.ofMillis(millis))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void HS_4_theLifetimeBoundsThemselvesAreAccepted() throws Exception {
        for (Duration d : List.of(Duration.ofSeconds(1), HttpSignatureSigner.MAX_LIFETIME)) {
            RequestSignature s = f.signer(client).lifetime(d).build().signRequest(HsFixture.get(), null);
            assertThat(s.expiresAt()).isEqualTo(NOW.plus(d));
        }
    }

    @Test
    void builderArgumentsAreRequired() {
        assertThatThrownBy(() -> HttpSignatureSigner.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> f.signer(client).clock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> f.signer(client).profile(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> f.signer(client).lifetime(null)).isInstanceOf(NullPointerException.class);
    }
}
