package io.wimse4j.httpsig.sfv;

import java.util.List;

/**
 * A List (RFC 9651 section 3.1): members, each an {@link Item} or an {@link InnerList}, e.g.
 * {@code sugar, tea, rum}. An empty list is what a field that is absent parses to, and serializes to the empty string.
 *
 * @param members the members, in order (copied, unmodifiable)
 */
public record SfList(List<Member> members) {
    /** The empty list. */
    public static final SfList EMPTY = new SfList(List.of());

    /** Copies the members. */
    public SfList {
        members = List.copyOf(members);
    }

    /** The list of {@code members}. */
    public static SfList of(Member... members) {
        return new SfList(List.of(members));
    }

    /** The number of members. */
    public int size() {
        return members.size();
    }

    /** True when there are no members. */
    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** The serialized form (section 4.1.1). */
    @Override
    public String toString() {
        return StructuredFields.serialize(this);
    }
}
