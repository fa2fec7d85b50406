package io.wimse4j.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The time checks shared by WIT and WPT validation (SEC-2, V-7): {@code exp} required and not
 * passed, {@code nbf} reached and {@code iat} not in the future, each with a leeway for clock skew.
 */
public final class Validity {
    /** Largest leeway any validator accepts. */
    public static final Duration MAX_LEEWAY = io.wimse4j.core.jose.ClaimsValidator.MAX_LEEWAY;

    private Validity() {
    }

    /** Rejects a negative leeway or one above {@link #MAX_LEEWAY}. */
    public static Duration checkLeeway(Duration leeway) {
        if (leeway == null || leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("leeway must be between 0 and " + MAX_LEEWAY.toSeconds() + " s");
        }
        return leeway;
    }

    /**
     * Checks {@code exp}, {@code nbf} and {@code iat} of {@code claims} at {@code now} and returns
     * {@code exp}.
     */
    public static Instant check(ObjectNode claims, Instant now, Duration leeway, String what) throws WimseException {
        Instant exp = Claims.requiredTime(claims, "exp", what);
        if (!now.isBefore(exp.plus(leeway))) { // C2-5: expired at exactly exp + leeway
            throw new WimseException(Reason.EXPIRED, what + " expired at " + exp);
        }
        Optional<Instant> nbf = Claims.optionalTime(claims, "nbf", what);
        if (nbf.isPresent() && now.isBefore(nbf.get().minus(leeway))) {
            throw new WimseException(Reason.NOT_YET_VALID, what + " is not valid before " + nbf.get());
        }
        Optional<Instant> iat = Claims.optionalTime(claims, "iat", what);
        if (iat.isPresent() && iat.get().isAfter(now.plus(leeway))) {
            throw new WimseException(Reason.ISSUED_IN_FUTURE, what + " was issued in the future (" + iat.get() + ")");
        }
        return exp;
    }
}
