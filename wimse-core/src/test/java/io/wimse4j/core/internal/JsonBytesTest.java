package io.wimse4j.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StrictJson#parseObject(byte[], String)} reads bytes with {@link JsonBytes}; before, it decoded
 * them strictly to a String and parsed that with a strict Jackson reader. Both must accept the same
 * inputs, build equal trees (same node types) and refuse with the same {@link Reason}: the old path is
 * kept here as the reference and every input of the corpus goes through both.
 */
class JsonBytesTest {
    private static final ObjectReader REFERENCE;

    static {
        ObjectMapper m = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
                .build();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(StrictJson.MAX_DEPTH).build());
        REFERENCE = m.reader();
    }

    /** The outcome of the reference path: a tree, or the Reason it refuses with. */
    private static Object reference(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            return Reason.INVALID_JSON;
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            return Reason.INVALID_JSON;
        }
        JsonNode node;
        try {
            node = REFERENCE.readTree(text);
        } catch (Exception e) {
            return Reason.INVALID_JSON;
        }
        return node == null || !node.isObject() ? Reason.MALFORMED_TOKEN : node;
    }

    private static Object candidate(byte[] utf8) {
        try {
            return StrictJson.parseObject(utf8, "test");
        } catch (WimseException e) {
            return e.reason();
        }
    }

    static List<byte[]> corpus() {
        List<String> texts = new ArrayList<>(List.of(
                "{}", " {} ", "\t{\n}\r\n", "{\"a\":1}", "{\"a\":-1,\"b\":0,\"c\":-0}", "{\"a\":2147483647,\"b\":2147483648}",
                "{\"a\":-2147483648,\"b\":-2147483649}", "{\"a\":9223372036854775807,\"b\":9223372036854775808}",
                "{\"a\":-9223372036854775808,\"b\":-9223372036854775809}", "{\"a\":123456789012345678901234567890}",
                "{\"a\":1.5,\"b\":-0.0,\"c\":1e5,\"d\":1E+5,\"e\":1e-5,\"f\":1.25e400,\"g\":0.1}", "{\"exp\":1748779260.999}",
                "{\"a\":01}", "{\"a\":+1}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":0x10}",
                "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":1.5.3}", "{\"a\":12a}", "{\"a\":--1}",
                "{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":True}",
                "{\"a\":\"x\",\"a\":\"y\"}", "{\"a\":{\"b\":1,\"b\":2}}", "{\"a\":1,\"A\":2}", "{\"a\":[1,[2,[3]]],\"b\":[]}",
                "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{a:1}",
                "{'a':1}", "{\"a\":'x'}", "{\"a\":1}{}", "{\"a\":1} x", "{\"a\":1}\u0000", "[1]", "[]", "\"x\"", "1", "true",
                "null", "", "   ", "{", "}", "{\"a\":", "{\"a\"", "{\"a", "{\"a\":\"x", "{\"a\":[1", "{\"a\":{}",
                "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"a\":\"\\u0041\\u00e9\\u20AC\\uD83D\\uDE00\"}", "{\"a\":\"\\ud800\"}",
                "{\"a\":\"\\udc00x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\'\"}",
                "{\"a\":\"\\\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}", "{\"a\":\"nul\u0000\"}", "{\"a\":\"\u007f\"}",
                "{\"é\":\"ü€😀\",\"k\":\"日本\"}", "{\"\":1}", "{\"a\":\"\"}", "{\"alg\":\"ES256\",\"typ\":\"wpt+jwt\"}",
                "{\"typ\":\"wpt+jwt\",\"typ\":\"wpt+jwt\"}", "{\"alg\":\"ES256x\",\"ty\":\"wpt+jw\",\"typp\":1}",
                "{\"a\":1}//c", "/*c*/{}", "{\"a\":1}#", "\u00a0{}", "{\"a\":1\u000b}", "{\"a\":\"\\u0000\"}"));
        texts.add("{\"x\":" + "[".repeat(15) + "]".repeat(15) + "}");
        texts.add("{\"x\":" + "[".repeat(16) + "]".repeat(16) + "}");
        texts.add("{\"x\":" + "{\"y\":".repeat(15) + "1" + "}".repeat(15) + "}");
        texts.add("{\"x\":" + "{\"y\":".repeat(16) + "1" + "}".repeat(16) + "}");
        texts.add("{\"n\":" + "9".repeat(999) + "}");
        texts.add("{\"n\":" + "9".repeat(1001) + "}");
        List<byte[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(t.getBytes(StandardCharsets.UTF_8));
        }
        out.add(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}); // BOM
        out.add(bytes("{\"a\":\"", new int[] {0xc0, 0xaf}, "\"}")); // overlong '/'
        out.add(bytes("{\"a\":\"", new int[] {0xe0, 0x80, 0xaf}, "\"}")); // overlong
        out.add(bytes("{\"a\":\"", new int[] {0xed, 0xa0, 0x80}, "\"}")); // CESU surrogate
        out.add(bytes("{\"a\":\"", new int[] {0xf4, 0x90, 0x80, 0x80}, "\"}")); // above U+10FFFF
        out.add(bytes("{\"a\":\"", new int[] {0xf5, 0x80, 0x80, 0x80}, "\"}"));
        out.add(bytes("{\"a\":\"", new int[] {0x80}, "\"}")); // lone continuation
        out.add(bytes("{\"a\":\"", new int[] {0xe2, 0x82}, "\"}")); // truncated inside a string
        out.add(bytes("{\"a\":\"x\"}", new int[] {0xe2, 0x82}, "")); // truncated at the end
        out.add(bytes("{\"a\":\"", new int[] {0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9}, "\"}")); // valid 4- and 2-byte
        out.add(bytes("{\"a\":\"", new int[] {0xef, 0xbf, 0xbf}, "\"}")); // U+FFFF, valid
        out.add(new byte[] {0, '{', 0, '}'}); // UTF-16BE-looking
        out.add(new byte[] {'{', 0, '}', 0});
        out.add(bytes("{\"a\":", new int[] {0xc3, 0xa9}, "}")); // non-ASCII outside a string
        return out;
    }

    private static byte[] bytes(String before, int[] raw, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + raw.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        for (int k = 0; k < raw.length; k++) {
            out[a.length + k] = (byte) raw[k];
        }
        System.arraycopy(c, 0, out, a.length + raw.length, c.length);
        return out;
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void V_2_bytesParserAgreesWithTheStrictJacksonReference(byte[] input) {
        Object expected = reference(input);
        Object actual = candidate(input);
        assertThat(actual).as("input %s", new String(input, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        if (expected instanceof JsonNode tree) {
            assertThat(actual.toString()).isEqualTo(tree.toString()); // same node types print the same
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void V_2_aSliceParsesAsTheWholeArrayDoes(byte[] input) {
        byte[] padded = new byte[input.length + 6];
        padded[0] = padded[1] = padded[2] = '[';
        padded[padded.length - 1] = padded[padded.length - 2] = padded[padded.length - 3] = ']';
        System.arraycopy(input, 0, padded, 3, input.length);
        Object whole = candidate(input);
        Object slice;
        try {
            slice = StrictJson.parseObject(padded, 3, input.length, "test");
        } catch (WimseException e) {
            slice = e.reason();
        }
        assertThat(slice).isEqualTo(whole);
    }

    @org.junit.jupiter.api.Test
    void V_2_theLengthLimitsAreJacksonsForNamesAndStrictForNumbers() {
        byte[] longName = ("{\"" + "k".repeat(JsonBytes.MAX_NAME_LENGTH + 1) + "\":1}").getBytes(StandardCharsets.US_ASCII);
        assertThat(reference(longName)).isEqualTo(Reason.INVALID_JSON);
        assertThat(candidate(longName)).isEqualTo(Reason.INVALID_JSON);
        byte[] atLimit = ("{\"" + "k".repeat(JsonBytes.MAX_NAME_LENGTH) + "\":1}").getBytes(StandardCharsets.US_ASCII);
        assertThat(candidate(atLimit)).isInstanceOf(JsonNode.class);
        // a 1000-digit negative number: 1001 characters, refused here, accepted by Jackson (digits only)
        byte[] longNumber = ("{\"a\":-" + "9".repeat(1000) + "}").getBytes(StandardCharsets.US_ASCII);
        assertThat(candidate(longNumber)).isEqualTo(Reason.INVALID_JSON);
    }

    @org.junit.jupiter.api.Test
    void V_2_aUnicodeEscapeTakesAsciiHexDigitsOnly() {
        // Jackson 2.18 reads the low byte of any character as a hex digit: U+0130 as '0'
        byte[] input = "{\"a\":\"\\u000\u0130\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(candidate(input)).isEqualTo(Reason.INVALID_JSON);
    }
}
