package io.wimse4j.client;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The Identity Server refused an issuance request, or answered something unusable. Carries the
 * RFC 9457 problem {@code type}, {@code title} and status when the server sent a problem; the
 * message quotes only those and the server's {@code detail} (which by contract never holds a
 * token or key), never the request.
 */
public final class IdentityServerException extends IOException {
    private static final long serialVersionUID = 1L;
    /** Problem type of a used, unknown or expired join token. */
    public static final URI JOIN_TOKEN_INVALID = URI.create("https://wimse4j.io/problems/join-token-invalid");

    private final int status;
    private final URI problemType;
    private final String title;

    IdentityServerException(int status, URI problemType, String title, String message) {
        super(message);
        this.status = status;
        this.problemType = problemType;
        this.title = title;
    }

    /** The HTTP status, or 0 when the answer itself was unusable. */
    public int status() {
        return status;
    }

    /** The problem {@code type}, when the server sent a problem document. */
    public Optional<URI> problemType() {
        return Optional.ofNullable(problemType);
    }

    /** The problem {@code title}, when the server sent a problem document. */
    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    /** True when the server refused the request (4xx other than 408 and 429): retrying the same attestation will not help. */
    public boolean isRejection() {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }
}
