package io.wimse4j.core.internal;

/**
 * One reusable byte buffer per thread for the request hot path (V-2, V-4): the decoded JOSE header
 * and claims while they are parsed, and the ASCII signing input while a signature is checked. A buffer is only
 * live inside one such step, which calls no code outside wimse4j's parser and BouncyCastle, so two
 * uses on one thread never overlap. Tokens longer than {@link #MAX_KEPT} bytes get a buffer of their
 * own, so a thread keeps at most that much. Not API.
 */
final class Scratch {
    /** Largest buffer kept per thread (twice the default maximum token length). */
    static final int MAX_KEPT = 16_384;
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1024]);

    private Scratch() {
    }

    /** A buffer of at least {@code n} bytes, with arbitrary content. */
    static byte[] bytes(int n) {
        byte[] b = BUFFER.get();
        if (b.length >= n) {
            return b;
        }
        if (n > MAX_KEPT) {
            return new byte[n];
        }
        b = new byte[Math.min(MAX_KEPT, Math.max(n, 2 * b.length))];
        BUFFER.set(b);
        return b;
    }
}
