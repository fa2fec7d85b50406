package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RFC 9457 problem-details body as the filter answers it (V-14): {@code type}, {@code title},
 * {@code status}, {@code detail} and the wimse4j extension member {@code reason} (the
 * {@link Reason} name, or {@code FORBIDDEN} for an authorization denial). The detail comes from
 * {@link WimseException#detail()}, which never contains a token or key material; no header value is
 * ever copied into a problem.
 *
 * @param type   the problem type URI
 * @param title  a short, stable title
 * @param status the HTTP status
 * @param detail a human-readable explanation, safe to return
 * @param reason the machine-readable reason name
 */
public record ProblemDetails(URI type, String title, int status, String detail, String reason) {
    /** The media type of every problem this filter writes. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Problem type of an authenticated caller that the {@link AuthorizationPolicy} denies. */
    public static final URI FORBIDDEN_TYPE = URI.create("https://wimse4j.io/problems/forbidden");
    /** The {@code reason} member of an authorization denial. */
    public static final String FORBIDDEN_REASON = "FORBIDDEN";
    /** Problem type of a request whose target URI cannot be built (should not pass a sane container). */
    public static final URI INVALID_TARGET_TYPE = URI.create("https://wimse4j.io/problems/invalid-target");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Validates the members. */
    public ProblemDetails {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(reason, "reason");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem status must be 4xx or 5xx");
        }
    }

    /** The problem for a rejected request: status, type and title from {@code reason}. */
    public static ProblemDetails of(Reason reason, String detail) {
        Objects.requireNonNull(reason, "reason");
        return new ProblemDetails(reason.problemType(), reason.title(), reason.httpStatus(),
                detail == null ? "" : detail, reason.name());
    }

    /** The problem for a {@link WimseException}. */
    public static ProblemDetails of(WimseException e) {
        return of(e.reason(), e.detail());
    }

    /** The 403 problem for an authenticated caller that is not authorized for the request. */
    public static ProblemDetails forbidden(String detail) {
        return new ProblemDetails(FORBIDDEN_TYPE, "Forbidden", 403, detail, FORBIDDEN_REASON);
    }

    /** The JSON body, UTF-8. */
    public byte[] toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type.toString());
        n.put("title", title);
        n.put("status", status);
        n.put("detail", detail);
        n.put("reason", reason);
        try {
            return MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes status, {@code Content-Type: application/problem+json}, {@code no-store} and the body. */
    public void writeTo(HttpServletResponse response) throws IOException {
        byte[] body = toJson();
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
