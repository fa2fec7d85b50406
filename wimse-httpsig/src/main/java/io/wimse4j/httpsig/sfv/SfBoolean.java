package io.wimse4j.httpsig.sfv;

/**
 * A Boolean (RFC 9651 section 3.3.6): {@code ?1} or {@code ?0}. A parameter or dictionary member whose
 * value is true is serialized without its value.
 *
 * @param value the boolean
 */
public record SfBoolean(boolean value) implements BareItem {
    /** The Boolean true, {@code ?1}. */
    public static final SfBoolean TRUE = new SfBoolean(true);
    /** The Boolean false, {@code ?0}. */
    public static final SfBoolean FALSE = new SfBoolean(false);

    /** {@link #TRUE} or {@link #FALSE}. */
    public static SfBoolean of(boolean value) {
        return value ? TRUE : FALSE;
    }
}
