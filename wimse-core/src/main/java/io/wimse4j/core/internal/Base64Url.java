package io.wimse4j.core.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64url (RFC 7515 section 2): the URL-safe alphabet only, no padding, no whitespace, and
 * canonical trailing bits. Anything else is {@link Reason#BAD_ENCODING}.
 */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** Encodes without padding. */
    public static String encode(byte[] data) {
        return ENCODER.encodeToString(data);
    }

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The length of {@code n} bytes encoded without padding. */
    public static int encodedLength(int n) {
        return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
    }

    /** Encodes {@code src} without padding into {@code dst} from {@code off}; returns the characters written. */
    public static int encodeInto(byte[] src, byte[] dst, int off) {
        int o = off;
        int i = 0;
        for (int full = src.length - src.length % 3; i < full; i += 3) {
            int v = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
            dst[o++] = ALPHABET[v >>> 18];
            dst[o++] = ALPHABET[(v >>> 12) & 63];
            dst[o++] = ALPHABET[(v >>> 6) & 63];
            dst[o++] = ALPHABET[v & 63];
        }
        int rest = src.length - i;
        if (rest == 1) {
            int v = (src[i] & 0xff) << 16;
            dst[o++] = ALPHABET[v >>> 18];
            dst[o++] = ALPHABET[(v >>> 12) & 63];
        } else if (rest == 2) {
            int v = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8;
            dst[o++] = ALPHABET[v >>> 18];
            dst[o++] = ALPHABET[(v >>> 12) & 63];
            dst[o++] = ALPHABET[(v >>> 6) & 63];
        }
        return o - off;
    }

    /** True when {@code c} belongs to the base64url alphabet. */
    public static boolean isAlphabet(char c) {
        return c < 128 && DECODE[c] >= 0;
    }

    /** Decodes the whole string strictly. */
    public static byte[] decode(String s) throws WimseException {
        return decode(s, 0, s.length());
    }

    /** Decodes {@code s[from, to)} strictly. */
    public static byte[] decode(CharSequence s, int from, int to) throws WimseException {
        byte[] out = new byte[decodedLength(from, to)];
        int n = decodeInto(s, from, to, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The number of bytes {@code s[from, to)} decodes to ({@link Reason#BAD_ENCODING} for an impossible length). */
    public static int decodedLength(int from, int to) throws WimseException {
        int len = to - from;
        if (len % 4 == 1) {
            throw new WimseException(Reason.BAD_ENCODING, "base64url length is impossible");
        }
        return len * 3 / 4;
    }

    /**
     * Decodes {@code s[from, to)} strictly into {@code out} from {@code off}, which must have room for
     * {@link #decodedLength} bytes; returns the number of bytes written.
     */
    public static int decodeInto(CharSequence s, int from, int to, byte[] out, int off) throws WimseException {
        decodedLength(from, to);
        int o = off;
        int i = from;
        for (int full = from + ((to - from) & ~3); i < full; i += 4) { // four characters, three bytes
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            int c = value(s.charAt(i + 2));
            int d = value(s.charAt(i + 3));
            if ((a | b | c | d) < 0) {
                throw outsideAlphabet(s, i, to);
            }
            int v = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
        }
        int rest = to - i; // 0, 2 or 3 (1 is an impossible length)
        if (rest > 0) {
            int v = 0;
            for (int k = i; k < to; k++) {
                int x = value(s.charAt(k));
                if (x < 0) {
                    throw outsideAlphabet(s, k, to);
                }
                v = v << 6 | x;
            }
            int spare = rest == 2 ? 4 : 2; // bits beyond the last whole byte
            if ((v & ((1 << spare) - 1)) != 0) {
                throw new WimseException(Reason.BAD_ENCODING, "base64url has non-zero trailing bits");
            }
            v >>= spare;
            if (rest == 3) {
                out[o++] = (byte) (v >> 8);
            }
            out[o++] = (byte) v;
        }
        return o - off;
    }

    private static int value(char c) {
        return c < 128 ? DECODE[c] : -1;
    }

    /** The error for the first character of {@code s[from, to)} outside the alphabet. */
    private static WimseException outsideAlphabet(CharSequence s, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (value(c) < 0) {
                return new WimseException(Reason.BAD_ENCODING,
                        c == '=' ? "base64url padding is not allowed" : "character outside the base64url alphabet");
            }
        }
        throw new IllegalStateException("no character outside the alphabet");
    }
}
