package io.wimse4j.core.jose;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.util.List;

/**
 * Chooses the keys that may have signed a token, for {@link JwsVerifier}: from a trust domain's
 * anchors chosen by {@code kid} (C2-1, ID-3), from a WIT's confirmation key (V-3, V-4), from a
 * key submitted with a request. It sees the checked header and the <em>unverified</em> claims (a
 * WIT's {@code sub} names the trust domain whose anchors apply) and never a key the token carries.
 * It throws the specific {@link Reason} when no key fits ({@link Reason#UNKNOWN_KEY},
 * {@link Reason#KID_REQUIRED}, {@link Reason#AMBIGUOUS_KEY}, {@link Reason#ALG_MISMATCH},
 * {@link Reason#UNTRUSTED_TRUST_DOMAIN}).
 */
@FunctionalInterface
public interface KeySource {
    /** The candidate verifiers, in the order to try them; never empty. */
    List<SignatureVerifier> candidates(JwsHeader header, JwtClaims claims) throws WimseException;

    /**
     * The one key {@code verifier}: the header {@code alg} must be exactly {@code algorithmName}
     * ({@link Reason#ALG_MISMATCH} otherwise, V-3).
     */
    static KeySource single(SignatureVerifier verifier, String algorithmName, String keyDescription) {
        List<SignatureVerifier> only = List.of(verifier);
        return (header, claims) -> {
            if (!header.algorithmName().equals(algorithmName)) {
                throw new WimseException(Reason.ALG_MISMATCH, claims.label() + " 'alg' " + header.algorithmName()
                        + " is not the " + keyDescription + "'s alg " + algorithmName);
            }
            return only;
        };
    }
}
