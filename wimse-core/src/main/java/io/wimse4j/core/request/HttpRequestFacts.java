package io.wimse4j.core.request;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a receiver knows about an HTTP request: method, target URI and every header value, repeated
 * headers kept in order. Header names are case-insensitive (stored in lower case); values are kept
 * exactly (WIT-10). The HTTP layer must build {@code targetUri} from the service's configured
 * external base URI and the request path, never from {@code Host} or {@code X-Forwarded-Host}.
 *
 * @param method    the request method, e.g. {@code POST}
 * @param targetUri the target URI (query and fragment are ignored for {@code aud}, V-6)
 * @param headers   lower-case name to values, in arrival order
 */
public record HttpRequestFacts(String method, URI targetUri, Map<String, List<String>> headers) {
    /** Validates and copies the parts. */
    public HttpRequestFacts {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(targetUri, "targetUri");
        if (!targetUri.isAbsolute() || targetUri.getRawAuthority() == null) {
            throw new IllegalArgumentException("target URI must be absolute with an authority");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        copy.replaceAll((k, v) -> List.copyOf(v));
        headers = Collections.unmodifiableMap(copy);
    }

    /** Method, target URI and header names only: header values may be credentials. */
    @Override
    public String toString() {
        return "HttpRequestFacts[" + method + " " + targetUri + ", headers=" + headers.keySet() + "]";
    }

    /** All values of header {@code name} (any case), empty when absent. */
    public List<String> values(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** A new builder. */
    public static Builder builder(String method, URI targetUri) {
        return new Builder(method, targetUri);
    }

    /** Builder that keeps repeated headers. */
    public static final class Builder {
        private final String method;
        private final URI targetUri;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        private Builder(String method, URI targetUri) {
            this.method = method;
            this.targetUri = targetUri;
        }

        /** Adds one value of header {@code name}; call again to repeat the header. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(Objects.requireNonNull(value));
            return this;
        }

        /** Builds the facts. */
        public HttpRequestFacts build() {
            return new HttpRequestFacts(method, targetUri, headers);
        }
    }
}
