package io.wimse4j.cli;

import io.wimse4j.core.error.Reason;
import io.wimse4j.httpsig.RequestSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.cli.HttpsigCommandTest.JSON_BODY;
import static io.wimse4j.cli.HttpsigCommandTest.SERVER;
import static io.wimse4j.cli.HttpsigCommandTest.TD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse httpsig verify --request}: a response signed by {@code wimse httpsig sign} for a request the
 * library signed is verified from the two texts, as its client would (HS-6), and each tampering, another
 * request, or a missing signature the request asked for is refused with its {@link Reason}.
 */
class HttpsigVerifyResponseCommandTest {
    private static final String RESPONSE = "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"ok\":true}";

    @TempDir
    Path dir;
    private HttpsigWorkspace w;

    @BeforeEach
    void identities() {
        w = HttpsigWorkspace.withIdentities(dir, false);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("HS-6 the signed response verifies against its request", (UnaryOperator<String>) t -> t, false, null),
                Arguments.of("HS-6 the status changed → BAD_SIGNATURE",
                        (UnaryOperator<String>) t -> t.replace("HTTP/1.1 200 OK", "HTTP/1.1 201 Created"), false, "BAD_SIGNATURE"),
                Arguments.of("HS-6 the body changed → CONTENT_DIGEST_MISMATCH",
                        (UnaryOperator<String>) t -> t.replace("{\"ok\":true}", "{\"ok\":null}"), false, "CONTENT_DIGEST_MISMATCH"),
                Arguments.of("HS-6 the answer to another request → REQUEST_NONCE_MISMATCH", (UnaryOperator<String>) t -> t, true,
                        "REQUEST_NONCE_MISMATCH"),
                Arguments.of("HS-6 unsigned though the request asked → UNSIGNED_RESPONSE",
                        (UnaryOperator<String>) t -> t.replaceFirst("Signature-Input: [^\\n]*\\n", "").replaceFirst("Signature: [^\\n]*\\n", ""),
                        false, "UNSIGNED_RESPONSE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void HS_6_theCliVerifiesAResponseAgainstTheRequestItAnswers(String name, UnaryOperator<String> tamper, boolean otherRequest,
                                                               String expected) throws Exception {
        RequestSignature sent = w.clientSigns();
        Path request = w.file("request.http", w.text(sent, JSON_BODY));
        Cli.Result signed = w.signResponse(request, w.file("response.http", RESPONSE));
        assertThat(signed.exit()).as(signed.err()).isZero();
        Path response = w.file("signed-response.http", tamper.apply(signed.out()));
        Path against = otherRequest ? w.file("other.http", w.text(w.clientSigns(), JSON_BODY)) : request;
        Cli.Result r = Cli.run("httpsig", "verify", "--trust", TD + "=" + dir.resolve("issuer.pub.jwk"), "--in", response.toString(),
                "--request", against.toString());
        if (expected == null) {
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(SERVER + Cli.NL).contains("covered: \"@status\"").contains("\"@method\";req");
        } else {
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(WimseCli.REJECTED);
            assertThat(r.out()).startsWith(expected + ": ");
        }
        assertThat(r.out()).doesNotContain(w.wit("server")).doesNotContain(w.wit("ed25519"));
    }
}
