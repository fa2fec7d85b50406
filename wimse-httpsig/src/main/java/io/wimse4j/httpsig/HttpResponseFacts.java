package io.wimse4j.httpsig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the signer or verifier of a response knows about it: the status code and every header value,
 * repeated headers kept in order. Header names are case-insensitive (stored in lower case); values are
 * kept exactly. The counterpart of {@link io.wimse4j.core.request.HttpRequestFacts} for HS-6.
 *
 * @param status  the status code, 100..999 (RFC 9421 {@code @status} is three digits)
 * @param headers lower-case name to values, in arrival order
 */
public record HttpResponseFacts(int status, Map<String, List<String>> headers) {
    /** Validates and copies the parts. */
    public HttpResponseFacts {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("a status code has three digits");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        copy.replaceAll((k, v) -> List.copyOf(v));
        headers = Collections.unmodifiableMap(copy);
    }

    /** Status and header names only: header values may be credentials. */
    @Override
    public String toString() {
        return "HttpResponseFacts[" + status + ", headers=" + headers.keySet() + "]";
    }

    /** All values of header {@code name} (any case), empty when absent. */
    public List<String> values(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** A new builder. */
    public static Builder builder(int status) {
        return new Builder(status);
    }

    /** Builder that keeps repeated headers. */
    public static final class Builder {
        private final int status;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        private Builder(int status) {
            this.status = status;
        }

        /** Adds one value of header {@code name}; call again to repeat the header. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(Objects.requireNonNull(value));
            return this;
        }

        /** Builds the facts. */
        public HttpResponseFacts build() {
            return new HttpResponseFacts(status, headers);
        }
    }
}
