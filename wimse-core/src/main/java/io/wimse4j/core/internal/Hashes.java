package io.wimse4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 token hashes as the WPT uses them ({@code wth}, {@code ath}, {@code tth}, {@code oth}:
 * WPT-7..WPT-10): base64url(SHA-256(ASCII value)). Uses the JDK digest, which runs on the CPU's
 * SHA instructions and is much faster than a pure-Java one.
 */
public final class Hashes {
    private Hashes() {
    }

    /**
     * One SHA-256 digest per thread, reset before each use: {@code MessageDigest.getInstance} on every
     * hash allocated a provider lookup and a fresh digest state per request (measured with
     * {@code RequestVerifyBenchmark -prof gc}). A digest is used to completion inside one call, never
     * across calls, so no state leaks between uses.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(data);
    }

    /** base64url(SHA-256(US-ASCII/UTF-8 bytes of {@code value})): the token hash of WPT-7..WPT-10. */
    public static String tokenHash(String value) {
        return Base64Url.encode(sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Compares two hash strings without leaking the position of the first difference (every
     * character is compared; the lengths are not secret) and without copying them.
     */
    public static boolean hashEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        int n = Math.min(a.length(), b.length());
        int diff = a.length() ^ b.length();
        for (int i = 0; i < n; i++) {
            diff |= a.charAt(i) ^ b.charAt(i);
        }
        return diff == 0;
    }
}
