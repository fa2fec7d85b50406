package io.wimse4j.core.wit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Issues Workload Identity Tokens (WIT-1..WIT-11) for one trust domain: header {@code typ}
 * {@code wit+jwt}, claims {@code sub}, {@code exp}, {@code iat}, a 128-bit random {@code jti},
 * optional {@code iss}, and {@code cnf.jwk} (the workload's public key, always with {@code alg}).
 * Signing goes through a {@link JwsSigner}, so the issuer key may live in a KMS or HSM. Refuses a
 * subject outside its trust domain (ID-3). Immutable and thread-safe.
 */
public final class WitIssuer {
    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf");

    private final JwsSigner signer;
    private final TrustDomain trustDomain;
    private final Optional<String> issuer;
    private final Clock clock;
    private final Duration defaultTtl;
    private final Duration maxTtl;

    private WitIssuer(Builder b) {
        this.signer = b.signer;
        this.trustDomain = b.trustDomain;
        this.issuer = Optional.ofNullable(b.issuer);
        this.clock = b.clock;
        this.defaultTtl = b.defaultTtl;
        this.maxTtl = b.maxTtl;
    }

    /** A new builder; signer and trust domain are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A freshly issued WIT. */
    public record IssuedWit(String token, WorkloadIdentifier subject, String jwtId, Instant issuedAt, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedWit[sub=" + subject + ", jti=" + jwtId + ", exp=" + expiresAt + "]";
        }
    }

    /** Issues a WIT with the default lifetime. */
    public IssuedWit issue(WorkloadIdentifier subject, PublicJwk workloadPublicKey) throws WimseException {
        return issue(subject, workloadPublicKey, defaultTtl, Map.of());
    }

    /**
     * Issues a WIT for {@code subject} binding {@code workloadPublicKey} (which must be public and
     * carry {@code alg}, WIT-8), valid for {@code ttl}, with optional {@code extraClaims} (which may
     * not replace registered claims; WIT-11 recommends collision-resistant names).
     */
    public IssuedWit issue(WorkloadIdentifier subject, PublicJwk workloadPublicKey, Duration ttl,
                           Map<String, ?> extraClaims) throws WimseException {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(workloadPublicKey, "workloadPublicKey");
        Objects.requireNonNull(ttl, "ttl");
        if (!subject.isMemberOf(trustDomain)) {
            throw new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN,
                    "this issuer signs for trust domain " + trustDomain + ", not " + subject.trustDomain());
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("ttl must be positive and at most " + maxTtl);
        }
        if (workloadPublicKey.algorithmName().isEmpty()) {
            throw new WimseException(Reason.INVALID_KEY, "cnf JWK must carry 'alg' (WIT-8)");
        }
        JwsAlgorithm cnfAlg = workloadPublicKey.algorithms().iterator().next();
        workloadPublicKey.verifier(cnfAlg);
        for (String name : extraClaims.keySet()) {
            if (REGISTERED.contains(name)) {
                throw new IllegalArgumentException("extra claim '" + name + "' would replace a registered claim");
            }
        }

        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant exp = now.plus(ttl);
        String jti = JwsWriter.randomJwtId();
        ObjectNode claims = StrictJson.mapper().createObjectNode();
        issuer.ifPresent(i -> claims.put("iss", i));
        claims.put("sub", subject.value());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        claims.put("jti", jti);
        claims.putObject("cnf").set("jwk", StrictJson.mapper().valueToTree(workloadPublicKey.toMap()));
        extraClaims.forEach((k, v) -> claims.set(k, StrictJson.mapper().valueToTree(v)));
        String token = JwsWriter.sign(signer, WitVerifier.TYP, claims);
        return new IssuedWit(token, subject, jti, now, exp);
    }

    /** The trust domain this issuer signs for. */
    public TrustDomain trustDomain() {
        return trustDomain;
    }

    /** Builder for {@link WitIssuer}. */
    public static final class Builder {
        private JwsSigner signer;
        private TrustDomain trustDomain;
        private String issuer;
        private Clock clock = Clock.systemUTC();
        private Duration defaultTtl = Duration.ofHours(1);
        private Duration maxTtl = Duration.ofHours(24);

        private Builder() {
        }

        /** The Identity Server's signer (required). */
        public Builder signer(JwsSigner signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /** The trust domain this issuer is authorized for (required, ID-3). */
        public Builder trustDomain(TrustDomain trustDomain) {
            this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
            return this;
        }

        /** The {@code iss} claim, RECOMMENDED (WIT-3). */
        public Builder issuer(String issuer) {
            if (issuer != null && issuer.isBlank()) {
                throw new IllegalArgumentException("issuer must not be blank");
            }
            this.issuer = issuer;
            return this;
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Lifetime used by {@link #issue(WorkloadIdentifier, PublicJwk)} (default 1 hour, WIT-5). */
        public Builder defaultTtl(Duration ttl) {
            this.defaultTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Longest lifetime allowed (default 24 hours). */
        public Builder maxTtl(Duration ttl) {
            this.maxTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Builds the issuer. */
        public WitIssuer build() {
            if (signer == null || trustDomain == null) {
                throw new IllegalStateException("signer(...) and trustDomain(...) are required");
            }
            if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
                throw new IllegalStateException("defaultTtl must be positive and at most maxTtl");
            }
            return new WitIssuer(this);
        }
    }
}
