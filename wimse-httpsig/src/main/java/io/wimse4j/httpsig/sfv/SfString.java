package io.wimse4j.httpsig.sfv;

import java.util.Objects;

/**
 * A String (RFC 9651 section 3.3.3): printable ASCII, characters 0x20 to 0x7E; serialized in double
 * quotes with {@code "} and {@code \} escaped. For Unicode text use {@link SfDisplayString}.
 *
 * @param value the characters, not null
 */
public record SfString(String value) implements BareItem {
    /**
     * Checks the characters.
     *
     * @throws IllegalArgumentException when {@code value} has a character outside 0x20..0x7E
     */
    public SfString {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("a String has only characters 0x20 to 0x7E, not "
                        + Chars.describe(c) + " at index " + i);
            }
        }
    }

    /** The String {@code value}; the same as the constructor. */
    public static SfString of(String value) {
        return new SfString(value);
    }
}
