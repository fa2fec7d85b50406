package io.wimse4j.httpsig.sfv;

import java.util.List;
import java.util.Objects;

/**
 * An Inner List (RFC 9651 section 3.1.1): items in parentheses, with parameters of its own, e.g.
 * {@code ("@method" "@path");created=1618884473} in an RFC 9421 {@code Signature-Input}.
 *
 * @param items      the items, in order (copied, unmodifiable)
 * @param parameters the parameters of the inner list, not null
 */
public record InnerList(List<Item> items, Parameters parameters) implements Member {
    /** Copies the items and checks for null. */
    public InnerList {
        items = List.copyOf(items);
        Objects.requireNonNull(parameters, "parameters");
    }

    /** The inner list of {@code items} without parameters. */
    public static InnerList of(List<Item> items) {
        return new InnerList(items, Parameters.EMPTY);
    }

    /** The inner list of {@code items} with {@code parameters}. */
    public static InnerList of(List<Item> items, Parameters parameters) {
        return new InnerList(items, parameters);
    }

    /** The serialized form (section 4.1.1.1). */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        Serializer.innerList(this, out);
        return out.toString();
    }
}
