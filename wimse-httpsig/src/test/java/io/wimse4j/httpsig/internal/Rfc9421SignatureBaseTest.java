package io.wimse4j.httpsig.internal;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.sfv.InnerList;
import io.wimse4j.httpsig.sfv.StructuredFields;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9421's known answers: the signature bases it prints (section 2.4, 2.5, appendix B.2.1, B.2.3, B.2.4,
 * B.2.6) byte for byte from its test-request and test-response, and where the signature is checkable with
 * the RFC's published test keys (B.1.3 P-256, B.1.4 Ed25519), that signature verifies over the base built
 * here; Ed25519 being deterministic, B.2.6's signature is reproduced exactly.
 */
class Rfc9421SignatureBaseTest {
    private static final String REQUEST_DIGEST =
            "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
    private static final String RESPONSE_DIGEST =
            "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:";

    /** RFC 9421 appendix B.2's test-request ({@code POST /foo?param=Value&Pet=dog}, host example.com). */
    static HttpRequestFacts testRequest() {
        return HttpRequestFacts.builder("POST", URI.create("https://example.com/foo?param=Value&Pet=dog"))
                .header("Host", "example.com")
                .header("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
                .header("Content-Type", "application/json")
                .header("Content-Digest", REQUEST_DIGEST)
                .header("Content-Length", "18")
                .build();
    }

    /** RFC 9421 appendix B.2's test-response (200, {@code {"message": "good dog"}}). */
    static HttpResponseFacts testResponse() {
        return HttpResponseFacts.builder(200)
                .header("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
                .header("Content-Type", "application/json")
                .header("Content-Digest", RESPONSE_DIGEST)
                .header("Content-Length", "23")
                .build();
    }

    /** RFC 9421 section 2.4's response (503) to the test-request. */
    static HttpResponseFacts section24Response() {
        return HttpResponseFacts.builder(503)
                .header("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
                .header("Content-Type", "application/json")
                .header("Content-Length", "62")
                .header("Content-Digest",
                        "sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:")
                .build();
    }

    static InnerList input(String member) throws Exception {
        String label = member.substring(0, member.indexOf('='));
        return (InnerList) StructuredFields.parseDictionary(member).get(label).orElseThrow();
    }

    static String lines(String... lines) {
        return String.join("\n", lines);
    }

    static SignatureVerifier p256() throws Exception {
        return PublicJwk.parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA\","
                + "\"y\":\"Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0\"}").verifier(JwsAlgorithm.ES256);
    }

    static boolean verifies(SignatureVerifier v, byte[] base, String signatureBase64) {
        return v.verify(base, 0, base.length, Base64.getDecoder().decode(signatureBase64));
    }

    @Test
    void HS_3_section25SignatureBaseOfTheTestRequest() throws Exception {
        InnerList in = input("sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\")"
                + ";created=1618884473;keyid=\"test-key-rsa-pss\"");
        assertThat(new String(SignatureBase.of(in, testRequest(), null), StandardCharsets.ISO_8859_1)).isEqualTo(lines(
                "\"@method\": POST",
                "\"@authority\": example.com",
                "\"@path\": /foo",
                "\"content-digest\": " + REQUEST_DIGEST,
                "\"content-length\": 18",
                "\"content-type\": application/json",
                "\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\")"
                        + ";created=1618884473;keyid=\"test-key-rsa-pss\""));
    }

    @Test
    void HS_3_appendixB21MinimalSignatureBase() throws Exception {
        InnerList in = input("sig-b21=();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"");
        assertThat(new String(SignatureBase.of(in, testRequest(), null), StandardCharsets.ISO_8859_1))
                .isEqualTo("\"@signature-params\": ();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"");
    }

    @Test
    void HS_3_appendixB23FullCoverageSignatureBase() throws Exception {
        String params = "(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\")"
                + ";created=1618884473;keyid=\"test-key-rsa-pss\"";
        assertThat(new String(SignatureBase.of(input("sig-b23=" + params), testRequest(), null), StandardCharsets.ISO_8859_1))
                .isEqualTo(lines(
                        "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
                        "\"@method\": POST",
                        "\"@path\": /foo",
                        "\"@query\": ?param=Value&Pet=dog",
                        "\"@authority\": example.com",
                        "\"content-type\": application/json",
                        "\"content-digest\": " + REQUEST_DIGEST,
                        "\"content-length\": 18",
                        "\"@signature-params\": " + params));
    }

    @Test
    void HS_6_appendixB24ResponseSignatureBaseAndItsP256SignatureVerifies() throws Exception {
        String params = "(\"@status\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\"";
        byte[] base = SignatureBase.of(input("sig-b24=" + params), testRequest(), testResponse());
        assertThat(new String(base, StandardCharsets.ISO_8859_1)).isEqualTo(lines(
                "\"@status\": 200",
                "\"content-type\": application/json",
                "\"content-digest\": " + RESPONSE_DIGEST,
                "\"content-length\": 23",
                "\"@signature-params\": " + params));
        String signature = "wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==";
        assertThat(verifies(p256(), base, signature)).isTrue();
        base[10] ^= 1;
        assertThat(verifies(p256(), base, signature)).as("control: one bit of the base changed").isFalse();
    }

    @Test
    void HS_6_section24RequestResponseSignatureBaseWithReqAndItsP256SignatureVerifies() throws Exception {
        String params = "(\"@status\" \"content-digest\" \"content-type\" \"@authority\";req \"@method\";req \"@path\";req"
                + " \"content-digest\";req);created=1618884479;keyid=\"test-key-ecc-p256\"";
        byte[] base = SignatureBase.of(input("reqres=" + params), testRequest(), section24Response());
        assertThat(new String(base, StandardCharsets.ISO_8859_1)).isEqualTo(lines(
                "\"@status\": 503",
                "\"content-digest\": sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:",
                "\"content-type\": application/json",
                "\"@authority\";req: example.com",
                "\"@method\";req: POST",
                "\"@path\";req: /foo",
                "\"content-digest\";req: " + REQUEST_DIGEST,
                "\"@signature-params\": " + params));
        assertThat(verifies(p256(), base,
                "dMT/A/76ehrdBTD/2Xx8QuKV6FoyzEP/I9hdzKN8LQJLNgzU4W767HK05rx1i8meNQQgQPgQp8wq2ive3tV5Ag==")).isTrue();
    }

    @Test
    void HS_1_appendixB26Ed25519SignatureIsReproducedExactly() throws Exception {
        String params = "(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473"
                + ";keyid=\"test-key-ed25519\"";
        byte[] base = SignatureBase.of(input("sig-b26=" + params), testRequest(), null);
        assertThat(new String(base, StandardCharsets.ISO_8859_1)).isEqualTo(lines(
                "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
                "\"@method\": POST",
                "\"@path\": /foo",
                "\"@authority\": example.com",
                "\"content-type\": application/json",
                "\"content-length\": 18",
                "\"@signature-params\": " + params));
        // RFC 9421 B.1.4 test-key-ed25519 as a JWK (RFC 8037)
        WorkloadKeyPair key = WorkloadKeyPair.fromPrivateJwk("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"d\":\"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU\",\"x\":\"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs\"}",
                JwsAlgorithm.EdDSA);
        String expected = "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==";
        assertThat(Base64.getEncoder().encodeToString(key.signer().sign(base))).isEqualTo(expected);
        assertThat(verifies(key.publicJwk().verifier(JwsAlgorithm.EdDSA), base, expected)).isTrue();
    }
}
