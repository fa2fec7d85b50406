package io.wimse4j.core.internal;

import io.wimse4j.core.jose.JwsSigner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Serializes and signs a compact JWS: header {@code alg} (from the signer), {@code kid} (when the
 * signer has one) and {@code typ}; the payload as given.
 */
public final class JwsWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private JwsWriter() {
    }

    /** Signs {@code payload} with {@code signer} under header {@code typ}. */
    public static String sign(JwsSigner signer, String typ, ObjectNode payload) {
        ObjectNode header = StrictJson.mapper().createObjectNode();
        header.put("alg", signer.algorithm().jwaName());
        signer.keyId().ifPresent(kid -> header.put("kid", kid));
        header.put("typ", typ);
        try {
            String input = Base64Url.encode(StrictJson.mapper().writeValueAsBytes(header)) + "."
                    + Base64Url.encode(StrictJson.mapper().writeValueAsBytes(payload));
            byte[] sig = signer.sign(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64Url.encode(sig);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JWS", e);
        }
    }

    /** A fresh 128-bit random identifier, base64url (22 characters): the {@code jti} of wimse4j tokens. */
    public static String randomJwtId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64Url.encode(b);
    }
}
