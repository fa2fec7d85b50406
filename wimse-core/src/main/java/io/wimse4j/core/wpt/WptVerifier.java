package io.wimse4j.core.wpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Claims;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.Validity;
import io.wimse4j.core.wit.VerifiedWit;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a Workload Proof Token against an already verified WIT: {@code typ} (V-5), {@code alg}
 * equal to {@code cnf.jwk.alg} (V-3), no {@code crit}, {@code wth} (V-8), {@code exp} present, not
 * passed and not unreasonably far ahead (V-7), {@code jti} present (WPT-6), and the signature with
 * the {@code cnf} key (V-4). Cheap checks run before the signature. Immutable and thread-safe.
 */
public final class WptVerifier {
    /** Longest accepted {@link #maxLifetime()}. */
    public static final Duration MAX_MAX_LIFETIME = Duration.ofHours(1);

    private final Duration leeway;
    private final Duration maxLifetime;
    private final int maxTokenLength;

    /** A verifier with the given leeway (at most 5 min), maximum proof lifetime and token size limit. */
    public WptVerifier(Duration leeway, Duration maxLifetime, int maxTokenLength) {
        this.leeway = Validity.checkLeeway(leeway);
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0 || maxLifetime.compareTo(MAX_MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("maximum proof lifetime must be between 1 s and 1 h");
        }
        this.maxLifetime = maxLifetime;
        this.maxTokenLength = maxTokenLength;
    }

    /** Verifies {@code token} as a proof made with {@code wit}'s key, at instant {@code now}. */
    public VerifiedWpt verify(String token, VerifiedWit wit, Instant now) throws WimseException {
        CompactJws jws = CompactJws.parse(token, maxTokenLength);
        jws.rejectCritical();
        jws.requireType(WptCreator.TYP);
        String alg = jws.algorithmName();
        if (!alg.equals(wit.confirmationAlgorithmName())) {
            boolean known = JwsAlgorithm.fromJwaName(alg).isPresent();
            throw new WimseException(known ? Reason.ALG_MISMATCH : Reason.UNSUPPORTED_ALG,
                    "WPT 'alg' " + alg + " is not the WIT's cnf.jwk.alg " + wit.confirmationAlgorithmName());
        }
        ObjectNode claims = jws.payload();

        String wth = Claims.optionalString(claims, "wth", "WPT").orElseThrow(() ->
                new WimseException(Reason.WTH_MISSING, "WPT has no 'wth' claim"));
        if (!Hashes.hashEquals(wth, wit.tokenHash())) {
            throw new WimseException(Reason.WTH_MISMATCH, "WPT 'wth' is not the hash of the presented WIT");
        }
        Instant exp = Validity.check(claims, now, leeway, "WPT");
        if (exp.isAfter(now.plus(maxLifetime).plus(leeway))) {
            throw new WimseException(Reason.LIFETIME_TOO_LONG,
                    "WPT expires more than " + maxLifetime.toSeconds() + " s from now");
        }
        Optional<Instant> iat = Claims.optionalTime(claims, "iat", "WPT");
        if (iat.isPresent() && Duration.between(iat.get(), exp).compareTo(maxLifetime) > 0) {
            throw new WimseException(Reason.LIFETIME_TOO_LONG,
                    "WPT lifetime (iat to exp) exceeds " + maxLifetime.toSeconds() + " s");
        }
        String jti = Claims.jwtId(claims, "WPT").orElseThrow(() ->
                new WimseException(Reason.MISSING_CLAIM, "WPT has no 'jti' claim"));
        String aud = audience(claims);
        Optional<String> ath = Claims.optionalString(claims, "ath", "WPT");
        Optional<String> tth = Claims.optionalString(claims, "tth", "WPT");
        Map<String, String> oth = otherHashes(claims);

        if (!jws.verifyWith(wit.proofVerifier())) {
            throw new WimseException(Reason.BAD_SIGNATURE, "WPT signature does not verify with the WIT's cnf key");
        }
        return new VerifiedWpt(aud, exp, jti, ath, tth, oth);
    }

    private static String audience(ObjectNode claims) throws WimseException {
        JsonNode aud = claims.get("aud");
        if (aud == null || aud.isNull()) {
            throw new WimseException(Reason.MISSING_CLAIM, "WPT has no 'aud' claim");
        }
        if (aud.isArray()) {
            if (aud.size() != 1) {
                throw new WimseException(Reason.AUDIENCE_MISMATCH, "a WPT must name exactly one audience (SEC-3)");
            }
            aud = aud.get(0);
        }
        if (!aud.isTextual() || aud.textValue().isEmpty()) {
            throw new WimseException(Reason.INVALID_CLAIM, "WPT 'aud' is not a non-empty string");
        }
        return aud.textValue();
    }

    private static Map<String, String> otherHashes(ObjectNode claims) throws WimseException {
        JsonNode oth = claims.get("oth");
        if (oth == null) {
            return Map.of();
        }
        if (!oth.isObject()) {
            throw new WimseException(Reason.INVALID_CLAIM, "WPT 'oth' is not a JSON object");
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = oth.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new WimseException(Reason.INVALID_CLAIM, "WPT 'oth' entry '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** The maximum proof lifetime. */
    public Duration maxLifetime() {
        return maxLifetime;
    }
}
