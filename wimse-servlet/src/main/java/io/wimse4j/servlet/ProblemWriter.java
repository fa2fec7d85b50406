package io.wimse4j.servlet;

import io.wimse4j.core.error.ProblemDetails;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * Writes a refusal of {@link WimseFilter} as the whole response (V-14): the problem, and the
 * authentication scheme to challenge with in {@code WWW-Authenticate} when there is one (401, P2-4).
 * The default, {@link #standard()}, writes core's {@link ProblemDetails} as
 * {@code application/problem+json} with {@code Cache-Control: no-store}; a framework can plug in its
 * own problem type (e.g. Spring's {@code ProblemDetail}) through {@link WimseFilter.Builder#problemWriter},
 * keeping the problem's {@code type}, {@code title}, {@code status}, {@code detail} and {@code code}.
 */
@FunctionalInterface
public interface ProblemWriter {
    /**
     * Writes {@code problem} as the response: status {@code problem.status()} (401 when {@code challenge}
     * is present), with {@code WWW-Authenticate: <challenge>} when present. Never copies a header value.
     */
    void write(ProblemDetails problem, Optional<String> challenge, HttpServletResponse response) throws IOException;

    /** The filter's default writer. */
    static ProblemWriter standard() {
        return ProblemResponses.STANDARD;
    }
}
