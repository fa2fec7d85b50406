package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static io.wimse4j.httpsig.HsFixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 9530 {@code Content-Digest} as HS-5 uses it, against the published digests of RFC 9530 (section 2 and
 * appendix B's {@code {"hello": "world"}}), RFC 9421 (appendix B.2's test-response) and
 * draft-ietf-wimse-http-signature (its 404 response body).
 */
class ContentDigestTest {
    /** RFC 9530's example body and its published digests. */
    static final byte[] HELLO = "{\"hello\": \"world\"}".getBytes(StandardCharsets.US_ASCII);
    static final String HELLO_256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:";
    static final String HELLO_512 = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
    /** RFC 9421 appendix B.2's test-response body and its digest. */
    static final byte[] GOOD_DOG = "{\"message\": \"good dog\"}".getBytes(StandardCharsets.US_ASCII);
    static final String GOOD_DOG_512 = "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:";

    record Row(String name, List<String> fieldLines, byte[] body, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row ok(String name, byte[] body, String... lines) {
        return new Row(name, List.of(lines), body, null);
    }

    static Row bad(String name, Reason reason, byte[] body, String... lines) {
        return new Row(name, List.of(lines), body, reason);
    }

    static Stream<Row> rows() {
        return Stream.of(
                ok("HS-5 sha-256 (RFC 9530's example) → accepted", HELLO, HELLO_256),
                ok("HS-5 sha-512 (RFC 9530's example) → accepted", HELLO, HELLO_512),
                ok("HS-5 sha-512 of RFC 9421's test-response → accepted", GOOD_DOG, GOOD_DOG_512),
                ok("HS-5 both sha-256 and sha-512, both right → accepted", HELLO, HELLO_256 + ", " + HELLO_512),
                ok("HS-5 the two on two field lines → accepted", HELLO, HELLO_512, HELLO_256),
                ok("HS-5 an unknown algorithm beside sha-256 → ignored, accepted", HELLO, "sha3-256=:AAAA:, " + HELLO_256),
                ok("HS-5 an unknown algorithm with a value of another type → ignored, accepted", HELLO, "md5=42, " + HELLO_256),
                ok("HS-5 member parameters → ignored, accepted", HELLO, HELLO_256 + ";x=1"),
                bad("HS-5 only unknown algorithms → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST, HELLO,
                        "sha3-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, unixsum=:AAAA:"),
                bad("HS-5 no field line → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST, HELLO),
                bad("HS-5 not a dictionary (a bare byte sequence) → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST, HELLO,
                        ":X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"),
                bad("HS-5 an unclosed byte sequence → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST, HELLO,
                        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="),
                bad("HS-5 the algorithm in upper case (no Structured Field key) → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST,
                        HELLO, "SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"),
                bad("HS-5 sha-256 as a string, not a byte sequence → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST, HELLO,
                        "sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\""),
                bad("HS-5 the older Digest syntax (sha-256=base64) → MISSING_CONTENT_DIGEST", Reason.MISSING_CONTENT_DIGEST, HELLO,
                        "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="),
                bad("HS-5 a wrong sha-256 → CONTENT_DIGEST_MISMATCH", Reason.CONTENT_DIGEST_MISMATCH, HELLO,
                        "sha-256=:Y48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"),
                bad("HS-5 a right sha-256 beside a wrong sha-512 → CONTENT_DIGEST_MISMATCH", Reason.CONTENT_DIGEST_MISMATCH, HELLO,
                        HELLO_256 + ", " + GOOD_DOG_512),
                bad("HS-5 the digest of another body → CONTENT_DIGEST_MISMATCH", Reason.CONTENT_DIGEST_MISMATCH, GOOD_DOG, HELLO_512),
                bad("HS-5 a truncated digest → CONTENT_DIGEST_MISMATCH", Reason.CONTENT_DIGEST_MISMATCH, HELLO, "sha-256=:X48E9qOokqqrvdts:"),
                bad("HS-5 a digest of the body for an empty body → CONTENT_DIGEST_MISMATCH", Reason.CONTENT_DIGEST_MISMATCH, new byte[0],
                        HELLO_256));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void HS_5_theRecipientRecomputesTheDigest(Row row) {
        if (row.refusal() == null) {
            assertThatCode(() -> ContentDigest.verify(row.fieldLines(), row.body())).doesNotThrowAnyException();
        } else {
            assertRejected(() -> ContentDigest.verify(row.fieldLines(), row.body()), row.refusal());
        }
    }

    @Test
    void HS_5_contentDigestOfIsTheDraftsKnownAnswer() {
        // draft-ietf-wimse-http-signature's 404 response: the 21 bytes "No ice cream today.\n\n"
        byte[] body = "No ice cream today.\n\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(body).hasSize(21);
        assertThat(ContentDigest.of(body)).isEqualTo("sha-256=:UHKweBl9cpjdVqgTB65El8SexXlJYGG+XIslAYqC1mY=:");
        assertThat(ContentDigest.of(HELLO)).isEqualTo(HELLO_256);
        assertThat(ContentDigest.of(new byte[0])).as("SHA-256 of nothing").isEqualTo("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
    }

    @Test
    void HS_5_whatContentDigestOfWritesVerifies() {
        byte[] body = new byte[70_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        assertThatCode(() -> ContentDigest.verify(List.of(ContentDigest.of(body)), body)).doesNotThrowAnyException();
        body[69_999] ^= 1;
        String stale = ContentDigest.of(new byte[] {1});
        assertRejected(() -> ContentDigest.verify(List.of(stale), body), Reason.CONTENT_DIGEST_MISMATCH);
        assertThatThrownBy(() -> ContentDigest.of(null)).isInstanceOf(NullPointerException.class);
    }
}
