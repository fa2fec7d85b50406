package io.wimse4j.core.jose;

/**
 * Verifies JWS signatures for one public key and one {@link JwsAlgorithm}. Implementations are
 * immutable and thread-safe; they check signature length and, for ECDSA, that r and s lie in
 * [1, n-1] before any arithmetic.
 */
public interface SignatureVerifier {
    /** The algorithm this verifier checks. */
    JwsAlgorithm algorithm();

    /** True when {@code signature} is valid over {@code data[off, off+len)}. */
    boolean verify(byte[] data, int off, int len, byte[] signature);
}
