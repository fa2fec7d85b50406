package io.wimse4j.core.wpt;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.internal.JwsWriter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Creates Workload Proof Tokens (WPT-1..WPT-10): header {@code typ} {@code wpt+jwt} and
 * {@code alg} = the WIT's {@code cnf.jwk.alg}; claims {@code aud}, {@code iat}, a short
 * {@code exp} (default 60 s), a 128-bit random {@code jti}, {@code wth} and, when bound,
 * {@code ath}, {@code tth}, {@code oth}. Refuses to sign once the WIT has expired (KEY-3).
 * Immutable and thread-safe.
 */
public final class WptCreator {
    /** Media type suffix of a WPT (WPT-3). */
    public static final String TYP = "wpt+jwt";
    /** Longest proof lifetime this creator will produce. */
    public static final Duration MAX_TTL = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration ttl;

    private WptCreator(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A creator on the system clock with a 60-second lifetime. */
    public static WptCreator create() {
        return new WptCreator(Clock.systemUTC(), Duration.ofSeconds(60));
    }

    /** A creator on {@code clock} with lifetime {@code ttl} (1 s to 5 min, WPT-5). */
    public static WptCreator create(Clock clock, Duration ttl) {
        Objects.requireNonNull(clock, "clock");
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("proof ttl must be between 1 s and " + MAX_TTL.toSeconds() + " s");
        }
        return new WptCreator(clock, ttl);
    }

    /** Signs a proof for {@code audience} with {@code credentials}, binding {@code bindings}. */
    public String create(WorkloadCredentials credentials, String audience, ProofBindings bindings) throws WimseException {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(bindings, "bindings");
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("audience must not be empty");
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        if (!now.isBefore(credentials.expiresAt())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED,
                    "the WIT expired at " + credentials.expiresAt() + "; its key must not sign any more (KEY-3)");
        }
        // the claims written directly (no tree, no Jackson generator); names and order as before
        StringBuilder claims = new StringBuilder(320).append("{\"aud\":");
        JwsWriter.appendJsonString(claims, audience);
        claims.append(",\"iat\":").append(now.getEpochSecond())
                .append(",\"exp\":").append(now.plus(ttl).getEpochSecond())
                .append(",\"jti\":\"").append(JwsWriter.randomJwtId())
                .append("\",\"wth\":\"").append(credentials.witHash()).append('"');
        if (bindings.accessToken().isPresent()) {
            claims.append(",\"ath\":\"").append(Hashes.tokenHash(bindings.accessToken().get())).append('"');
        }
        if (bindings.txnToken().isPresent()) {
            claims.append(",\"tth\":\"").append(Hashes.tokenHash(bindings.txnToken().get())).append('"');
        }
        if (!bindings.others().isEmpty()) {
            // lower-cased names: of two that differ only in case, the later value wins (as a JSON tree did)
            Map<String, String> oth = new LinkedHashMap<>();
            bindings.others().forEach((name, value) -> oth.put(name.toLowerCase(Locale.ROOT), Hashes.tokenHash(value.trim())));
            claims.append(",\"oth\":{");
            String sep = "";
            for (Map.Entry<String, String> e : oth.entrySet()) {
                JwsWriter.appendJsonString(claims.append(sep), e.getKey()).append(":\"").append(e.getValue()).append('"');
                sep = ",";
            }
            claims.append('}');
        }
        claims.append('}');
        return JwsWriter.signJson(credentials.signer(), TYP, claims.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The proof lifetime. */
    public Duration ttl() {
        return ttl;
    }
}
