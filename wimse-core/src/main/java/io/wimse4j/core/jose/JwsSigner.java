package io.wimse4j.core.jose;

import java.util.Optional;

/**
 * Produces JWS signatures with one private key. This is the seam where a KMS or an HSM plugs in:
 * wimse4j only ever asks for a signature over the signing input, never for key material.
 * Implementations must be thread-safe.
 */
public interface JwsSigner {
    /** The algorithm placed in the JOSE header {@code alg}. */
    JwsAlgorithm algorithm();

    /** The {@code kid} placed in the JOSE header, if any. */
    Optional<String> keyId();

    /** Signs {@code signingInput} and returns the JWS signature bytes (r||s for ECDSA). */
    byte[] sign(byte[] signingInput);
}
