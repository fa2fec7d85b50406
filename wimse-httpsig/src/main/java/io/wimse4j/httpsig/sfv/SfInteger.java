package io.wimse4j.httpsig.sfv;

/**
 * An Integer (RFC 9651 section 3.3.1): at most 15 decimal digits, from {@value #MIN} to {@value #MAX}.
 *
 * @param value the integer
 */
public record SfInteger(long value) implements BareItem {
    /** The largest Integer, 999,999,999,999,999. */
    public static final long MAX = 999_999_999_999_999L;
    /** The smallest Integer, -999,999,999,999,999. */
    public static final long MIN = -MAX;

    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException when {@code value} is below {@link #MIN} or above {@link #MAX}
     */
    public SfInteger {
        if (value < MIN || value > MAX) {
            throw new IllegalArgumentException("an Integer has at most 15 digits: " + value);
        }
    }

    /** The Integer {@code value}; the same as the constructor. */
    public static SfInteger of(long value) {
        return new SfInteger(value);
    }
}
