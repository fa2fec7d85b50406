package io.wimse4j.core.wpt;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsVerifier;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.VerifiedJws;
import io.wimse4j.core.wit.VerifiedWit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a Workload Proof Token against an already verified WIT, through the shared
 * {@link JwsVerifier} pipeline: {@code typ} (V-5), no {@code crit}, {@code alg} equal to
 * {@code cnf.jwk.alg} (V-3), {@code exp} present, not reached and not unreasonably far ahead
 * (V-7, C2-5), the signature with the {@code cnf} key (V-4), then {@code wth} (V-8), {@code jti}
 * (WPT-6) and exactly one {@code aud} (SEC-3). Immutable and thread-safe.
 */
public final class WptVerifier {
    /** Longest accepted {@link #maxLifetime()}. */
    public static final Duration MAX_MAX_LIFETIME = Duration.ofHours(1);

    private final Duration maxLifetime;
    private final JwsVerifier jwsVerifier;

    /** A verifier with the given leeway (at most 5 min), maximum proof lifetime and token size limit. */
    public WptVerifier(Duration leeway, Duration maxLifetime, int maxTokenLength) {
        ClaimsValidator.checkLeeway(leeway);
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0 || maxLifetime.compareTo(MAX_MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("maximum proof lifetime must be between 1 s and 1 h");
        }
        this.maxLifetime = maxLifetime;
        ClaimsValidator claims = ClaimsValidator.builder().clock(Clock.systemUTC()).leeway(leeway)
                .maxLifetime(maxLifetime).maxTotalLifetime(maxLifetime).ignoreIssuer().ignoreAudience().build();
        this.jwsVerifier = JwsVerifier.builder().label("WPT").type(WptCreator.TYP)
                .algorithms(EnumSet.allOf(JwsAlgorithm.class)).maxTokenLength(Math.max(256, maxTokenLength))
                .claims(claims).build();
    }

    /** Verifies {@code token} as a proof made with {@code wit}'s key, at instant {@code now}. */
    public VerifiedWpt verify(String token, VerifiedWit wit, Instant now) throws WimseException {
        VerifiedJws jws = jwsVerifier.verify(token, now, wit.proofKeySource());
        JwtClaims claims = jws.claims();
        String wth = claims.string("wth").orElseThrow(() ->
                new WimseException(Reason.WTH_MISSING, "WPT has no 'wth' claim"));
        if (!Hashes.hashEquals(wth, wit.tokenHash())) {
            throw new WimseException(Reason.WTH_MISMATCH, "WPT 'wth' is not the hash of the presented WIT");
        }
        String jti = claims.jwtId().orElseThrow(() ->
                new WimseException(Reason.MISSING_CLAIM, "WPT has no 'jti' claim"));
        String aud = audience(claims);
        Optional<String> ath = claims.string("ath");
        Optional<String> tth = claims.string("tth");
        Map<String, String> oth = claims.stringMap("oth");
        return new VerifiedWpt(aud, jws.expiresAt(), jti, ath, tth, oth);
    }

    private static String audience(JwtClaims claims) throws WimseException {
        if (!claims.has("aud")) {
            throw new WimseException(Reason.MISSING_CLAIM, "WPT has no 'aud' claim");
        }
        int entries = claims.audienceArraySize();
        if (entries >= 0 && entries != 1) {
            throw new WimseException(Reason.AUDIENCE_MISMATCH, "a WPT must name exactly one audience (SEC-3)");
        }
        // a single string, or an array of exactly one: read without building a list
        String aud;
        try {
            aud = entries < 0 ? claims.string("aud").orElseThrow() : claims.audiences().get(0);
        } catch (WimseException notAString) {
            aud = "";
        }
        if (aud.isEmpty()) {
            throw new WimseException(Reason.INVALID_CLAIM, "WPT 'aud' is not a non-empty string");
        }
        return aud;
    }

    /** The maximum proof lifetime. */
    public Duration maxLifetime() {
        return maxLifetime;
    }
}
