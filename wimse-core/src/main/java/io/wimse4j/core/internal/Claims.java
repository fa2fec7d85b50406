package io.wimse4j.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.time.Instant;
import java.util.Optional;

/**
 * Typed reads of JWT claims with the reasons the rules ask for: an absent required claim is
 * {@link Reason#MISSING_CLAIM}, a claim of the wrong JSON type {@link Reason#INVALID_CLAIM}.
 */
public final class Claims {
    /** Longest string accepted for {@code jti}. */
    public static final int MAX_JTI_LENGTH = 256;

    private Claims() {
    }

    /** A required string claim. */
    public static String requiredString(ObjectNode claims, String name, String what) throws WimseException {
        return optionalString(claims, name, what).orElseThrow(() ->
                new WimseException(Reason.MISSING_CLAIM, what + " has no '" + name + "' claim"));
    }

    /** An optional string claim; present but not a string is an error. */
    public static Optional<String> optionalString(ObjectNode claims, String name, String what) throws WimseException {
        JsonNode n = claims.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new WimseException(Reason.INVALID_CLAIM, what + " claim '" + name + "' is not a string");
        }
        return Optional.of(n.textValue());
    }

    /** A required NumericDate claim (RFC 7519 section 2), fractional seconds floored. */
    public static Instant requiredTime(ObjectNode claims, String name, String what) throws WimseException {
        return optionalTime(claims, name, what).orElseThrow(() ->
                new WimseException(Reason.MISSING_CLAIM, what + " has no '" + name + "' claim"));
    }

    /** An optional NumericDate claim. */
    public static Optional<Instant> optionalTime(ObjectNode claims, String name, String what) throws WimseException {
        JsonNode n = claims.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isNumber()) {
            throw new WimseException(Reason.INVALID_CLAIM, what + " claim '" + name + "' is not a NumericDate");
        }
        double v = n.doubleValue();
        if (!(v >= 0 && v < 253402300800d)) {
            throw new WimseException(Reason.INVALID_CLAIM, what + " claim '" + name + "' is out of range");
        }
        return Optional.of(Instant.ofEpochSecond(n.isIntegralNumber() ? n.longValue() : (long) Math.floor(v)));
    }

    /** A {@code jti}: a non-empty string of at most {@value #MAX_JTI_LENGTH} characters. */
    public static Optional<String> jwtId(ObjectNode claims, String what) throws WimseException {
        Optional<String> jti = optionalString(claims, "jti", what);
        if (jti.isPresent() && (jti.get().isEmpty() || jti.get().length() > MAX_JTI_LENGTH)) {
            throw new WimseException(Reason.INVALID_CLAIM, what + " 'jti' must have 1 to " + MAX_JTI_LENGTH + " characters");
        }
        return jti;
    }
}
