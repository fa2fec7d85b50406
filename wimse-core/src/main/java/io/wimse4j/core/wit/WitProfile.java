package io.wimse4j.core.wit;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsHeader;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.key.TrustBundle;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which rules a {@link WitVerifier} applies on top of the WIMSE WIT's (WIT-1..WIT-11, C2-*), set
 * with {@link WitVerifier.Builder#profile(WitProfile)}.
 */
public enum WitProfile {
    /** The WIMSE WIT of the drafts, nothing more (the default). */
    WIMSE,
    /**
     * The SPIFFE WIT-SVID (ALG-2; SPIFFE standard {@code WIT-SVID.md}, a sub-profile of the WIT), as
     * go-spiffe's {@code witsvid} package checks it. Beyond a WIT:
     * <ul>
     *   <li>{@code kid} is required (WIT-SVID 2.1: {@link Reason#KID_REQUIRED});</li>
     *   <li>{@code typ} is exactly {@code wit+jwt}, not {@code application/wit+jwt} nor another case
     *       (2.2: {@link Reason#WRONG_TYP});</li>
     *   <li>{@code alg} and {@code cnf.jwk.alg} are RSA or ECDSA, never EdDSA: of wimse4j's
     *       algorithms ES256, ES384, PS256, RS256 (2.3, 3.2: {@link Reason#UNSUPPORTED_ALG});</li>
     *   <li>{@code sub} is a SPIFFE ID, {@code spiffe://} (3.1: {@link Reason#INVALID_IDENTIFIER});</li>
     *   <li>{@code aud} is absent (3.8: {@link Reason#INVALID_CLAIM});</li>
     *   <li>the signing key comes from the {@code wit-svid} entries of the trust domain's SPIFFE bundle
     *       (6.2): a bundle that is not a {@linkplain TrustBundle#isSpiffe() SPIFFE or WIT bundle} gives
     *       the trust domain no WIT-SVID anchors ({@link Reason#UNTRUSTED_TRUST_DOMAIN}).</li>
     * </ul>
     * {@code exp} and {@code cnf} are required as for any WIT; a WIT-SVID's {@code jti} is never used
     * for replay protection (3.3: wimse4j checks replay on proofs only); a proof of possession is
     * still required (section 4: {@code RequestVerifier}).
     */
    SPIFFE_WIT_SVID;

    private static final Set<JwsAlgorithm> WIT_SVID_ALGORITHMS =
            Set.copyOf(EnumSet.of(JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.PS256, JwsAlgorithm.RS256));

    /** The signature and proof algorithms this profile allows (all of {@link JwsAlgorithm} for {@link #WIMSE}). */
    public Set<JwsAlgorithm> algorithms() {
        return this == WIMSE ? Set.copyOf(EnumSet.allOf(JwsAlgorithm.class)) : WIT_SVID_ALGORITHMS;
    }

    /**
     * The algorithms a verifier of this profile accepts: those of {@code chosen} the profile allows;
     * none of them refuses the setting ({@link IllegalStateException}).
     */
    Set<JwsAlgorithm> restrict(Set<JwsAlgorithm> chosen, String setting) {
        Set<JwsAlgorithm> allowed = EnumSet.copyOf(chosen);
        allowed.retainAll(algorithms());
        if (allowed.isEmpty()) {
            throw new IllegalStateException(setting + "(...) " + new java.util.TreeSet<>(chosen) + " contradict the " + this
                    + " profile, which allows only " + new java.util.TreeSet<>(algorithms()));
        }
        return allowed;
    }

    /** The profile's checks on a WIT's header and claims before its key is chosen. */
    void checkBeforeSignature(JwsHeader header, JwtClaims claims, WorkloadIdentifier subject) throws WimseException {
        if (this == WIMSE) {
            return;
        }
        if (!header.type().map(WitVerifier.TYP::equals).orElse(false)) {
            throw new WimseException(Reason.WRONG_TYP, "a WIT-SVID's 'typ' must be exactly " + WitVerifier.TYP
                    + " (WIT-SVID 2.2, ALG-2)");
        }
        if (!WorkloadIdentifier.SPIFFE.equals(subject.scheme())) {
            throw new WimseException(Reason.INVALID_IDENTIFIER, "a WIT-SVID's 'sub' must be a SPIFFE ID (spiffe://),"
                    + " not a " + subject.scheme() + " identifier (WIT-SVID 3.1, ALG-2)");
        }
        if (claims.has("aud")) {
            throw new WimseException(Reason.INVALID_CLAIM, "a WIT-SVID must not carry 'aud' (WIT-SVID 3.8, ALG-2)");
        }
    }

    /** The profile's check on the bundle whose keys would verify the WIT. */
    void checkBundle(TrustBundle bundle) throws WimseException {
        if (this != WIMSE && !bundle.isSpiffe()) {
            throw new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN, "no WIT-SVID trust anchors for trust domain "
                    + bundle.trustDomain() + ": its bundle is not a SPIFFE bundle with wit-svid keys (WIT-SVID 6.2, ALG-2)");
        }
    }
}
