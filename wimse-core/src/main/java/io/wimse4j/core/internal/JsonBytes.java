package io.wimse4j.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The strict RFC 8259 parser behind {@link StrictJson#parseObject(byte[], String)}: reads UTF-8
 * bytes (already checked by {@link Utf8#isWellFormed}) straight into a Jackson tree, with no String
 * decoding step, no Jackson parser or deserialization context per call, and member names and
 * common JOSE values shared rather than allocated. It accepts what the strict Jackson reader
 * accepted (with Jackson's length limits for names and strings; a number is limited to 1000
 * characters in all where Jackson counts only its digits, and a {@code \}{@code u} escape takes
 * ASCII hex digits only, where Jackson 2.18 also takes some non-ASCII characters) and builds the same tree (same node types: int, long or big integer by size,
 * double for a fraction or exponent): a test compares the two on a corpus. Duplicate members,
 * trailing data, nesting deeper than {@link StrictJson#MAX_DEPTH}, leading zeros, a {@code +}
 * sign, unescaped control characters and any non-standard syntax are refused (V-2: a well-formed
 * JWT, RFC 7515 section 5.2). Not API.
 */
final class JsonBytes {
    /**
     * Longest number accepted, in characters, sign, point and exponent included (Jackson's default
     * limit of 1000 counts digits only, so this is slightly stricter).
     */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Longest member name, in characters (Jackson's default limit). */
    static final int MAX_NAME_LENGTH = 50_000;
    /** Longest string value, in characters (Jackson's default limit). */
    static final int MAX_STRING_LENGTH = 20_000_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A syntax error; the message never quotes the input. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message, int offset) {
            super(message + " at byte " + offset, null, false, false);
        }
    }

    private final byte[] b;
    private final int end;
    private int i;
    private int depth;

    private JsonBytes(byte[] b, int off, int len) {
        this.b = b;
        this.i = off;
        this.end = off + len;
    }

    /**
     * Parses one JSON value filling {@code b[off, off+len)} (whitespace around it allowed); null when
     * there is nothing but whitespace.
     */
    static JsonNode parse(byte[] b, int off, int len) throws Malformed {
        JsonBytes p = new JsonBytes(b, off, len);
        p.skipWhitespace();
        if (p.i == p.end) {
            return null;
        }
        JsonNode node = p.value();
        p.skipWhitespace();
        if (p.i != p.end) {
            throw new Malformed("trailing data after the JSON value", p.i);
        }
        return node;
    }

    private void skipWhitespace() {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private JsonNode value() throws Malformed {
        if (i >= end) {
            throw new Malformed("unexpected end of input", i);
        }
        byte c = b[i];
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return TextNode.valueOf(checked(string(), MAX_STRING_LENGTH, "string"));
            case 't':
                literal("true");
                return BooleanNode.TRUE;
            case 'f':
                literal("false");
                return BooleanNode.FALSE;
            case 'n':
                literal("null");
                return NullNode.getInstance();
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new Malformed("unexpected character", i);
        }
    }

    private void enter() throws Malformed {
        if (++depth > StrictJson.MAX_DEPTH) {
            throw new Malformed("nesting deeper than " + StrictJson.MAX_DEPTH, i);
        }
    }

    private ObjectNode object() throws Malformed {
        enter();
        i++; // '{'
        ObjectNode o = new ObjectNode(NODES);
        skipWhitespace();
        if (i < end && b[i] == '}') {
            i++;
            depth--;
            return o;
        }
        while (true) {
            skipWhitespace();
            if (i >= end || b[i] != '"') {
                throw new Malformed("expected a member name", i);
            }
            int at = i;
            String name = checked(string(), MAX_NAME_LENGTH, "member name");
            skipWhitespace();
            if (i >= end || b[i] != ':') {
                throw new Malformed("expected ':'", i);
            }
            i++;
            skipWhitespace();
            if (o.replace(name, value()) != null) {
                throw new Malformed("duplicate member", at);
            }
            skipWhitespace();
            if (i >= end) {
                throw new Malformed("unterminated object", i);
            }
            byte c = b[i++];
            if (c == '}') {
                depth--;
                return o;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or '}'", i - 1);
            }
        }
    }

    private ArrayNode array() throws Malformed {
        enter();
        i++; // '['
        ArrayNode a = new ArrayNode(NODES);
        skipWhitespace();
        if (i < end && b[i] == ']') {
            i++;
            depth--;
            return a;
        }
        while (true) {
            skipWhitespace();
            a.add(value());
            skipWhitespace();
            if (i >= end) {
                throw new Malformed("unterminated array", i);
            }
            byte c = b[i++];
            if (c == ']') {
                depth--;
                return a;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or ']'", i - 1);
            }
        }
    }

    private void literal(String word) throws Malformed {
        int n = word.length();
        if (end - i < n) {
            throw new Malformed("unexpected end of input", i);
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw new Malformed("unexpected character", i + k);
            }
        }
        i += n;
        if (i < end && isWordByte(b[i])) {
            throw new Malformed("unexpected character", i); // "truex", "nullnull"
        }
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c < 0;
    }

    /** {@code s}, unless it is longer than {@code max} characters (Jackson's default limits, kept). */
    private String checked(String s, int max, String what) throws Malformed {
        if (s.length() > max) {
            throw new Malformed(what + " longer than " + max + " characters", i);
        }
        return s;
    }

    /** A string starting at the opening quote; {@link #i} ends after the closing quote. */
    private String string() throws Malformed {
        int start = ++i;
        while (i < end) { // fast path: printable ASCII without escapes
            byte c = b[i];
            if (c == '"') {
                i++;
                return ascii(start, i - 1 - start);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            i++;
        }
        StringBuilder s = new StringBuilder(Math.max(16, i - start + 16));
        for (int k = start; k < i; k++) {
            s.append((char) b[k]);
        }
        while (i < end) {
            int c = b[i] & 0xff;
            if (c == '"') {
                i++;
                return s.toString();
            }
            if (c < 0x20) {
                throw new Malformed("unescaped control character in a string", i);
            }
            if (c == '\\') {
                escape(s);
            } else if (c < 0x80) {
                s.append((char) c);
                i++;
            } else {
                utf8(s, c);
            }
        }
        throw new Malformed("unterminated string", i);
    }

    private String ascii(int start, int len) {
        String common = JsonNames.common(b, start, len);
        return common != null ? common : new String(b, start, len, StandardCharsets.ISO_8859_1);
    }

    private void escape(StringBuilder s) throws Malformed {
        if (i + 1 >= end) {
            throw new Malformed("unterminated escape", i);
        }
        byte e = b[i + 1];
        i += 2;
        switch (e) {
            case '"' -> s.append('"');
            case '\\' -> s.append('\\');
            case '/' -> s.append('/');
            case 'b' -> s.append('\b');
            case 'f' -> s.append('\f');
            case 'n' -> s.append('\n');
            case 'r' -> s.append('\r');
            case 't' -> s.append('\t');
            case 'u' -> {
                if (end - i < 4) {
                    throw new Malformed("truncated \\u escape", i);
                }
                int v = 0;
                for (int k = 0; k < 4; k++) {
                    int h = Character.digit(b[i + k], 16);
                    if (h < 0 || b[i + k] < 0) {
                        throw new Malformed("invalid \\u escape", i + k);
                    }
                    v = (v << 4) | h;
                }
                i += 4;
                s.append((char) v); // an unpaired surrogate is kept as it is, as Jackson does
            }
            default -> throw new Malformed("invalid escape", i - 1);
        }
    }

    /** Appends the (already validated) multi-byte UTF-8 sequence starting with lead byte {@code c}. */
    private void utf8(StringBuilder s, int c) {
        int cp;
        int n;
        if (c < 0xe0) {
            cp = c & 0x1f;
            n = 1;
        } else if (c < 0xf0) {
            cp = c & 0x0f;
            n = 2;
        } else {
            cp = c & 0x07;
            n = 3;
        }
        for (int k = 1; k <= n; k++) {
            cp = (cp << 6) | (b[i + k] & 0x3f);
        }
        i += n + 1;
        s.appendCodePoint(cp);
    }

    private JsonNode number() throws Malformed {
        int start = i;
        if (b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (i >= end || b[i] < '0' || b[i] > '9') {
            throw new Malformed("invalid number", i);
        }
        if (b[i] == '0') {
            i++;
            if (i < end && b[i] >= '0' && b[i] <= '9') {
                throw new Malformed("leading zero in a number", i);
            }
        } else {
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        }
        int intEnd = i;
        boolean integral = true;
        if (i < end && b[i] == '.') {
            integral = false;
            i++;
            digits();
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            integral = false;
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            digits();
        }
        if (i < end && (isWordByte(b[i]) || b[i] == '.')) {
            throw new Malformed("invalid number", i);
        }
        if (i - start > MAX_NUMBER_LENGTH) {
            throw new Malformed("number longer than " + MAX_NUMBER_LENGTH + " characters", start);
        }
        if (!integral) {
            return DoubleNode.valueOf(Double.parseDouble(new String(b, start, i - start, StandardCharsets.ISO_8859_1)));
        }
        boolean negative = intStart > start;
        if (intEnd - intStart <= 18) {
            long v = 0;
            for (int k = intStart; k < intEnd; k++) {
                v = v * 10 + (b[k] - '0');
            }
            if (negative) {
                v = -v;
            }
            return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
        }
        BigInteger v = new BigInteger(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        return v.bitLength() < 64 ? LongNode.valueOf(v.longValue()) : BigIntegerNode.valueOf(v);
    }

    private void digits() throws Malformed {
        int from = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == from) {
            throw new Malformed("invalid number", i);
        }
    }
}
