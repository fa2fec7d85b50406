package io.wimse4j.httpsig.sfv;

import java.time.Instant;

/**
 * A Date (RFC 9651 section 3.3.7): whole seconds since the Unix epoch, in the range of an
 * {@link SfInteger} ({@code @1659578233}).
 *
 * @param epochSeconds seconds since 1970-01-01T00:00:00Z
 */
public record SfDate(long epochSeconds) implements BareItem {
    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException when {@code epochSeconds} is outside {@link SfInteger#MIN}..{@link SfInteger#MAX}
     */
    public SfDate {
        if (epochSeconds < SfInteger.MIN || epochSeconds > SfInteger.MAX) {
            throw new IllegalArgumentException("a Date has at most 15 digits: " + epochSeconds);
        }
    }

    /** The Date of {@code instant}, truncated to whole seconds. */
    public static SfDate of(Instant instant) {
        return new SfDate(instant.getEpochSecond());
    }

    /** This Date as an {@link Instant}. */
    public Instant toInstant() {
        return Instant.ofEpochSecond(epochSeconds);
    }
}
