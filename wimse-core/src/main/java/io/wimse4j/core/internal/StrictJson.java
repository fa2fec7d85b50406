package io.wimse4j.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.io.IOException;

/**
 * The one JSON parser for token parts: strict UTF-8 (no BOM, no overlong forms, RFC 7515/7519),
 * duplicate members rejected (RFC 7515 section 5.2 and
 * RFC 7519 section 4 allow either rejecting or last-wins; we reject), trailing data rejected,
 * nesting limited, and the top level must be an object. Objects are read straight from their UTF-8
 * bytes by {@link JsonBytes} (the request hot path parses two per token); {@link #parse(String, String)}
 * uses the equally strict Jackson reader.
 */
public final class StrictJson {
    /** Deepest nesting accepted in a token part. */
    public static final int MAX_DEPTH = 16;

    /**
     * The parser of untrusted input. It is never handed out: nobody can reconfigure it (turn off
     * duplicate detection, say) behind the token parsers' back. An {@link ObjectReader} is immutable.
     */
    private static final ObjectReader READER;

    /** A separate mapper for writing JSON and building trees; parsing never goes through it. */
    private static final ObjectMapper WRITER = JsonMapper.builder().build();

    static {
        ObjectMapper parsing = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
                .build();
        parsing.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        READER = parsing.reader();
    }

    private StrictJson() {
    }

    /**
     * The mapper for <em>writing</em> JSON (serializing, building and converting trees). It is not
     * the strict parser: read untrusted input with {@link #parseObject} or {@link #parse}.
     */
    public static ObjectMapper mapper() {
        return WRITER;
    }

    /** A tree as plain Java values (String, Number, Boolean, List, Map, null). */
    public static Object toJava(JsonNode node) {
        return WRITER.convertValue(node, Object.class);
    }

    /** Parses untrusted JSON text of any top-level kind, strictly. */
    public static JsonNode parse(String json, String what) throws WimseException {
        try {
            JsonNode node = READER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new WimseException(Reason.INVALID_JSON, what + " is empty");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw new WimseException(Reason.INVALID_JSON, what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Parses UTF-8 JSON that must be an object. */
    public static ObjectNode parseObject(byte[] utf8, String what) throws WimseException {
        return parseObject(utf8, 0, utf8.length, what);
    }

    /**
     * Parses the UTF-8 JSON in {@code utf8[off, off+len)}, which must be an object: strict UTF-8
     * first (no BOM, no overlong form, no surrogate), then the JSON straight from the bytes
     * ({@link JsonBytes}: no String decoding and no Jackson parser per call).
     */
    public static ObjectNode parseObject(byte[] utf8, int off, int len, String what) throws WimseException {
        if (!Utf8.isWellFormed(utf8, off, len)) {
            throw new WimseException(Reason.INVALID_JSON, what + " is not valid UTF-8");
        }
        if (len >= 3 && (utf8[off] & 0xff) == 0xef && (utf8[off + 1] & 0xff) == 0xbb && (utf8[off + 2] & 0xff) == 0xbf) {
            throw new WimseException(Reason.INVALID_JSON, what + " starts with a byte order mark");
        }
        JsonNode node;
        try {
            node = JsonBytes.parse(utf8, off, len);
        } catch (JsonBytes.Malformed e) {
            throw new WimseException(Reason.INVALID_JSON, what + " is not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new WimseException(Reason.MALFORMED_TOKEN, what + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Parses a UTF-8 string that must be a JSON object. */
    public static ObjectNode parseObject(String json, String what) throws WimseException {
        return parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), what);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) : line;
    }
}
