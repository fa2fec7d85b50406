package io.wimse4j.httpsig.sfv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Dictionary (RFC 9651 section 3.2): an ordered map from key to {@link Item} or {@link InnerList}, e.g. the
 * {@code Signature-Input} and {@code Signature} fields of RFC 9421. Immutable; equal to a dictionary with the same
 * entries in the same order. A key given twice keeps its first position and its last value (section 4.2.2).
 */
public final class SfDictionary {
    /** The empty dictionary. */
    public static final SfDictionary EMPTY = new SfDictionary(new LinkedHashMap<>());

    private final Map<String, Member> map;

    private SfDictionary(LinkedHashMap<String, Member> map) {
        this.map = Collections.unmodifiableMap(map);
    }

    /** A builder of a dictionary, empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** The member {@code key}; empty when there is none. */
    public Optional<Member> get(String key) {
        return Optional.ofNullable(map.get(key));
    }

    /** True when there is a member {@code key}. */
    public boolean containsKey(String key) {
        return map.containsKey(key);
    }

    /** The keys, in order. */
    public Set<String> keys() {
        return map.keySet();
    }

    /** The members as an unmodifiable map that iterates in order. */
    public Map<String, Member> asMap() {
        return map;
    }

    /** The number of members. */
    public int size() {
        return map.size();
    }

    /** True when there are no members. */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** True for a dictionary with the same entries in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SfDictionary other && List.copyOf(map.entrySet()).equals(List.copyOf(other.map.entrySet()));
    }

    @Override
    public int hashCode() {
        return List.copyOf(map.entrySet()).hashCode();
    }

    /** The serialized form (section 4.1.2). */
    @Override
    public String toString() {
        return StructuredFields.serialize(this);
    }

    /** Builds an {@link SfDictionary}; a key put twice keeps its first position and its last value. */
    public static final class Builder {
        private final LinkedHashMap<String, Member> map = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the member {@code key}.
         *
         * @throws IllegalArgumentException when {@code key} is no key ({@code [a-z*][a-z0-9_\-.*]*})
         */
        public Builder put(String key, Member value) {
            map.put(Chars.requireKey(key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The dictionary built so far. */
        public SfDictionary build() {
            return map.isEmpty() ? EMPTY : new SfDictionary(new LinkedHashMap<>(map));
        }
    }
}
