package io.wimse4j.httpsig.sfv;

import java.util.Objects;

/**
 * An Item (RFC 9651 section 3.3): a bare item with parameters, e.g. {@code 5;foo=bar}.
 *
 * @param value      the bare item, not null
 * @param parameters its parameters, not null ({@link Parameters#EMPTY} for none)
 */
public record Item(BareItem value, Parameters parameters) implements Member {
    /** Checks for null. */
    public Item {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** The item {@code value} without parameters. */
    public static Item of(BareItem value) {
        return new Item(value, Parameters.EMPTY);
    }

    /** The item {@code value} with {@code parameters}. */
    public static Item of(BareItem value, Parameters parameters) {
        return new Item(value, parameters);
    }

    /** The serialized form (section 4.1.3). */
    @Override
    public String toString() {
        return StructuredFields.serialize(this);
    }
}
