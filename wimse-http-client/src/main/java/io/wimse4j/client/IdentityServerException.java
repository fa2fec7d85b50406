package io.wimse4j.client;

import io.wimse4j.core.error.ProblemDetails;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The Identity Server refused an issuance request, or answered something unusable. Carries the
 * RFC 9457 problem the server sent, read by core's {@link ProblemDetails#parse(String)}: compare its
 * {@link #code()} (e.g. {@link #JOIN_TOKEN_INVALID}), never the type URI. The message quotes only
 * the status, code, title and the server's {@code detail} (which by contract never holds a token or
 * key), never the request.
 */
public final class IdentityServerException extends IOException {
    private static final long serialVersionUID = 1L;
    /** Problem code of a used, unknown or expired join token. */
    public static final String JOIN_TOKEN_INVALID = "join-token-invalid";

    private final int status;
    private final transient ProblemDetails problem;

    IdentityServerException(int status, ProblemDetails problem, String message) {
        super(message);
        this.status = status;
        this.problem = problem;
    }

    /** The HTTP status, or 0 when the answer itself was unusable. */
    public int status() {
        return status;
    }

    /** The problem document, when the server sent one. */
    public Optional<ProblemDetails> problem() {
        return Optional.ofNullable(problem);
    }

    /** The problem {@code code}, e.g. {@code join-token-invalid}, when the server sent a problem document. */
    public Optional<String> code() {
        return problem().map(ProblemDetails::code);
    }

    /** The problem {@code type}, when the server sent a problem document; compare {@link #code()} instead. */
    public Optional<URI> problemType() {
        return problem().map(ProblemDetails::type);
    }

    /** The problem {@code title}, when the server sent a problem document. */
    public Optional<String> title() {
        return problem().map(ProblemDetails::title);
    }

    /** True when the server refused the request (4xx other than 408 and 429): retrying the same attestation will not help. */
    public boolean isRejection() {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    /** The exception for a non-200 answer: its RFC 9457 problem when it is one, its status otherwise. */
    static IdentityServerException of(BoundedHttp.Response response) {
        int status = response.status();
        if (response.isJson()) {
            try {
                ProblemDetails p = ProblemDetails.parse(response.body());
                return new IdentityServerException(status, p, "the Identity Server answered " + status
                        + " " + p.code() + " (" + p.title() + ")" + (p.detail().isEmpty() ? "" : ": " + p.detail()));
            } catch (IllegalArgumentException e) {
                // not a usable wimse4j problem document; fall through
            }
        }
        return new IdentityServerException(status, null, "the Identity Server answered HTTP " + status);
    }
}
