package io.wimse4j.core.internal;

/**
 * Strict UTF-8 validation in place, as the JDK's reporting decoder reads it (RFC 3629): what
 * {@link StrictJson} checks before parsing a token part (V-2), without decoding it to a String. Not API.
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * True when {@code b[off, off+len)} is well-formed UTF-8 as the JDK's reporting decoder reads
     * it: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence.
     */
    static boolean isWellFormed(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                if (c == 0xe0) {
                    lo = 0xa0;
                } else if (c == 0xed) {
                    hi = 0x9f;
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                if (c == 0xf0) {
                    lo = 0x90;
                } else if (c == 0xf4) {
                    hi = 0x8f;
                }
            } else {
                return false;
            }
            if (i + n >= end) {
                return false; // truncated
            }
            int c1 = b[i + 1] & 0xff;
            if (c1 < lo || c1 > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                int ck = b[i + k] & 0xff;
                if (ck < 0x80 || ck > 0xbf) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }
}
