package io.wimse4j.servlet;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * The filter's own problems ({@link FilterProblem}) and the writing of every problem (V-14), built and written through core's {@link ProblemDetails}: status,
 * {@code Content-Type: application/problem+json}, {@code Cache-Control: no-store} and the body with
 * its {@code code}. Details come from {@link WimseException#detail()} or are fixed texts here; no
 * header value is ever copied into a problem.
 */
final class ProblemResponses {
    /** {@link ProblemWriter#standard()}. */
    static final ProblemWriter STANDARD = (problem, challenge, response) -> write(problem, response, challenge.orElse(null));

    private ProblemResponses() {
    }

    /** Writes {@code problem} through {@code writer}. */
    static void write(ProblemWriter writer, ProblemDetails problem, HttpServletResponse response) throws IOException {
        writer.write(problem, Optional.empty(), response);
    }

    /** Writes the problem of {@code failure} through {@code writer}, with its challenge (P2-4). */
    static void write(ProblemWriter writer, WimseException failure, HttpServletResponse response) throws IOException {
        writer.write(ProblemDetails.of(failure), failure.challenge(), response);
    }

    /** The 403 problem for an authenticated caller that is not authorized for the request. */
    static ProblemDetails forbidden(String detail) {
        return ProblemDetails.of(FilterProblem.FORBIDDEN, detail);
    }

    /** The 400 problem for a bearer-authenticated {@code caller} that must use WIMSE instead (WIT-12). */
    static ProblemDetails bearerNotAllowed(WorkloadIdentifier caller) {
        return ProblemDetails.of(FilterProblem.BEARER_NOT_ALLOWED, "workload " + caller.value()
                + " must authenticate with a Workload-Identity-Token and a Workload-Proof-Token;"
                + " bearer tokens are no longer accepted from it");
    }

    /** The 400 problem for a bearer token the application's authenticator did not accept (WIT-12). */
    static ProblemDetails bearerInvalid() {
        return ProblemDetails.of(FilterProblem.BEARER_INVALID, "the bearer token was not accepted");
    }

    /** Writes {@code problem} as the whole response. */
    static void write(ProblemDetails problem, HttpServletResponse response) throws IOException {
        write(problem, response, null);
    }

    /**
     * Writes the problem of {@code failure} as the whole response: 401 with
     * {@code WWW-Authenticate: <challenge>} for a challenged credential failure (P2-4), else its reason's status.
     */
    static void write(WimseException failure, HttpServletResponse response) throws IOException {
        write(ProblemDetails.of(failure), response, failure.challenge().orElse(null));
    }

    private static void write(ProblemDetails problem, HttpServletResponse response, String challenge) throws IOException {
        byte[] body = problem.toJsonBytes();
        response.resetBuffer();
        response.setStatus(problem.status());
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setContentType(ProblemDetails.MEDIA_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
