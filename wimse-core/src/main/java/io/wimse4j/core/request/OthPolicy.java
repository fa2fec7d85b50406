package io.wimse4j.core.request;

import io.wimse4j.core.wpt.WimseHeaders;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The application profile for {@code oth} (WPT-10, V-12, V-13): which headers the receiver
 * understands as bound other tokens. An {@code oth} entry for any other name rejects the proof
 * ({@link io.wimse4j.core.error.Reason#OTH_UNKNOWN_ENTRY}). A <em>required</em> header, when
 * present in the request, must be covered. A repeated header is refused unless the profile allows
 * it for that name, in which case its values are joined with {@code ", "} (RFC 9110 section 5.3)
 * before hashing. Immutable.
 */
public final class OthPolicy {
    /** How the profile treats one header. */
    public record Rule(boolean requiredWhenPresent, boolean allowRepeated) {
    }

    private static final OthPolicy NONE = new OthPolicy(Map.of());

    private final Map<String, Rule> rules;

    private OthPolicy(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** The default: no {@code oth} entry is understood. */
    public static OthPolicy none() {
        return NONE;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The rule for lower-case header {@code name}, if understood. */
    public Optional<Rule> rule(String name) {
        return Optional.ofNullable(rules.get(name));
    }

    /** Every understood header name (lower case) with its rule. */
    public Map<String, Rule> rules() {
        return rules;
    }

    /** Builder for {@link OthPolicy}. */
    public static final class Builder {
        private final Map<String, Rule> rules = new TreeMap<>();

        private Builder() {
        }

        /** Understands {@code header} in {@code oth}; it need not be bound. */
        public Builder optional(String header) {
            return add(header, new Rule(false, false));
        }

        /** Understands {@code header} and requires it to be bound whenever the request carries it (V-12). */
        public Builder required(String header) {
            return add(header, new Rule(true, false));
        }

        /** Understands {@code header} with an explicit rule. */
        public Builder add(String header, Rule rule) {
            String n = header.toLowerCase(Locale.ROOT).trim();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("header name must not be empty");
            }
            if (WimseHeaders.hasOwnBinding(n)) {
                throw new IllegalArgumentException("'" + header + "' has its own binding and cannot be in oth");
            }
            if (rules.putIfAbsent(n, rule) != null) {
                throw new IllegalArgumentException("duplicate oth rule for '" + n + "'");
            }
            return this;
        }

        /** Builds the policy. */
        public OthPolicy build() {
            return new OthPolicy(rules);
        }
    }
}
