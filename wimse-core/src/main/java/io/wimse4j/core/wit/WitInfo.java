package io.wimse4j.core.wit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Claims;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.JwkBridge;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.JwsAlgorithm;

import java.time.Instant;

/**
 * What a calling workload reads from its <em>own</em> WIT without verifying it: subject, expiry and
 * the confirmation key with its algorithm. Never use it to authenticate anyone else: that is what
 * {@link WitVerifier} is for.
 *
 * @param token           the compact WIT
 * @param subject         {@code sub}
 * @param expiresAt       {@code exp}
 * @param confirmationKey {@code cnf.jwk}
 * @param proofAlgorithm  {@code cnf.jwk.alg}: the algorithm proofs must use (WIT-8, WPT-2)
 */
public record WitInfo(String token, WorkloadIdentifier subject, Instant expiresAt, PublicJwk confirmationKey,
                      JwsAlgorithm proofAlgorithm) {

    /** Decodes {@code token} without verifying its signature. */
    public static WitInfo decodeUnverified(String token) throws WimseException {
        CompactJws jws = CompactJws.parse(token, CompactJws.DEFAULT_MAX_TOKEN_LENGTH);
        jws.requireType(WitVerifier.TYP);
        ObjectNode claims = jws.payload();
        WorkloadIdentifier sub = WorkloadIdentifier.parse(Claims.requiredString(claims, "sub", "WIT"));
        Instant exp = Claims.requiredTime(claims, "exp", "WIT");
        JsonNode jwkNode = claims.path("cnf").get("jwk");
        if (jwkNode == null) {
            throw new WimseException(Reason.MISSING_CLAIM, "WIT has no 'cnf.jwk' claim");
        }
        JsonNode alg = jwkNode.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new WimseException(Reason.INVALID_CNF_KEY, "WIT 'cnf.jwk' has no 'alg' (WIT-8)");
        }
        JwsAlgorithm proofAlg = JwsAlgorithm.fromJwaName(alg.textValue()).orElseThrow(() ->
                new WimseException(Reason.UNSUPPORTED_ALG, "WIT 'cnf.jwk.alg' is not supported"));
        return new WitInfo(token, sub, exp, JwkBridge.wrap(JwkKeys.parsePublic(jwkNode)), proofAlg);
    }

    @Override
    public String toString() {
        return "WitInfo[sub=" + subject + ", exp=" + expiresAt + ", alg=" + proofAlgorithm + "]";
    }
}
