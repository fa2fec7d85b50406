package io.wimse4j.core.internal;

import io.wimse4j.core.jose.SignatureVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.util.Locale;
import java.util.Optional;

/**
 * A parsed, <em>unverified</em> compact JWS (RFC 7515 section 7.1): header and payload decoded as
 * strict JSON objects, signature bytes, and the signing input. Parsing enforces the size limit
 * first, then exactly three non-empty parts of strict base64url (V-2). Nothing here is trusted:
 * verifiers use it as raw material.
 */
public final class CompactJws {
    /** Default maximum size of one token, in characters. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8192;

    private final String token;
    private final ObjectNode header;
    private final ObjectNode payload;
    private final byte[] signature;
    private final int signingInputLength;

    private CompactJws(String token, ObjectNode header, ObjectNode payload, byte[] signature, int signingInputLength) {
        this.token = token;
        this.header = header;
        this.payload = payload;
        this.signature = signature;
        this.signingInputLength = signingInputLength;
    }

    /** Parses {@code token}, rejecting anything longer than {@code maxLength} characters. */
    public static CompactJws parse(String token, int maxLength) throws WimseException {
        if (token == null || token.isEmpty()) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "token is empty");
        }
        if (token.length() > maxLength) {
            throw new WimseException(Reason.TOKEN_TOO_LARGE,
                    "token is " + token.length() + " characters, the limit is " + maxLength);
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "a compact JWS has exactly three dot-separated parts");
        }
        if (dot1 == 0 || dot2 == dot1 + 1 || dot2 == token.length() - 1) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "a compact JWS part is empty");
        }
        // header and claims are decoded into this thread's scratch buffer and parsed from there: no
        // copy of either survives the parse (every part is decoded before any is parsed, as before)
        int headerMax = Base64Url.decodedLength(0, dot1);
        byte[] buf = Scratch.bytes(headerMax + Base64Url.decodedLength(dot1 + 1, dot2));
        int headerLen = Base64Url.decodeInto(token, 0, dot1, buf, 0);
        int payloadLen = Base64Url.decodeInto(token, dot1 + 1, dot2, buf, headerMax);
        byte[] sig = Base64Url.decode(token, dot2 + 1, token.length());
        ObjectNode header = StrictJson.parseObject(buf, 0, headerLen, "JOSE header");
        ObjectNode payload = StrictJson.parseObject(buf, headerMax, payloadLen, "JWT claims");
        return new CompactJws(token, header, payload, sig, dot2);
    }

    /** The token as received. */
    public String token() {
        return token;
    }

    /** The decoded JOSE header (untrusted until verified). */
    public ObjectNode header() {
        return header;
    }

    /** The decoded claims (untrusted until verified). */
    public ObjectNode payload() {
        return payload;
    }

    /** A copy of the signature bytes. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The ASCII bytes of {@code header.payload}, the JWS signing input. */
    @SuppressWarnings("deprecation")
    public byte[] signingInput() {
        // every character is base64url or '.', checked by the strict decode: ASCII, so the
        // (deprecated, low-byte) copy is exact and saves the substring the plain way allocates
        byte[] input = new byte[signingInputLength];
        token.getBytes(0, signingInputLength, input, 0);
        return input;
    }

    /**
     * Verifies the signature with {@code verifier}. wimse4j's own verifiers read the signing input
     * from this thread's scratch buffer (they keep no reference and call nothing back); any other
     * implementation gets an array of its own.
     */
    @SuppressWarnings("deprecation")
    public boolean verifyWith(SignatureVerifier verifier) {
        if (!BcSignatures.isOwn(verifier)) {
            byte[] input = signingInput();
            return verifier.verify(input, 0, input.length, signature);
        }
        // ASCII only (checked by the strict decode), so the low-byte copy is exact
        byte[] input = Scratch.bytes(signingInputLength);
        token.getBytes(0, signingInputLength, input, 0);
        return verifier.verify(input, 0, signingInputLength, signature);
    }

    /** The header {@code alg} as a string, or {@link Reason#MALFORMED_TOKEN} when absent. */
    public String algorithmName() throws WimseException {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "JOSE header has no string 'alg'");
        }
        return alg.textValue();
    }

    /** The header {@code kid}, if it is a string. */
    public Optional<String> keyId() throws WimseException {
        return keyId(header);
    }

    /** The {@code kid} of JOSE header {@code header}, if present ({@link Reason#MALFORMED_TOKEN} when not a string). */
    public static Optional<String> keyId(ObjectNode header) throws WimseException {
        JsonNode kid = header.get("kid");
        if (kid == null) {
            return Optional.empty();
        }
        if (!kid.isTextual()) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "JOSE header 'kid' is not a string");
        }
        return Optional.of(kid.textValue());
    }

    /**
     * Checks {@code typ} against {@code expected} (e.g. {@code wit+jwt}), accepting the
     * {@code application/} prefix and any case, as RFC 7515 section 4.1.9 allows.
     */
    public void requireType(String expected) throws WimseException {
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual()) {
            throw new WimseException(Reason.WRONG_TYP, "JOSE header has no 'typ'; expected '" + expected + "'");
        }
        String t = typ.textValue().toLowerCase(Locale.ROOT);
        if (t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        if (!t.equals(expected)) {
            throw new WimseException(Reason.WRONG_TYP, "JOSE header 'typ' must be '" + expected + "'");
        }
    }

    /** Rejects any {@code crit} header: this implementation understands no extension (RFC 7515 4.1.11). */
    public void rejectCritical() throws WimseException {
        if (header.has("crit")) {
            throw new WimseException(Reason.UNSUPPORTED_CRIT, "JOSE header 'crit' names extensions that are not supported");
        }
    }
}
