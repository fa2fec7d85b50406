package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.JwkBridge;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsVerifier;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.KeySource;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.jose.VerifiedJws;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.http.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the issuance request's key and its proof of possession: {@code public_jwk} is a usable
 * public signing key with {@code alg} and only the members of {@link #JWK_MEMBERS} (WIT-7, WIT-8,
 * KEY-4); {@code proof} is a compact JWS with
 * header {@code typ} {@code wimse-pop+jwt} and {@code alg} = the key's {@code alg}, signed by that
 * key, with {@code aud} = {@code <base uri>/v1/wit}, {@code iat} and {@code exp} at most
 * {@link #MAX_LIFETIME} apart and valid now (with the leeway), and a {@code jti} of at least
 * {@link #MIN_JTI_LENGTH} characters, all through the core {@link JwsVerifier} pipeline. The single use of the {@code jti} is checked by the caller,
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
    record CheckedProof(PublicJwk publicKey, JwsAlgorithm algorithm, String jwtId, Instant expiresAt, Optional<String> subject) {
    }

    private final String audience;
    private final JwsVerifier proofs;

    ProofChecker(String audience, Duration leeway) {
        this.audience = audience;
        // the shared pipeline: size, strict parse, crit, typ, alg, exp/nbf/iat (C2-5), key, signature
        this.proofs = JwsVerifier.builder().label("proof").type(TYP).algorithms(EnumSet.allOf(JwsAlgorithm.class))
                .maxTokenLength(MAX_PROOF_LENGTH)
                .claims(ClaimsValidator.builder().leeway(leeway).requireIssuedAt().maxTotalLifetime(MAX_LIFETIME)
                        .ignoreIssuer().expectAudience(Set.of(audience)).build())
                .build();
    }

    CheckedProof check(JsonNode publicJwk, String proof, Instant now) throws Problem {
        PublicJwk jwk;
        JwsAlgorithm alg;
        SignatureVerifier verifier;
        if (publicJwk != null && publicJwk.isObject()) {
            // x5c/x5u/x5t... would be signed into cnf.jwk as the workload chose them
            Members.requireOnly(publicJwk, JWK_MEMBERS, Problem.Code.INVALID_PUBLIC_KEY, "public_jwk");
        }
        try {
            jwk = JwkBridge.wrap(JwkKeys.parsePublic(publicJwk));
            if (jwk.algorithmName().isEmpty()) {
                throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk must carry 'alg' (WIT-8)");
            }
            if (!jwk.isForSignatures()) {
                throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk 'use'/'key_ops' do not allow signatures");
            }
            alg = jwk.algorithms().iterator().next();
            if (!WitVerifier.DEFAULT_PROOF_ALGORITHMS.contains(alg)) {
                // a WIT whose cnf.jwk.alg default verifiers refuse would be useless: RSA proofs are opt-in there
                throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk 'alg' " + alg.jwaName()
                        + " is not a proof algorithm verifiers accept by default (ES256, ES384, EdDSA, Ed25519)");
            }
            verifier = jwk.verifier(alg);
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, "public_jwk: " + e.detail(), e);
        }
        try {
            VerifiedJws jws = proofs.verify(proof, now, KeySource.single(verifier, alg.jwaName(), "public_jwk"));
            JwtClaims claims = jws.claims();
            if (claims.audiences().size() != 1) {
                throw invalid("proof 'aud' must be " + audience);
            }
            Instant iat = claims.requiredTime("iat");
            Instant exp = jws.expiresAt();
            if (!exp.isAfter(iat)) {
                throw invalid("proof 'exp' must be after 'iat'");
            }
            String jti = claims.jwtId().orElseThrow(() -> invalid("proof has no 'jti'"));
            if (jti.length() < MIN_JTI_LENGTH) {
                throw invalid("proof 'jti' must carry at least 128 bits (" + MIN_JTI_LENGTH + " characters)");
            }
            Optional<String> sub = claims.string("sub");
            return new CheckedProof(jwk, alg, jti, exp, sub);
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.INVALID_PROOF, "proof: " + e.detail(), e); // reason() keeps e's Reason
        }
    }

    private static Problem invalid(String detail) {
        return Problem.of(Problem.Code.INVALID_PROOF, detail);
    }
}
