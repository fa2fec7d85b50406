package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Claims;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.internal.Validity;
import io.wimse4j.server.http.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the issuance request's key and its proof of possession: {@code public_jwk} is a usable
 * public signing key with {@code alg} and only the members of {@link #JWK_MEMBERS} (WIT-7, WIT-8,
 * KEY-4); {@code proof} is a compact JWS with
 * header {@code typ} {@code wimse-pop+jwt} and {@code alg} = the key's {@code alg}, signed by that
 * key, with {@code aud} = {@code <base uri>/v1/wit}, {@code iat} and {@code exp} at most
 * {@link #MAX_LIFETIME} apart and valid now (with the leeway), and a {@code jti} of at least
 * {@link #MIN_JTI_LENGTH} characters. The single use of the {@code jti} is checked by the caller,
 * after every other check, so a refused request never consumes it. Immutable and thread-safe.
 */
final class ProofChecker {
    /** The proof's {@code typ}. */
    static final String TYP = "wimse-pop+jwt";
    /** Longest {@code exp - iat} of a proof. */
    static final Duration MAX_LIFETIME = Duration.ofSeconds(300);
    /** Shortest {@code jti}: 22 base64url characters carry 128 bits. */
    static final int MIN_JTI_LENGTH = 22;
    private static final int MAX_PROOF_LENGTH = 8192;
    /** The members a {@code public_jwk} may have: key material and its usage, nothing the server would vouch for. */
    static final Set<String> JWK_MEMBERS = Set.of("kty", "crv", "x", "y", "n", "e", "alg", "use", "key_ops", "kid");

    /** A checked key and proof. */
    record CheckedProof(JWK publicKey, JwsAlgorithm algorithm, String jwtId, Instant expiresAt, Optional<String> subject) {
    }

    private final String audience;
    private final Duration leeway;

    ProofChecker(String audience, Duration leeway) {
        this.audience = audience;
        this.leeway = leeway;
    }

    CheckedProof check(JsonNode publicJwk, String proof, Instant now) throws Problem {
        JWK jwk;
        JwsAlgorithm alg;
        SignatureVerifier verifier;
        if (publicJwk != null && publicJwk.isObject()) {
            // x5c/x5u/x5t... would be signed into cnf.jwk as the workload chose them
            Problem.requireOnlyMembers(publicJwk, JWK_MEMBERS, Problem.Code.INVALID_PUBLIC_KEY, "public_jwk");
        }
        try {
            jwk = JwkKeys.parsePublic(publicJwk);
            if (jwk.getAlgorithm() == null) {
                throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk must carry 'alg' (WIT-8)");
            }
            if (!JwkKeys.isForSignatures(jwk)) {
                throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk 'use'/'key_ops' do not allow signatures");
            }
            alg = JwkKeys.algorithmsFor(jwk).iterator().next();
            verifier = JwkKeys.verifier(jwk, alg);
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk: " + e.detail());
        }
        try {
            CompactJws jws = CompactJws.parse(proof, MAX_PROOF_LENGTH);
            jws.rejectCritical();
            jws.requireType(TYP);
            if (!alg.jwaName().equals(jws.algorithmName())) {
                throw invalid("proof 'alg' must be the public_jwk's 'alg' " + alg.jwaName());
            }
            if (!jws.verifyWith(verifier)) {
                throw invalid("proof signature does not verify with public_jwk");
            }
            ObjectNode claims = jws.payload();
            checkAudience(claims.get("aud"));
            Instant iat = Claims.requiredTime(claims, "iat", "proof");
            Instant exp = Validity.check(claims, now, leeway, "proof");
            if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
                throw invalid("proof lifetime (exp - iat) exceeds " + MAX_LIFETIME.toSeconds() + " s");
            }
            if (!exp.isAfter(iat)) {
                throw invalid("proof 'exp' must be after 'iat'");
            }
            String jti = Claims.jwtId(claims, "proof").orElseThrow(() -> invalid("proof has no 'jti'"));
            if (jti.length() < MIN_JTI_LENGTH) {
                throw invalid("proof 'jti' must carry at least 128 bits (" + MIN_JTI_LENGTH + " characters)");
            }
            Optional<String> sub = Claims.optionalString(claims, "sub", "proof");
            return new CheckedProof(jwk, alg, jti, exp, sub);
        } catch (WimseException e) {
            throw invalid("proof: " + e.detail());
        }
    }

    private void checkAudience(JsonNode aud) throws Problem {
        if (aud != null && aud.isTextual() && aud.textValue().equals(audience)) {
            return;
        }
        if (aud != null && aud.isArray() && aud.size() == 1 && aud.get(0).isTextual() && aud.get(0).textValue().equals(audience)) {
            return;
        }
        throw invalid("proof 'aud' must be " + audience);
    }

    private static Problem invalid(String detail) {
        return Problem.of(Problem.Code.INVALID_PROOF, detail);
    }
}
