package io.wimse4j.server.http;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.ProblemType;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.util.Objects;

/**
 * An RFC 9457 problem the server answers with, written by core's {@link ProblemDetails}: the
 * {@code type} ({@link ProblemType#BASE} followed by the code), a title, the HTTP status, a detail
 * that never echoes a token, key or secret, and the {@code code} member clients compare (V-14).
 * Thrown by the request handling code and turned into the response by the router.
 */
public final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * The problem codes of the Identity Server API (see {@code docs/identity-server-api.md}); each is a
     * {@link ProblemType} whose code is unique among all wimse4j problem types.
     */
    public enum Code implements ProblemType {
        /** The body is not the expected JSON. */
        MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
        /** The body exceeds the limit (enforced before parsing). */
        REQUEST_TOO_LARGE("request-too-large", "Request too large", 413),
        /** The content type is not {@code application/json}. */
        UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
        /** {@code public_jwk} is unusable or private. */
        INVALID_PUBLIC_KEY("invalid-public-key", "Invalid public key", 400),
        /** The proof of possession does not verify. */
        INVALID_PROOF("invalid-proof", "Invalid proof of possession", 400),
        /** The proof's {@code jti} was already used. */
        PROOF_REPLAYED("proof-replayed", "Proof replayed", 400),
        /** {@code attestation.method} is not known. */
        UNKNOWN_ATTESTATION_METHOD("unknown-attestation-method", "Unknown attestation method", 400),
        /** The join token is unknown, used or expired. */
        JOIN_TOKEN_INVALID("join-token-invalid", "Join token invalid", 400),
        /** The attestation evidence does not verify or names another identifier. */
        ATTESTATION_FAILED("attestation-failed", "Attestation failed", 400),
        /** The identifier is not registered. */
        UNREGISTERED_IDENTIFIER("unregistered-identifier", "Unregistered identifier", 400),
        /** The registration does not allow the method. */
        METHOD_NOT_ALLOWED_FOR_IDENTIFIER("method-not-allowed-for-identifier", "Method not allowed for identifier", 400),
        /** The identifier is outside the server's trust domain. */
        IDENTIFIER_OUTSIDE_TRUST_DOMAIN("identifier-outside-trust-domain", "Identifier outside trust domain", 400),
        /** Missing or wrong admin token. */
        ADMIN_UNAUTHORIZED("admin-unauthorized", "Admin authorization required", 401),
        /** The registration already exists. */
        REGISTRATION_EXISTS("registration-exists", "Registration exists", 409),
        /** No such registration. */
        REGISTRATION_NOT_FOUND("registration-not-found", "Registration not found", 404),
        /** No such resource. */
        NOT_FOUND("not-found", "Not found", 404),
        /** The method is not supported on this resource. */
        HTTP_METHOD_NOT_ALLOWED("http-method-not-allowed", "Method not allowed", 405),
        /** Too many issuance requests at once: retry after the {@code Retry-After} seconds (load shedding). */
        SERVER_BUSY("server-busy", "Server busy", 503),
        /** An unexpected server failure. */
        INTERNAL_ERROR("internal-error", "Internal error", 500);

        private final String code;
        private final String title;
        private final int status;

        Code(String code, String title, int status) {
            this.code = code;
            this.title = title;
            this.status = status;
        }

        /** The stable code, e.g. {@code server-busy}. */
        @Override
        public String code() {
            return code;
        }

        /** The title. */
        @Override
        public String title() {
            return title;
        }

        /** The HTTP status. */
        @Override
        public int status() {
            return status;
        }

    }

    private final transient ProblemDetails details;
    private final String challenge;

    private Problem(ProblemDetails details) {
        this(details, null, null);
    }

    private Problem(ProblemDetails details, WimseException cause, String challenge) {
        super(details.code() + ": " + details.detail(), cause, false, false);
        this.details = details;
        this.challenge = challenge;
    }

    /** A problem of {@code code}. */
    public static Problem of(Code code, String detail) {
        return new Problem(ProblemDetails.of(code, Objects.requireNonNull(detail)));
    }

    /**
     * A problem of {@code code} whose underlying core failure is {@code cause}: the wire answer stays
     * {@code code} (the Identity Server's contract), while {@link #reason()} keeps the distinct
     * {@link Reason} (the proof of possession's {@code UNSUPPORTED_CRIT}, {@code EXPIRED}, ...).
     */
    public static Problem of(Code code, String detail, WimseException cause) {
        return new Problem(ProblemDetails.of(code, Objects.requireNonNull(detail)), Objects.requireNonNull(cause, "cause"), null);
    }

    /** The core {@link Reason} behind this problem, when it came from one. */
    public java.util.Optional<Reason> reason() {
        return getCause() instanceof WimseException e ? java.util.Optional.of(e.reason()) : java.util.Optional.empty();
    }

    /**
     * A problem with the core {@link Reason}'s code, title and status (WIT/WPT failures): 401 with the
     * failure's {@code WWW-Authenticate} challenge for a credential failure of the wpt-02 transport (P2-4).
     */
    public static Problem of(WimseException e) {
        return new Problem(ProblemDetails.of(e), e, e.challenge().orElse(null));
    }

    /**
     * The authentication scheme a 401 answer challenges with in {@code WWW-Authenticate}: {@code WPT} for
     * a renewal refused under the wpt-02 transport (P2-4); empty otherwise (the admin API's 401 challenges
     * {@code Bearer}).
     */
    public java.util.Optional<String> challenge() {
        return java.util.Optional.ofNullable(challenge);
    }

    /** The stable code, e.g. {@code join-token-invalid} or a {@link Reason}'s code; what metrics and audit record. */
    public String code() {
        return details.code();
    }

    /** The type URI, as a string. */
    public String type() {
        return details.type().toString();
    }

    /** The HTTP status. */
    public int status() {
        return details.status();
    }

    /** The detail. */
    public String detail() {
        return details.detail();
    }

    /** The RFC 9457 document, as core's one writer writes it. */
    public ProblemDetails details() {
        return details;
    }
}
