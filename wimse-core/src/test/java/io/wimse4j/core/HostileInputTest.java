package io.wimse4j.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile inputs found in review: bounded work, no races, no leaks, no unchecked escapes. */
class HostileInputTest {
    final Fixture f = new Fixture();
    final WitVerifier witVerifier = WitVerifier.builder().trust(f.trust()).clock(f.clock)
            .proofAlgorithms(java.util.EnumSet.allOf(JwsAlgorithm.class)).build(); // RSA proofs are opt-in

    private String rsaCnfWit(BigInteger n, BigInteger e) {
        return f.craftWit(same(), c -> {
            ObjectNode jwk = c.with("cnf").putObject("jwk");
            jwk.put("kty", "RSA").put("alg", "RS256")
                    .put("n", Base64Url.encode(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(n)))
                    .put("e", Base64Url.encode(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(e)));
        });
    }

    @Test
    void rsaConfirmationKeysWithHugeModulusOrExponentAreRefused() throws Exception {
        com.nimbusds.jose.jwk.RSAKey real = com.nimbusds.jose.jwk.RSAKey.parse(io.wimse4j.core.key.WorkloadKeyPair
                .generate(JwsAlgorithm.RS256).publicJwk().toJson());
        BigInteger n = real.getModulus().decodeToBigInteger();
        BigInteger n8192 = BigInteger.ONE.shiftLeft(8191).setBit(0);
        BigInteger bigE = BigInteger.ONE.shiftLeft(4000).setBit(0);
        assertThatThrownBy(() -> witVerifier.verify(rsaCnfWit(n8192, BigInteger.valueOf(65537))))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_CNF_KEY);
                    assertThat(e.detail()).contains("2048 to 4096 bits");
                });
        assertThatThrownBy(() -> witVerifier.verify(rsaCnfWit(n, bigE)))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_CNF_KEY);
                    assertThat(e.detail()).contains("exponent");
                });
        assertThat(witVerifier.verify(rsaCnfWit(n, BigInteger.valueOf(65537))).confirmationAlgorithm()).isEqualTo(JwsAlgorithm.RS256);
        // such a key cannot even become a PublicJwk, so no issuer can be handed one
        assertRejected(() -> io.wimse4j.core.jose.PublicJwk.parse(new com.nimbusds.jose.jwk.RSAKey.Builder(
                        com.nimbusds.jose.util.Base64URL.encode(n8192), com.nimbusds.jose.util.Base64URL.encode(BigInteger.valueOf(65537)))
                        .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).build().toJSONString()), Reason.INVALID_KEY);
    }

    @Test
    void aReplayArrivingAsTheProofExpiresIsStillRefused() throws WimseException {
        MutableClock clock = new MutableClock(NOW);
        RequestVerifier v = RequestVerifier.builder().trust(f.trust()).clock(clock).build();
        HttpRequestFacts request = f.validRequest();          // exp = NOW + 60, leeway 60
        clock.set(NOW.plusSeconds(120).minusMillis(1));        // just before exp + leeway: still acceptable
        assertThat(v.verify(request).workload()).isEqualTo(f.workload);
        assertRejected(() -> v.verify(request), Reason.REPLAY);
        clock.set(NOW.plusSeconds(120));                       // C2-5: exactly exp + leeway is expired
        assertRejected(() -> v.verify(request), Reason.EXPIRED);
    }

    @Test
    void aProofThatExpiresDuringVerificationIsRefused() {
        // the clock moves past exp + leeway between the validity check and the replay check
        MutableClock clock = new MutableClock(NOW.plusSeconds(119));
        RequestVerifier v = RequestVerifier.builder().trust(f.trust()).clock(clock)
                .replayCache((key, until) -> {
                    clock.advance(Duration.ofSeconds(2));
                    return true;
                }).build();
        assertRejected(() -> v.verify(f.validRequest()), Reason.EXPIRED);
    }

    @Test
    void requestFactsNeverPrintHeaderValues() {
        HttpRequestFacts facts = f.request(f.wit, f.wpt(ProofBindings.NONE)).header("Authorization", "Bearer s3cr3t-token").build();
        assertThat(facts.toString()).contains("authorization", "workload-identity-token")
                .doesNotContain("s3cr3t-token").doesNotContain(f.wit);
        assertThatThrownBy(() -> HttpRequestFacts.builder("GET", URI.create("urn:x:y")).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void witsLivingLongerThanTheMaximumAreRefused() throws WimseException {
        String century = f.craftWit(same(), c -> c.put("exp", NOW.getEpochSecond() + 200L * 365 * 86400));
        assertRejected(() -> witVerifier.verify(century), Reason.LIFETIME_TOO_LONG);
        String week = f.craftWit(same(), c -> c.put("exp", NOW.getEpochSecond() + 7 * 86400));
        assertRejected(() -> witVerifier.verify(week), Reason.LIFETIME_TOO_LONG);
        WitVerifier weekly = WitVerifier.builder().trust(f.trust()).clock(f.clock).maxLifetime(Duration.ofDays(7)).build();
        assertThat(weekly.verify(week).subject()).isEqualTo(f.workload);
    }

    @Test
    void jsonMustBeStrictUtf8WithoutByteOrderMark() {
        byte[] utf16 = f.witClaims().toString().getBytes(StandardCharsets.UTF_16BE);
        String header = Base64Url.encode(f.witHeader().toString().getBytes(StandardCharsets.UTF_8));
        String input16 = header + "." + Base64Url.encode(utf16);
        String t16 = input16 + "." + Base64Url.encode(f.issuerKey.signer().sign(input16.getBytes(StandardCharsets.US_ASCII)));
        assertRejected(() -> witVerifier.verify(t16), Reason.INVALID_JSON);
        assertRejected(() -> witVerifier.verify(RawJws.signRaw(f.issuerKey.signer(), f.witHeader().toString(),
                "\uFEFF" + f.witClaims())), Reason.INVALID_JSON);
        byte[] overlong = "{\"sub\":\"a\u0000\"}".getBytes(StandardCharsets.UTF_8);
        byte[] withC080 = new byte[overlong.length + 1];
        int nul = new String(overlong, StandardCharsets.UTF_8).indexOf('\u0000');
        System.arraycopy(overlong, 0, withC080, 0, nul);
        withC080[nul] = (byte) 0xC0;
        withC080[nul + 1] = (byte) 0x80;
        System.arraycopy(overlong, nul + 1, withC080, nul + 2, overlong.length - nul - 1);
        String inputC0 = header + "." + Base64Url.encode(withC080);
        String tC0 = inputC0 + "." + Base64Url.encode(f.issuerKey.signer().sign(inputC0.getBytes(StandardCharsets.US_ASCII)));
        assertRejected(() -> witVerifier.verify(tC0), Reason.INVALID_JSON);
    }

    @Test
    void confirmationKeysMarkedForEncryptionAreRefused() {
        assertRejected(() -> witVerifier.verify(f.craftWit(same(), c -> c.with("cnf").with("jwk").put("use", "enc"))),
                Reason.INVALID_CNF_KEY);
        assertRejected(() -> witVerifier.verify(f.craftWit(same(), c -> c.with("cnf").with("jwk").putArray("key_ops").add("encrypt"))),
                Reason.INVALID_CNF_KEY);
    }

    @Test
    void aTrustSourceReturningAnotherDomainsBundleIsNotTrusted() {
        TrustBundle other = Fixture.bundle(new io.wimse4j.core.id.TrustDomain("example.net"), f.issuerKey);
        WitVerifier sloppy = WitVerifier.builder().clock(f.clock).trust(td -> Optional.of(other)).build();
        assertRejected(() -> sloppy.verify(f.wit), Reason.UNTRUSTED_TRUST_DOMAIN);
    }

    @Test
    void attackerTextInDetailsIsTruncatedAndStrippedOfControlCharacters() {
        String alg = "X\r\nInjected: yes" + "A".repeat(5000);
        String wpt = f.craftWpt(f.wit, h -> h.put("alg", alg), same());
        RequestVerifier v = f.verifier().build();
        assertThatThrownBy(() -> v.verify(f.request(f.wit, wpt).build())).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALG);
            assertThat(e.detail()).doesNotContain("\r").doesNotContain("\n").hasSizeLessThanOrEqualTo(WimseException.MAX_DETAIL_LENGTH + 3);
            assertThat(e.getMessage()).doesNotContain("\n");
        });
    }

    @Test
    void WIT_9_anyWitInAuthorizationIsRefusedEvenWhenTheProofBindsIt() throws WimseException {
        RequestVerifier v = f.verifier().build();
        // another workload's WIT (observed on the wire), and the caller's own WIT with its signature
        // part re-encoded (padding): each bound by the caller's proof through 'ath'
        String victimWit = f.issuer().issue(io.wimse4j.core.id.WorkloadIdentifier.parse("wimse://example.org/svc/victim"),
                io.wimse4j.core.key.WorkloadKeyPair.generate(JwsAlgorithm.ES256).publicJwk()).token();
        String sig = f.wit.substring(f.wit.lastIndexOf('.') + 1);
        String padded = f.wit + "=".repeat((4 - sig.length() % 4) % 4);
        assertThat(padded).isNotEqualTo(f.wit);
        for (String token : new String[]{victimWit, padded}) {
            HttpRequestFacts request = f.request(f.wit, f.wpt(ProofBindings.accessToken(token)))
                    .header("Authorization", "Bearer " + token).build();
            assertRejected(() -> v.verify(request), Reason.WIT_AS_BEARER);
        }
    }

    @Test
    void WIT_9_aWitInAuthorizationIsCaughtWhateverTheSeparator() {
        RequestVerifier v = f.verifier().build();
        for (String auth : new String[]{"Bearer\t" + f.wit, "Token  " + f.wit, "bearer " + f.wit + " "}) {
            assertRejected(() -> v.verify(f.request(f.wit, f.wpt(ProofBindings.NONE)).header("Authorization", auth).build()),
                    Reason.WIT_AS_BEARER);
        }
    }
}
