package io.wimse4j.httpsig.sfv;

import java.util.Objects;

/**
 * A Display String (RFC 9651 section 3.3.8): Unicode text, serialized as {@code %"..."} with the UTF-8 bytes of
 * {@code %}, {@code "}, controls and non-ASCII characters percent-encoded in lower case ({@code %"f%c3%bc%c3%bc"}).
 *
 * @param value the text, not null, well-formed UTF-16 (no unpaired surrogate)
 */
public record SfDisplayString(String value) implements BareItem {
    /**
     * Checks that the text can be encoded in UTF-8.
     *
     * @throws IllegalArgumentException when {@code value} has an unpaired surrogate
     */
    public SfDisplayString {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a Display String has no unpaired surrogate (index " + i + ")");
            }
        }
    }

    /** The Display String {@code value}; the same as the constructor. */
    public static SfDisplayString of(String value) {
        return new SfDisplayString(value);
    }
}
