package io.wimse4j.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * The member names and values every JOSE token repeats ({@code alg}, {@code typ}, {@code wpt+jwt},
 * ...): {@link JsonBytes} returns these shared constants instead of allocating a new string for
 * each (V-2 parsing, on the request path). Not API.
 */
final class JsonNames {
    private static final String[] COMMON = {
        "alg", "typ", "kid", "crit", "aud", "iat", "exp", "nbf", "jti", "iss", "sub", "wth", "ath", "tth", "oth",
        "cnf", "jwk", "kty", "crv", "x", "y", "n", "e", "use", "key_ops",
        "wpt+jwt", "wit+jwt", "EdDSA", "Ed25519", "ES256", "ES384", "RS256", "PS256", "EC", "OKP", "RSA",
        "P-256", "P-384", "sig",
    };
    private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

    static {
        for (int k = 0; k < COMMON.length; k++) {
            COMMON_BYTES[k] = COMMON[k].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private JsonNames() {
    }

    /** The shared constant equal to the ASCII bytes {@code b[start, start + len)}, or {@code null}. */
    static String common(byte[] b, int start, int len) {
        for (int k = 0; k < COMMON_BYTES.length; k++) {
            byte[] common = COMMON_BYTES[k];
            if (common.length == len && regionEquals(b, start, common)) {
                return COMMON[k];
            }
        }
        return null;
    }

    private static boolean regionEquals(byte[] b, int start, byte[] common) {
        for (int k = 0; k < common.length; k++) {
            if (b[start + k] != common[k]) {
                return false;
            }
        }
        return true;
    }
}
