package io.wimse4j.httpsig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link HttpSignatureSigner#signResponse} produced: the header fields to add to the response
 * ({@code Workload-Identity-Token}, {@code Content-Digest} for a body, {@code Signature-Input},
 * {@code Signature}; HS-6). Immutable. {@link #toString()} shows no header value.
 */
public final class ResponseSignature {
    private final Map<String, String> headers;

    ResponseSignature(Map<String, String> headers) {
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Header fields to add, in order, with their canonical capitalization; each appears once. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String toString() {
        return "ResponseSignature[headers=" + headers.keySet() + "]";
    }
}
