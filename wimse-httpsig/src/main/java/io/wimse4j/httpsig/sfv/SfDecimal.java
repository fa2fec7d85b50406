package io.wimse4j.httpsig.sfv;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A Decimal (RFC 9651 section 3.3.2): at most 12 integer and 3 fractional digits. Made from any
 * {@link BigDecimal}, it is rounded to 3 fractional digits, to the even neighbour when halfway, as the
 * serialization of section 4.1.5 does ({@code 0.0025} is {@code 0.002}); {@link #value()} is the rounded value
 * with its trailing zeros stripped and at least one fractional digit ({@code 2.0}, {@code 1.5}), so two Decimals are
 * equal exactly when they serialize alike.
 *
 * @param value the rounded value, scale 1 to 3
 */
public record SfDecimal(BigDecimal value) implements BareItem {
    private static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);

    /**
     * Rounds to three fractional digits and checks the range.
     *
     * @throws IllegalArgumentException when the rounded value has more than 12 integer digits
     */
    public SfDecimal {
        Objects.requireNonNull(value, "value");
        value = value.setScale(3, RoundingMode.HALF_EVEN);
        if (value.abs().compareTo(LIMIT) >= 0) {
            throw new IllegalArgumentException("a Decimal has at most 12 integer digits: " + value.toPlainString());
        }
        value = value.stripTrailingZeros();
        if (value.scale() < 1) {
            value = value.setScale(1);
        }
    }

    /** The Decimal {@code value}, rounded; the same as the constructor. */
    public static SfDecimal of(BigDecimal value) {
        return new SfDecimal(value);
    }

    /** The Decimal of {@code value} as {@link BigDecimal#valueOf(double)} spells it, rounded. */
    public static SfDecimal of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a Decimal is finite");
        }
        return new SfDecimal(BigDecimal.valueOf(value));
    }
}
