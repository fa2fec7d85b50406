package io.wimse4j.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.jose.JwsSigner;

import java.nio.charset.StandardCharsets;

/**
 * Raw compact JWS for negative tests: tokens signed over exactly the header and claims text given,
 * unsigned tokens, tampered signatures, duplicate members and unknown critical extensions, which no
 * well-behaved issuer would write. Test helpers, never for production.
 */
public final class RawJws {
    private RawJws() {
    }

    /**
     * Signs exactly the given header and payload JSON text with {@code signer}, whatever they say.
     *
     * @param signer      the key to sign with
     * @param headerJson  the protected header, encoded as given
     * @param payloadJson the payload, encoded as given
     * @return the compact JWS
     */
    public static String signRaw(JwsSigner signer, String headerJson, String payloadJson) {
        String input = Base64Url.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        return input + "." + Base64Url.encode(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Flips one bit in the middle of the signature part.
     *
     * @param token a compact JWS
     * @return the token with a signature that no longer verifies
     */
    public static String flipSignatureBit(String token) {
        int dot = token.lastIndexOf('.');
        byte[] sig = java.util.Base64.getUrlDecoder().decode(token.substring(dot + 1));
        sig[sig.length / 2] ^= 0x01;
        return token.substring(0, dot + 1) + Base64Url.encode(sig);
    }

    /**
     * Header and claims as given, with {@code signature} as the third part, unsigned: for tokens a
     * verifier must refuse before it looks at the signature ({@code alg} none, HMAC, ...).
     *
     * @param headerJson the JOSE header's JSON text, as is (it may be malformed on purpose)
     * @param claimsJson the claims' JSON text, as is
     * @param signature  the third part, already base64url (see {@link #junkSignature()})
     * @return {@code base64url(header).base64url(claims).signature}
     */
    public static String unsignedJws(String headerJson, String claimsJson, String signature) {
        return Base64Url.encode(headerJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(claimsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + signature;
    }

    /**
     * A non-empty, well-encoded signature part of 64 zero bytes: verifies with no key.
     *
     * @return 86 base64url characters
     */
    public static String junkSignature() {
        return Base64Url.encode(new byte[64]);
    }

    /**
     * The JSON text of {@code object} with {@code member} written a second time (same value), for the
     * duplicate-member rule of the strict parser.
     *
     * @param object a JSON object holding {@code member}
     * @param member the member to repeat
     * @return the JSON text with {@code member} twice
     */
    public static String withDuplicateMember(ObjectNode object, String member) {
        String json = object.toString();
        return json.substring(0, json.length() - 1) + ",\"" + member + "\":" + object.get(member).toString() + "}";
    }

    /**
     * Marks {@code header} critical for an extension no verifier understands ({@code crit}).
     *
     * @param header a JOSE header being crafted
     */
    public static void criticalUnknownExtension(ObjectNode header) {
        header.putArray("crit").add("urn:example:unknown");
        header.put("urn:example:unknown", true);
    }
}
