package io.wimse4j.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.io.IOException;

/**
 * The one JSON parser for token parts: strict UTF-8 (no BOM, no overlong forms, RFC 7515/7519),
 * duplicate members rejected (RFC 7515 section 5.2 and
 * RFC 7519 section 4 allow either rejecting or last-wins; we reject), trailing data rejected,
 * nesting limited, and the top level must be an object.
 */
public final class StrictJson {
    /** Deepest nesting accepted in a token part. */
    public static final int MAX_DEPTH = 16;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    }

    private StrictJson() {
    }

    /** The shared mapper, for writing JSON. Never use it to read untrusted input directly. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses UTF-8 JSON that must be an object. */
    public static ObjectNode parseObject(byte[] utf8, String what) throws WimseException {
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(utf8)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new WimseException(Reason.INVALID_JSON, what + " is not valid UTF-8");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new WimseException(Reason.INVALID_JSON, what + " starts with a byte order mark");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            throw new WimseException(Reason.INVALID_JSON, what + " is not valid JSON: " + firstLine(e.getMessage()));
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
