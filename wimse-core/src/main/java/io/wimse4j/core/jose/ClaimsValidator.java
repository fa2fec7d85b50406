package io.wimse4j.core.jose;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The registered-claim checks every token kind shares, with their RFC 7519 meaning (C2-5, SEC-2,
 * V-7): {@code exp} is required and the current time must be <em>before</em> {@code exp} plus the
 * leeway (a token at exactly that instant is expired); {@code nbf} must be reached and {@code iat}
 * not lie in the future (both with the leeway); the lifetime is capped; the issuer is either
 * expected or explicitly ignored, and so is the audience. The {@link Clock} is injected and the
 * leeway capped at {@link #MAX_LEEWAY}. Immutable and thread-safe; the builder refuses a validator
 * that says nothing about issuer or audience.
 */
public final class ClaimsValidator {
    /** Largest leeway any validator accepts. */
    public static final Duration MAX_LEEWAY = Duration.ofMinutes(5);

    private enum Mode { IGNORE, REQUIRED, IF_PRESENT }

    private final Clock clock;
    private final Duration leeway;
    private final boolean requireIssuedAt;
    private final Duration maxLifetime;
    private final Duration maxTotalLifetime;
    private final Mode issuerMode;
    private final Set<String> issuers;
    private final Mode audienceMode;
    private final Set<String> audiences;

    private ClaimsValidator(Builder b) {
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.requireIssuedAt = b.requireIssuedAt;
        this.maxLifetime = b.maxLifetime;
        this.maxTotalLifetime = b.maxTotalLifetime;
        this.issuerMode = b.issuerMode;
        this.issuers = b.issuers;
        this.audienceMode = b.audienceMode;
        this.audiences = b.audiences;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Rejects a negative leeway or one above {@link #MAX_LEEWAY}. */
    public static Duration checkLeeway(Duration leeway) {
        if (leeway == null || leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("leeway must be between 0 and " + MAX_LEEWAY.toSeconds() + " s");
        }
        return leeway;
    }

    /** Validates {@code claims} at the clock's current instant and returns {@code exp}. */
    public Instant validate(JwtClaims claims) throws WimseException {
        return validate(claims, clock.instant());
    }

    /** Validates {@code claims} at {@code now} and returns {@code exp}. */
    public Instant validate(JwtClaims claims, Instant now) throws WimseException {
        String what = claims.label();
        Instant exp = claims.requiredTime("exp");
        if (!now.isBefore(exp.plus(leeway))) {
            throw new WimseException(Reason.EXPIRED, what + " expired at " + exp);
        }
        Optional<Instant> nbf = claims.time("nbf");
        if (nbf.isPresent() && now.isBefore(nbf.get().minus(leeway))) {
            throw new WimseException(Reason.NOT_YET_VALID, what + " is not valid before " + nbf.get());
        }
        Optional<Instant> iat = requireIssuedAt ? Optional.of(claims.requiredTime("iat")) : claims.time("iat");
        if (iat.isPresent() && iat.get().isAfter(now.plus(leeway))) {
            throw new WimseException(Reason.ISSUED_IN_FUTURE, what + " was issued in the future (" + iat.get() + ")");
        }
        if (maxLifetime != null && exp.isAfter(now.plus(maxLifetime).plus(leeway))) {
            throw new WimseException(Reason.LIFETIME_TOO_LONG, what + " expires more than " + describe(maxLifetime) + " from now");
        }
        if (maxTotalLifetime != null && iat.isPresent() && Duration.between(iat.get(), exp).compareTo(maxTotalLifetime) > 0) {
            throw new WimseException(Reason.LIFETIME_TOO_LONG, what + " lifetime (iat to exp) exceeds " + describe(maxTotalLifetime));
        }
        checkIssuer(claims);
        checkAudience(claims);
        return exp;
    }

    private void checkIssuer(JwtClaims claims) throws WimseException {
        if (issuerMode == Mode.IGNORE) {
            return; // a kind that reads iss (the WIT) checks its type where it reads it
        }
        String iss = claims.requiredString("iss");
        if (!issuers.contains(iss)) {
            throw new WimseException(Reason.UNTRUSTED_ISSUER, claims.label() + " 'iss' is not an accepted issuer");
        }
    }

    private void checkAudience(JwtClaims claims) throws WimseException {
        if (audienceMode == Mode.IGNORE) {
            return;
        }
        List<String> aud = claims.audiences();
        if (aud.isEmpty()) {
            if (audienceMode == Mode.IF_PRESENT && !claims.has("aud")) {
                return;
            }
            throw new WimseException(claims.has("aud") ? Reason.INVALID_CLAIM : Reason.MISSING_CLAIM,
                    claims.label() + (claims.has("aud") ? " 'aud' is empty" : " has no 'aud' claim"));
        }
        for (String a : aud) {
            if (audiences.contains(a)) {
                return;
            }
        }
        throw new WimseException(Reason.AUDIENCE_MISMATCH, claims.label() + " 'aud' does not name this recipient");
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 3600 == 0 && d.toHours() > 0 ? d.toHours() + " h" : d.toSeconds() + " s";
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The leeway applied to every time check. */
    public Duration leeway() {
        return leeway;
    }

    /** Builder for {@link ClaimsValidator}; one of the issuer and one of the audience settings is required. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration leeway = Duration.ofSeconds(60);
        private boolean requireIssuedAt;
        private Duration maxLifetime;
        private Duration maxTotalLifetime;
        private Mode issuerMode;
        private Set<String> issuers = Set.of();
        private Mode audienceMode;
        private Set<String> audiences = Set.of();

        private Builder() {
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Allowed clock skew, 0 to 5 minutes (default 60 s). */
        public Builder leeway(Duration leeway) {
            this.leeway = checkLeeway(leeway);
            return this;
        }

        /** Requires {@code iat} ({@link Reason#MISSING_CLAIM} when absent). */
        public Builder requireIssuedAt() {
            this.requireIssuedAt = true;
            return this;
        }

        /** Caps the remaining lifetime: {@code exp} at most {@code max} plus the leeway from now. */
        public Builder maxLifetime(Duration max) {
            this.maxLifetime = positive(max, "maxLifetime");
            return this;
        }

        /** Caps the whole lifetime: {@code exp - iat} at most {@code max}, when {@code iat} is present. */
        public Builder maxTotalLifetime(Duration max) {
            this.maxTotalLifetime = positive(max, "maxTotalLifetime");
            return this;
        }

        /** Requires {@code iss} ({@link Reason#MISSING_CLAIM}) to be one of {@code accepted} ({@link Reason#UNTRUSTED_ISSUER}). */
        public Builder expectIssuers(Set<String> accepted) {
            if (accepted.isEmpty()) {
                throw new IllegalArgumentException("at least one issuer is required; use ignoreIssuer() to accept any");
            }
            this.issuerMode = Mode.REQUIRED;
            this.issuers = Set.copyOf(accepted);
            return this;
        }

        /** Leaves {@code iss} to the token kind: any value, or none, passes this validator. */
        public Builder ignoreIssuer() {
            this.issuerMode = Mode.IGNORE;
            this.issuers = Set.of();
            return this;
        }

        /** Requires {@code aud} to name one of {@code accepted} ({@link Reason#AUDIENCE_MISMATCH}). */
        public Builder expectAudience(Set<String> accepted) {
            return audience(Mode.REQUIRED, accepted);
        }

        /**
         * Accepts a token without {@code aud}, but one that carries it must name one of
         * {@code accepted} (C2-5: RFC 7519 4.1.3); with an empty set, any {@code aud} is refused.
         */
        public Builder expectAudienceIfPresent(Set<String> accepted) {
            return audience(Mode.IF_PRESENT, accepted);
        }

        /** Leaves {@code aud} to the token kind (the WPT matches it against the request, V-6). */
        public Builder ignoreAudience() {
            this.audienceMode = Mode.IGNORE;
            this.audiences = Set.of();
            return this;
        }

        private Builder audience(Mode mode, Set<String> accepted) {
            if (mode == Mode.REQUIRED && accepted.isEmpty()) {
                throw new IllegalArgumentException("at least one audience is required; use ignoreAudience() otherwise");
            }
            this.audienceMode = mode;
            this.audiences = Set.copyOf(accepted);
            return this;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }

        /** Builds the validator. */
        public ClaimsValidator build() {
            if (issuerMode == null) {
                throw new IllegalStateException("say expectIssuers(...) or ignoreIssuer()");
            }
            if (audienceMode == null) {
                throw new IllegalStateException("say expectAudience(...), expectAudienceIfPresent(...) or ignoreAudience()");
            }
            return new ClaimsValidator(this);
        }
    }
}
