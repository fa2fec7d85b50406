package io.wimse4j.httpsig.sfv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of an item or inner list (RFC 9651 section 3.1.2): an ordered map from key to bare item.
 * Immutable; equal to other parameters with the same entries in the same order. A key given twice keeps its
 * first position and its last value (section 4.2.3.2: "overwrite its value").
 */
public final class Parameters {
    /** No parameters. */
    public static final Parameters EMPTY = new Parameters(new LinkedHashMap<>());

    private final Map<String, BareItem> map;

    private Parameters(LinkedHashMap<String, BareItem> map) {
        this.map = Collections.unmodifiableMap(map);
    }

    /** A builder of parameters, empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** One parameter. */
    public static Parameters of(String key, BareItem value) {
        return builder().put(key, value).build();
    }

    /** The value of {@code key}; empty when there is no such parameter. */
    public Optional<BareItem> get(String key) {
        return Optional.ofNullable(map.get(key));
    }

    /** True when there is a parameter {@code key}. */
    public boolean containsKey(String key) {
        return map.containsKey(key);
    }

    /** The keys, in order. */
    public Set<String> keys() {
        return map.keySet();
    }

    /** The parameters as an unmodifiable map that iterates in order. */
    public Map<String, BareItem> asMap() {
        return map;
    }

    /** The number of parameters. */
    public int size() {
        return map.size();
    }

    /** True when there are none. */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** These parameters with {@code key} set to {@code value}: in its place if present, otherwise last. */
    public Parameters with(String key, BareItem value) {
        return new Builder(map).put(key, value).build();
    }

    /** True for parameters with the same entries in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters other && List.copyOf(map.entrySet()).equals(List.copyOf(other.map.entrySet()));
    }

    @Override
    public int hashCode() {
        return List.copyOf(map.entrySet()).hashCode();
    }

    /** The serialized form (section 4.1.1.2), e.g. {@code ;a=1;b}; empty for no parameters. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        Serializer.parameters(this, out);
        return out.toString();
    }

    /** Builds {@link Parameters}; a key put twice keeps its first position and its last value. */
    public static final class Builder {
        private final LinkedHashMap<String, BareItem> map;

        private Builder() {
            this.map = new LinkedHashMap<>();
        }

        private Builder(Map<String, BareItem> entries) {
            this.map = new LinkedHashMap<>(entries);
        }

        /**
         * Sets the parameter {@code key}.
         *
         * @throws IllegalArgumentException when {@code key} is no key ({@code [a-z*][a-z0-9_\-.*]*})
         */
        public Builder put(String key, BareItem value) {
            map.put(Chars.requireKey(key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The parameters put so far. */
        public Parameters build() {
            return map.isEmpty() ? EMPTY : new Parameters(new LinkedHashMap<>(map));
        }
    }
}
