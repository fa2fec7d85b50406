package io.wimse4j.httpsig.sfv;

import java.util.Objects;

/**
 * A Token (RFC 9651 section 3.3.4): a short textual word, serialized without quotes. The first character is
 * an ASCII letter or {@code *}, the others are {@code tchar} (RFC 9110 section 5.6.2), {@code :} or {@code /}.
 *
 * @param value the characters, not null
 */
public record SfToken(String value) implements BareItem {
    /**
     * Checks the characters.
     *
     * @throws IllegalArgumentException when {@code value} is empty or has a character a Token cannot have
     */
    public SfToken {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || !(Chars.isAlpha(value.charAt(0)) || value.charAt(0) == '*')) {
            throw new IllegalArgumentException("a Token starts with a letter or *");
        }
        for (int i = 1; i < value.length(); i++) {
            if (!Chars.isTokenChar(value.charAt(i))) {
                throw new IllegalArgumentException("a Token has no " + Chars.describe(value.charAt(i)) + " (index " + i + ")");
            }
        }
    }

    /** The Token {@code value}; the same as the constructor. */
    public static SfToken of(String value) {
        return new SfToken(value);
    }
}
