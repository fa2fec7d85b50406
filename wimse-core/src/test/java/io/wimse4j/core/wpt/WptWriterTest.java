package io.wimse4j.core.wpt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.wimse4j.testkit.Fixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WptCreator} writes the claims JSON itself (no tree, no Jackson generator): the result must be
 * the JSON object a tree would have given, member for member, escapes and {@code oth} included.
 */
class WptWriterTest {
    final Fixture f = new Fixture();

    @Test
    void WPT_10_writtenClaimsEqualTheTreeTheyReplace() throws Exception {
        String audience = "https://service.example.org/a\"b\\c\u0001\t\u00e9\u20ac\ud83d\ude00";
        ProofBindings bindings = new ProofBindings(Optional.of("access"), Optional.of("txn"),
                Map.of("X-Custom", " v1 ", "x-custom", "v2", "Other", "o"));
        String wpt = f.creator().create(f.credentials(), audience, bindings);
        ObjectNode claims = CompactJws.parse(wpt, 8192).payload();

        ObjectNode expected = StrictJson.mapper().createObjectNode();
        long iat = NOW.getEpochSecond();
        expected.put("aud", audience).put("iat", iat).put("exp", iat + f.creator().ttl().getSeconds())
                .put("jti", claims.get("jti").textValue()).put("wth", Hashes.tokenHash(f.wit))
                .put("ath", Hashes.tokenHash("access")).put("tth", Hashes.tokenHash("txn"));
        ObjectNode oth = expected.putObject("oth");
        new java.util.TreeMap<>(bindings.others()).forEach((k, v) -> oth.put(k.toLowerCase(java.util.Locale.ROOT), Hashes.tokenHash(v.trim())));
        assertThat(claims).isEqualTo(StrictJson.parseObject(StrictJson.mapper().writeValueAsBytes(expected), "expected"));
        assertThat(claims.get("oth").get("x-custom").textValue()).isEqualTo(Hashes.tokenHash("v2"));
        assertThat(claims.get("jti").textValue()).hasSize(22);
    }

    @Test
    void WPT_10_anUnpairedSurrogateIsSignedAsGivenNotAsAQuestionMark() throws Exception {
        // UTF-8 cannot carry a lone surrogate: String.getBytes would write '?', and
        // "https://svc/a\uD800b" would be signed as "https://svc/a?b" (a query)
        for (String audience : new String[] {"https://svc.example/a\ud800b", "https://svc.example/a\udc00", "https://svc.example/\ude00\ud83d"}) {
            String wpt = f.creator().create(f.credentials(), audience, ProofBindings.NONE);
            ObjectNode claims = CompactJws.parse(wpt, 8192).payload();
            assertThat(claims.get("aud").textValue()).isEqualTo(audience);
            assertThat(new String(Base64.getUrlDecoder().decode(wpt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotContain("?").contains("\\u");
        }
        StringBuilder json = io.wimse4j.core.internal.JwsWriter.appendJsonString(new StringBuilder(), "x\ud83d\ude00\ud800y");
        assertThat(json.toString()).isEqualTo("\"x\ud83d\ude00\\ud800y\"");
    }

    @Test
    void WPT_7_base64urlEncodingIntoAnArrayIsTheJdkEncoding() {
        Random random = new Random(7);
        for (int n = 0; n < 70; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            byte[] out = new byte[Base64Url.encodedLength(n) + 2];
            int written = Base64Url.encodeInto(data, out, 1);
            assertThat(new String(out, 1, written, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
            assertThat(written).isEqualTo(Base64Url.encodedLength(n));
        }
    }
}
