package io.wimse4j.fuzz;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The fuzz targets' seeds and oracles, checked without fuzzing: every seed is accepted (so a fuzz run
 * starts from inputs that reach the deepest checks, and an oracle is not vacuously refusing everything),
 * one edit of each seed is refused with its specific {@link Reason}, and the oracle itself fails on an
 * accepted mutation.
 */
class FuzzSeedsTest {
    private static byte[] replaceAt(int position, char c) {
        // operation 3 (a character of the alphabet) at position: the operation byte also picks the character
        for (int op = 3; op < 256; op += 4) {
            if (Mutation.apply("x", new byte[] {(byte) op, 0, 0}).equals(String.valueOf(c))) {
                return new byte[] {(byte) op, (byte) (position & 0xff), (byte) (position >> 8)};
            }
        }
        throw new IllegalArgumentException("no operation byte writes " + c);
    }

    @Test
    void theEmptyInputIsTheSeedAndRIsRaw() {
        byte[] seed = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(Mutation.apply(seed, new byte[0])).isEqualTo(seed);
        assertThat(Mutation.apply(seed, "Rxyz".getBytes(StandardCharsets.US_ASCII))).isEqualTo("xyz".getBytes(StandardCharsets.US_ASCII));
        assertThat(Mutation.apply("abc", new byte[] {1, 1, 0})).isEqualTo("a\0bc"); // insert byte 0 at 1
        assertThat(Mutation.apply("abc", new byte[] {2, 0, 0})).isEqualTo("bc"); // delete at 0
        assertThat(Mutation.apply("abc", replaceAt(2, 'B'))).isEqualTo("abB");
    }

    @Test
    void theOracleFailsOnAnAcceptedMutationAndRequiresAReason() {
        assertThatThrownBy(() -> Oracle.acceptsOnlySeed("t", true, () -> { }))
                .isInstanceOf(AssertionError.class).hasMessage("t: a mutated input was accepted");
        assertThat(Oracle.acceptsOnlySeed("t", false, () -> { })).isTrue();
        assertThat(Oracle.acceptsOnlySeed("t", true, () -> {
            throw new WimseException(Reason.BAD_SIGNATURE, "x");
        })).isFalse();
    }

    @Test
    void V_4_theWitSeedVerifiesAndAnEditedSignatureDoesNot() throws WimseException {
        assertThat(WitVerifyFuzzTest.VERIFIER.verify(WitVerifyFuzzTest.F.wit).subject().value())
                .isEqualTo("wimse://example.org/svc/caller");
        String wit = WitVerifyFuzzTest.F.wit;
        String edited = Mutation.apply(wit, replaceAt(wit.length() - 3, wit.charAt(wit.length() - 3) == 'A' ? 'B' : 'A'));
        assertThat(catchThrowableOfType(() -> WitVerifyFuzzTest.VERIFIER.verify(edited), WimseException.class).reason())
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void P2_1_theRequestSeedVerifiesInBothTransports() {
        HttpRequestFacts seed = HttpRequestFacts.builder("GET", URI.create(io.wimse4j.testkit.Fixture.TARGET))
                .header("Workload-Identity-Token", RequestVerifyFuzzTest.F.wit)
                .header("Authorization", "WPT " + RequestVerifyFuzzTest.WPT).build();
        assertThat(Oracle.acceptsOnlySeed("t", false, () -> RequestVerifyFuzzTest.VERIFIER.verify(seed))).isTrue();
        HttpRequestFacts header = HttpRequestFacts.builder("GET", URI.create(io.wimse4j.testkit.Fixture.TARGET))
                .header("Workload-Identity-Token", RequestVerifyFuzzTest.F.wit)
                .header("Workload-Proof-Token", RequestVerifyFuzzTest.WPT).build();
        assertThat(Oracle.acceptsOnlySeed("t", false, () -> RequestVerifyFuzzTest.VERIFIER.verify(header))).isTrue();
    }

    @Test
    void V_1_aRepeatedProofHeaderIsRefused() {
        HttpRequestFacts twice = HttpRequestFacts.builder("GET", URI.create(io.wimse4j.testkit.Fixture.TARGET))
                .header("Workload-Identity-Token", RequestVerifyFuzzTest.F.wit)
                .header("Workload-Proof-Token", RequestVerifyFuzzTest.WPT)
                .header("Workload-Proof-Token", RequestVerifyFuzzTest.WPT).build();
        assertThat(catchThrowableOfType(() -> RequestVerifyFuzzTest.VERIFIER.verify(twice), WimseException.class).reason())
                .isEqualTo(Reason.REPEATED_HEADER);
    }

    @Test
    void HS_5_theSignedRequestSeedVerifiesAndAnEditedBodyDoesNot() throws WimseException {
        assertThat(HttpSignatureFuzzTest.VERIFIER.verifyRequest(HttpSignatureFuzzTest.SIGNED.request(), HttpSignatureFuzzTest.BODY))
                .isNotNull();
        byte[] other = HttpSignatureFuzzTest.BODY.clone();
        other[3] ^= 1;
        assertThat(catchThrowableOfType(() -> HttpSignatureFuzzTest.VERIFIER.verifyRequest(HttpSignatureFuzzTest.SIGNED.request(), other),
                WimseException.class).reason()).isEqualTo(Reason.CONTENT_DIGEST_MISMATCH);
        assertThat(HttpSignatureFuzzTest.sameDictionary("a=1,  b=2", "a=1, b=2")).isTrue();
        assertThat(HttpSignatureFuzzTest.sameDictionary("a=1, b=3", "a=1, b=2")).isFalse();
    }

    @Test
    void C2_3_theWicSeedValidatesAndIsIssuedFromTheCsrSeed() throws Exception {
        assertThat(X509FuzzTest.VALIDATOR.validate(X509FuzzTest.WIC.chain()).identifier()).isEqualTo(X509FuzzTest.ID);
        assertThat(X509FuzzTest.ISSUER.issue(X509FuzzTest.CSR, X509FuzzTest.ID, java.util.Set.of(io.wimse4j.x509.WicUsage.CLIENT))
                .identifier()).isEqualTo(X509FuzzTest.ID);
    }

    @Test
    void ID_1_theIdentifierSeedsParse() throws WimseException {
        for (String seed : IdentifierFuzzTest.SEEDS) {
            assertThat(io.wimse4j.core.id.WorkloadIdentifier.parse(seed).value()).isEqualTo(seed);
        }
    }

    @Test
    void theBundleSeedsLoadTheirThreeKeys() throws WimseException {
        assertThat(io.wimse4j.core.key.TrustBundle.fromJwks(BundleFuzzTest.TD, BundleFuzzTest.JWKS).keys()).hasSize(3);
        assertThat(io.wimse4j.core.key.TrustBundle.fromSpiffeBundle(BundleFuzzTest.TD, BundleFuzzTest.SPIFFE).keys()).hasSize(3);
    }

    @Test
    void theServletSeedReachesTheServletAndAnEditedProofDoesNot() throws Exception {
        new ServletFilterFuzzTest().fuzz(new byte[0]); // throws AssertionError unless the seed answers 200
        String wpt = ServletFilterFuzzTest.WPT;
        String response = ServletFilterFuzzTest.CONNECTOR.getResponse("GET /orders HTTP/1.1\r\nHost: api.example.org\r\n"
                + "Workload-Identity-Token: " + ServletFilterFuzzTest.F.wit + "\r\nWorkload-Proof-Token: "
                + wpt.substring(0, wpt.length() - 2) + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains(Reason.BAD_SIGNATURE.code());
    }
}
