package io.wimse4j.core.internal;

import io.wimse4j.core.jose.JwsSigner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Serializes and signs a compact JWS: header {@code alg} (from the signer), {@code kid} (when the
 * signer has one) and {@code typ}; the payload as given. The signing input is base64url-encoded
 * straight into one array and the token built from it, without intermediate strings.
 */
public final class JwsWriter {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JwsWriter() {
    }

    /** Signs {@code payload} with {@code signer} under header {@code typ}. */
    public static String sign(JwsSigner signer, String typ, ObjectNode payload) {
        try {
            return signJson(signer, typ, StrictJson.mapper().writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JWS", e);
        }
    }

    /** Signs the UTF-8 JSON object {@code payloadJson} with {@code signer} under header {@code typ}. */
    public static String signJson(JwsSigner signer, String typ, byte[] payloadJson) {
        StringBuilder h = new StringBuilder(96).append("{\"alg\":");
        appendJsonString(h, signer.algorithm().jwaName());
        Optional<String> kid = signer.keyId();
        if (kid.isPresent()) {
            appendJsonString(h.append(",\"kid\":"), kid.get());
        }
        appendJsonString(h.append(",\"typ\":"), typ);
        byte[] header = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
        int headerLen = Base64Url.encodedLength(header.length);
        byte[] input = new byte[headerLen + 1 + Base64Url.encodedLength(payloadJson.length)];
        Base64Url.encodeInto(header, input, 0);
        input[headerLen] = '.';
        Base64Url.encodeInto(payloadJson, input, headerLen + 1);
        byte[] sig = signer.sign(input);
        byte[] token = Arrays.copyOf(input, input.length + 1 + Base64Url.encodedLength(sig.length));
        token[input.length] = '.';
        Base64Url.encodeInto(sig, token, input.length + 1);
        return new String(token, StandardCharsets.ISO_8859_1);
    }

    /**
     * Appends {@code s} as a JSON string, escaped as Jackson writes it: quote, backslash and control
     * characters escaped ({@code \b \t \n \f \r} or {@code \}{@code u00XX}), an unpaired surrogate
     * as {@code \}{@code uXXXX} (UTF-8 has no encoding for it), everything else as is.
     */
    public static StringBuilder appendJsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i)); // a pair: one code point, written as UTF-8
                } else {
                    // unpaired: UTF-8 cannot carry it (getBytes would write '?', signing another
                    // value than the caller's), so escaped as Jackson writes it
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                }
            } else if (c >= 0x20) {
                out.append(c);
            } else {
                switch (c) {
                    case '\b' -> out.append("\\b");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\f' -> out.append("\\f");
                    case '\r' -> out.append("\\r");
                    default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
        }
        return out.append('"');
    }

    /** A fresh 128-bit random identifier, base64url (22 characters): the {@code jti} of wimse4j tokens. */
    public static String randomJwtId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64Url.encode(b);
    }
}
