package io.wimse4j.core.key;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.SignatureVerifier;

import java.util.Optional;

/**
 * One public key of a trust domain's issuer, with its optional {@code kid} and the single
 * algorithm it verifies. A JWK without {@code alg} that fits several algorithms (RSA) becomes one
 * {@code TrustedKey} per algorithm.
 *
 * @param keyId    the JWK {@code kid}, if any
 * @param verifier verifies signatures for {@link #algorithm()}
 */
public record TrustedKey(Optional<String> keyId, SignatureVerifier verifier) {
    /** The algorithm this key verifies. */
    public JwsAlgorithm algorithm() {
        return verifier.algorithm();
    }
}
