package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RFC 9457 problem-details body as the filter answers it (V-14): {@code type}, {@code title},
 * {@code status}, {@code detail} and the wimse4j extension member {@code reason} (the
 * {@link Reason} name, {@code FORBIDDEN} for an authorization denial, {@code BEARER_NOT_ALLOWED} or
 * {@code BEARER_INVALID} for a refused bearer token under a {@link BearerTransitionPolicy}). The detail comes from
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

    /**
     * Problem type of a caller that authenticated with a bearer token although a
     * {@link BearerTransitionPolicy} no longer allows it to (it supports WIMSE; WIT-12). Status 400.
     */
    public static final URI BEARER_NOT_ALLOWED_TYPE = URI.create("https://wimse4j.io/problems/bearer-not-allowed");
    /** The {@code reason} member of a {@link #BEARER_NOT_ALLOWED_TYPE} problem. */
    public static final String BEARER_NOT_ALLOWED_REASON = "BEARER_NOT_ALLOWED";
    /**
     * Problem type of a bearer token that the application's {@link BearerAuthenticator} refused or
     * failed on (WIT-12). Status 400; the detail never says why.
     */
    public static final URI BEARER_INVALID_TYPE = URI.create("https://wimse4j.io/problems/bearer-invalid");
    /** The {@code reason} member of a {@link #BEARER_INVALID_TYPE} problem. */
    public static final String BEARER_INVALID_REASON = "BEARER_INVALID";

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

    /** The 400 problem for a bearer-authenticated {@code caller} that must use WIMSE instead (WIT-12). */
    public static ProblemDetails bearerNotAllowed(WorkloadIdentifier caller) {
        return new ProblemDetails(BEARER_NOT_ALLOWED_TYPE, "Bearer token not allowed", 400,
                "workload " + caller.value() + " must authenticate with a Workload-Identity-Token and a"
                        + " Workload-Proof-Token; bearer tokens are no longer accepted from it", BEARER_NOT_ALLOWED_REASON);
    }

    /** The 400 problem for a bearer token the application's authenticator did not accept (WIT-12). */
    public static ProblemDetails bearerInvalid() {
        return new ProblemDetails(BEARER_INVALID_TYPE, "Bearer token not accepted", 400,
                "the bearer token was not accepted", BEARER_INVALID_REASON);
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
