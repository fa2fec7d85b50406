package io.wimse4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.http.Problem;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer, independent of the server library: status, content type, body and extra headers.
 *
 * @param status      the HTTP status
 * @param contentType the content type, or null without a body
 * @param body        the body (empty for none)
 * @param headers     extra response headers
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    /** JSON media type. */
    public static final String JSON = "application/json";

    /** Copies the parts. */
    public Reply {
        body = body.clone();
        headers = Map.copyOf(headers);
    }

    /** A JSON reply. */
    public static Reply json(int status, JsonNode body) {
        return new Reply(status, JSON, bytes(body), Map.of());
    }

    /** A reply with a text body of {@code contentType}. */
    public static Reply text(int status, String contentType, String body, Map<String, String> headers) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** An empty reply. */
    public static Reply empty(int status) {
        return new Reply(status, null, new byte[0], Map.of());
    }

    /** The problem as an {@code application/problem+json} reply, never stored by a cache. */
    public static Reply problem(Problem p) {
        Map<String, String> h = switch (p.status()) {
            case 401 -> Map.of("WWW-Authenticate", p.challenge().orElse("Bearer"), "Cache-Control", "no-store");
            case 503 -> Map.of("Retry-After", "1", "Cache-Control", "no-store");
            default -> Map.of("Cache-Control", "no-store");
        };
        return new Reply(p.status(), ProblemDetails.MEDIA_TYPE, p.details().toJsonBytes(), h);
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return StrictJson.mapper().writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
