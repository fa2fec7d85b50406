package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.httpsig.HttpMessageText;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.httpsig.VerifiedSignedResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.cli.Cli.NL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code wimse httpsig sign} and {@code wimse httpsig verify} with real keys and WITs made by {@code wimse keygen} and
 * {@code wimse wit issue}, in real files: signed requests verify, each tampering or policy is refused with its
 * {@link Reason}, a response is signed only for a request that verifies, and what the CLI signs as a server the
 * library verifies as the client that kept its {@link RequestSignature}.
 */
class HttpsigCommandTest {
    static final String TD = "shop.example";
    static final String CLIENT = "wimse://shop.example/svc-a";
    static final String SERVER = "wimse://shop.example/svc-b";
    static final String AUD = "https://svc-b.shop.example/orders";
    static final String JSON_BODY = "{\"item\":\"cone\",\"scoops\":2}";
    static final String GET = "GET /orders?page=2 HTTP/1.1\nHost: svc-b.shop.example\nAccept: application/json\n\n";
    static final String POST = "POST /orders HTTP/1.1\r\nHost: svc-b.shop.example\r\nContent-Type: application/json\r\n\r\n" + JSON_BODY;

    @TempDir
    Path dir;

    /** One row: the client's key algorithm, the request, extra sign options, a tampering of the signed text, extra verify options, the refusal. */
    record Row(String name, String alg, String request, List<String> sign, UnaryOperator<String> tamper, List<String> verify,
               String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private HttpsigWorkspace w;

    @BeforeEach
    void identities() {
        w = HttpsigWorkspace.withIdentities(dir, true);
    }

    static Stream<Arguments> rows() {
        long now = Instant.now().getEpochSecond();
        return Stream.of(
                ok("HS-1 Ed25519: a GET signed by the CLI verifies", "ed25519", GET),
                ok("HS-1 ES256: a GET signed by the CLI verifies", "es256", GET),
                ok("HS-5 a POST gets its Content-Digest and verifies", "ed25519", POST),
                ok("HS-5 a POST with Content-Length verifies", "es256",
                        "PUT /orders HTTP/1.1\nHost: svc-b.shop.example\nContent-Type: text/plain\nContent-Length: 5\n\nhello"),
                row("HS-3 --draft 06 (@request-target) verifies", "ed25519", GET, List.of("--draft", "06"), t -> t, List.of(), null),
                row("HS-3 a -06 signature refused by --draft 07 → UNCOVERED_COMPONENT", "ed25519", GET, List.of("--draft", "06"), t -> t,
                        List.of("--draft", "07"), "UNCOVERED_COMPONENT"),
                row("HS-2 another --label is still found by its tag", "es256", GET, List.of("--label", "sig1"), t -> t, List.of(), null),
                row("HS-6 --sign-response verifies", "ed25519", POST, List.of("--sign-response"), t -> t, List.of(), null),
                row("HS-4 signed for another --audience → AUDIENCE_MISMATCH", "ed25519", GET,
                        List.of("--audience", "https://svc-c.shop.example/orders"), t -> t, List.of(), "AUDIENCE_MISMATCH"),
                row("HS-5 the body changed → CONTENT_DIGEST_MISMATCH", "ed25519", POST, List.of(),
                        t -> t.replace("\"scoops\":2", "\"scoops\":9"), List.of(), "CONTENT_DIGEST_MISMATCH"),
                row("HS-3 the covered Content-Digest removed → ABSENT_COMPONENT", "es256", POST, List.of(),
                        t -> t.replaceFirst("Content-Digest: [^\\n]*\\n", ""), List.of(), "ABSENT_COMPONENT"),
                row("HS-3 a covered header changed → BAD_SIGNATURE", "es256", POST, List.of(),
                        t -> t.replace("Content-Type: application/json", "Content-Type: text/plain"), List.of(), "BAD_SIGNATURE"),
                row("HS-3 @query changed → BAD_SIGNATURE", "ed25519", GET, List.of(), t -> t.replace("?page=2", "?page=3"), List.of(),
                        "BAD_SIGNATURE"),
                row("HS-3 @method changed → BAD_SIGNATURE", "es256", POST, List.of(), t -> t.replace("POST /orders", "PUT /orders"),
                        List.of(), "BAD_SIGNATURE"),
                row("HS-1 a keyid parameter added → FORBIDDEN_SIGNATURE_PARAMETER", "ed25519", GET, List.of(),
                        t -> t.replace(";tag=", ";keyid=\"k1\";tag="), List.of(), "FORBIDDEN_SIGNATURE_PARAMETER"),
                row("HS-2 the tag changed → MISSING_SIGNATURE", "ed25519", GET, List.of(),
                        t -> t.replace("tag=\"wimse-workload-to-workload\"", "tag=\"other\""), List.of(), "MISSING_SIGNATURE"),
                row("HS-4 verified after expires and the leeway (--now) → EXPIRED", "es256", GET, List.of("--lifetime", "5"), t -> t,
                        List.of("--now", Long.toString(now + 600)), "EXPIRED"),
                row("HS-4 a lifetime over --max-lifetime → LIFETIME_TOO_LONG", "ed25519", GET, List.of("--lifetime", "300"), t -> t,
                        List.of("--max-lifetime", "120"), "LIFETIME_TOO_LONG"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void HS_1_signedRequestsVerifyAndEachTamperingIsRefused(Row row) throws IOException {
        List<String> sign = new ArrayList<>(List.of("httpsig", "sign", "--wit", "@" + dir.resolve(row.alg() + ".wit"),
                "--key", dir.resolve(row.alg() + ".jwk").toString(), "--in", w.file("request.http", row.request()).toString()));
        sign.addAll(row.sign());
        Cli.Result signed = Cli.run(sign.toArray(String[]::new));
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.err()).isEmpty();
        String text = row.tamper().apply(signed.out());
        Cli.Result r = w.verify(w.file("signed.http", text), row.verify().toArray(String[]::new));
        if (row.expected() == null) {
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            String[] lines = r.out().split(NL);
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).isEqualTo(CLIENT);
            assertThat(lines[1]).startsWith("covered: \"@method\" " + (row.sign().contains("06") ? "\"@request-target\"" : "\"@path\" \"@query\""))
                    .contains("\"workload-identity-token\"");
            if (row.request().contains("Content-Type")) {
                assertThat(lines[1]).endsWith("\"content-type\" \"content-digest\"");
            }
        } else {
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(WimseCli.REJECTED);
            assertThat(r.out()).startsWith(row.expected() + ": ");
            assertThat(r.out().strip()).doesNotContain(NL);
        }
        assertNoSecrets(r, signed.out());
    }

    @Test
    void HS_1_aWitSwappedForAnotherWorkloadsIsRefusedForItsKey() throws IOException {
        Cli.Result signed = w.sign("ed25519", w.file("request.http", GET));
        Cli.Result r = w.verify(w.file("signed.http", signed.out().replace(w.wit("ed25519"), w.wit("es256"))));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("BAD_SIGNATURE: ");
    }

    @Test
    void HS_1_theSignedRequestKeepsTheMessageAndAddsTheFourHeaders() throws IOException {
        Cli.Result signed = w.sign("ed25519", w.file("request.http", POST), "--sign-response");
        assertThat(signed.exit()).as(signed.err()).isZero();
        HttpMessageText m = HttpMessageText.parse(signed.out().getBytes(StandardCharsets.UTF_8));
        assertThat(m.startLine()).isEqualTo("POST /orders HTTP/1.1");
        assertThat(m.headers()).extracting(Map.Entry::getKey).containsExactly("Host", "Content-Type", "Workload-Identity-Token",
                "Content-Digest", "Signature-Input", "Signature");
        assertThat(m.values("Workload-Identity-Token")).containsExactly(w.wit("ed25519"));
        assertThat(m.values("Signature-Input").get(0))
                .startsWith("wimse=(\"@method\" \"@path\" \"@query\" \"workload-identity-token\" \"content-type\" \"content-digest\");created=")
                .contains(";tag=\"wimse-workload-to-workload\";wimse-aud=\"" + AUD + "\";wimse-sign-response")
                .doesNotContain("keyid", "alg=");
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo(JSON_BODY);
    }

    @Test
    void HS_4_verifyJsonNamesTheCallerAndTheSignatureButNoSecret() throws IOException {
        Cli.Result signed = w.sign("es256", w.file("request.http", GET), "--sign-response", "--lifetime", "30");
        Cli.Result r = w.verify(w.file("signed.http", signed.out()), "--json");
        assertThat(r.exit()).as(r.out()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("valid").asBoolean()).isTrue();
        assertThat(j.get("workload").asText()).isEqualTo(CLIENT);
        assertThat(j.get("trust_domain").asText()).isEqualTo(TD);
        assertThat(j.get("draft").asText()).isEqualTo("07");
        assertThat(j.get("audience").asText()).isEqualTo(AUD);
        assertThat(j.get("sign_response").asBoolean()).isTrue();
        assertThat(j.get("expires").asLong() - j.get("created").asLong()).isEqualTo(30);
        assertThat(j.get("covered")).hasSize(4);
        assertNoSecrets(r, signed.out());

        Cli.Result bad = w.verify(w.file("tampered.http", signed.out().replace("?page=2", "?page=1")), "--json");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.json().get("reason").asText()).isEqualTo("BAD_SIGNATURE");
        assertThat(bad.json().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void HS_7_aWitFromAnUntrustedKeyIsRefused() throws IOException {
        Cli.Result signed = w.sign("ed25519", w.file("request.http", GET));
        // the trust bundle holds the server workload's public key, not the Identity Server's
        Cli.Result r = Cli.run("httpsig", "verify", "--trust", TD + "=" + dir.resolve("server.pub.jwk"), "--audience", AUD,
                "--in", w.file("signed.http", signed.out()).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("UNKNOWN_KEY: ");
        Cli.Result otherDomain = Cli.run("httpsig", "verify", "--trust", "other.example=" + dir.resolve("issuer.pub.jwk"),
                "--audience", AUD, "--in", w.file("signed2.http", signed.out()).toString());
        assertThat(otherDomain.out()).startsWith("UNTRUSTED_TRUST_DOMAIN: ");
    }

    @Test
    void signAndVerifyReadStandardInputAndSignWritesAFile() throws IOException {
        Path out = dir.resolve("out.http");
        Cli.Result signed = Cli.runWithStdin(POST, "httpsig", "sign", "--wit", "@" + dir.resolve("es256.wit"),
                "--key", dir.resolve("es256.jwk").toString(), "--out", out.toString());
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.out()).isEmpty();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Cli.Result r = Cli.runWithStdin(text, "httpsig", "verify", "--trust", TD + "=" + dir.resolve("issuer.pub.jwk"),
                "--audience", AUD);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).startsWith(CLIENT + NL);
    }

    @Test
    void HS_3_anOriginFormRequestWithoutHostTakesItsTargetFromBaseUri() throws IOException {
        String noHost = "DELETE /orders/9 HTTP/1.1\nAccept: */*\n\n";
        Cli.Result withoutBase = w.sign("ed25519", w.file("request.http", noHost));
        assertThat(withoutBase.exit()).isEqualTo(2);
        assertThat(withoutBase.err()).contains("Host");
        Cli.Result signed = w.sign("ed25519", w.file("request.http", noHost), "--base-uri", "https://svc-b.shop.example");
        assertThat(signed.exit()).as(signed.err()).isZero();
        Cli.Result r = Cli.run("httpsig", "verify", "--trust", TD + "=" + dir.resolve("issuer.pub.jwk"),
                "--audience", "https://svc-b.shop.example/orders/9", "--base-uri", "https://svc-b.shop.example",
                "--in", w.file("signed.http", signed.out()).toString());
        assertThat(r.exit()).as(r.out()).isZero();
    }

    // ------------------------------------------------------------------------------------------- responses

    /** The client is the library (it keeps its RequestSignature); the server signs its response with the CLI. */
    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("HS-6 a 200 with a body is signed and verifies, bound to its request",
                        "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"ok\":true}", (UnaryOperator<String>) t -> t, null),
                Arguments.of("HS-6 a 404 without a body is signed and verifies",
                        "HTTP/1.1 404 Not Found\n\n", (UnaryOperator<String>) t -> t, null),
                Arguments.of("HS-6 the status changed → BAD_SIGNATURE", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"ok\":true}",
                        (UnaryOperator<String>) t -> t.replace("HTTP/1.1 200 OK", "HTTP/1.1 201 Created"), Reason.BAD_SIGNATURE),
                Arguments.of("HS-6 the body changed → CONTENT_DIGEST_MISMATCH",
                        "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"ok\":true}",
                        (UnaryOperator<String>) t -> t.replace("{\"ok\":true}", "{\"ok\":null}"), Reason.CONTENT_DIGEST_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void HS_6_theCliSignsTheResponseToAVerifiedRequest(String name, String response, UnaryOperator<String> tamper, Reason expected)
            throws Exception {
        RequestSignature sent = w.clientSigns();
        Cli.Result signed = w.signResponse(w.file("request.http", w.text(sent, JSON_BODY)), w.file("response.http", response));
        assertThat(signed.exit()).as(signed.err()).isZero();
        HttpMessageText m = HttpMessageText.parse(tamper.apply(signed.out()).getBytes(StandardCharsets.UTF_8));
        assertThat(m.values("Signature-Input").get(0)).contains("\"@method\";req \"@path\";req \"@query\";req")
                .contains(";wimse-req-nonce=\"" + sent.nonce() + "\"");
        HttpSignatureVerifier client = HttpSignatureVerifier.builder().trust(w.trust()).audience(AUD).build();
        if (expected == null) {
            VerifiedSignedResponse v = client.verifyResponse(m.responseFacts(), m.body(), sent).orElseThrow();
            assertThat(v.workload().value()).isEqualTo(SERVER);
        } else {
            assertThatThrownBy(() -> client.verifyResponse(m.responseFacts(), m.body(), sent))
                    .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(expected));
        }
    }

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                Arguments.of("HS-3 the request's body changed → CONTENT_DIGEST_MISMATCH",
                        (UnaryOperator<String>) t -> t.replace("\"scoops\":2", "\"scoops\":3"), List.of(), "CONTENT_DIGEST_MISMATCH"),
                Arguments.of("HS-3 the request's path changed → BAD_SIGNATURE",
                        (UnaryOperator<String>) t -> t.replace("POST /orders HTTP", "POST /orders/1 HTTP"), List.of(), "BAD_SIGNATURE"),
                Arguments.of("HS-4 the request is for another audience → AUDIENCE_MISMATCH", (UnaryOperator<String>) t -> t,
                        List.of("--audience", "https://svc-c.shop.example/orders"), "AUDIENCE_MISMATCH"),
                Arguments.of("HS-2 the request is unsigned → MISSING_SIGNATURE",
                        (UnaryOperator<String>) t -> t.replaceFirst("(?i)signature-input: [^\\n]*\\n", ""), List.of(), "MISSING_SIGNATURE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void HS_7_noResponseIsSignedForARequestThatDoesNotVerify(String name, UnaryOperator<String> tamper, List<String> audience,
                                                             String expected) throws Exception {
        RequestSignature sent = w.clientSigns();
        Path request = w.file("request.http", tamper.apply(w.text(sent, JSON_BODY)));
        Path response = w.file("response.http", "HTTP/1.1 200 OK\n\n");
        List<String> args = new ArrayList<>(List.of("httpsig", "sign", "--wit", "@" + dir.resolve("server.wit"),
                "--key", dir.resolve("server.jwk").toString(), "--in", response.toString(), "--request", request.toString(),
                "--trust", TD + "=" + dir.resolve("issuer.pub.jwk")));
        args.addAll(audience.isEmpty() ? List.of("--audience", AUD) : audience);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("wimse httpsig sign: " + expected + ": ");
        assertThat(r.err()).doesNotContain(w.wit("ed25519"));
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** Neither the WIT nor the signature appears in what verify printed. */
    private void assertNoSecrets(Cli.Result r, String signedText) throws IOException {
        String all = r.out() + r.err();
        for (String name : List.of("ed25519", "es256", "server")) {
            assertThat(all).doesNotContain(w.wit(name));
        }
        HttpMessageText m = HttpMessageText.parse(signedText.getBytes(StandardCharsets.UTF_8));
        for (String signature : m.values("Signature")) {
            String bytes = signature.substring(signature.indexOf(":") + 1, signature.lastIndexOf(':'));
            assertThat(all).doesNotContain(bytes);
        }
    }

    private static Arguments ok(String name, String alg, String request) {
        return row(name, alg, request, List.of(), t -> t, List.of(), null);
    }

    private static Arguments row(String name, String alg, String request, List<String> sign, UnaryOperator<String> tamper,
                                 List<String> verify, String expected) {
        return Arguments.of(new Row(name, alg, request, sign, tamper, verify, expected));
    }
}
