package io.wimse4j.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.StrictJson;

import java.util.Objects;

/**
 * An RFC 9457 problem the server answers with: {@code type} {@code https://wimse4j.io/problems/<code>},
 * a title, the HTTP status and a detail that never echoes a token, key or secret. Thrown by the
 * request handling code and turned into the response by the router.
 */
public final class Problem extends Exception {
    private static final long serialVersionUID = 1L;
    /** Base of every problem type URI. */
    public static final String TYPE_BASE = "https://wimse4j.io/problems/";

    /** The problem codes of the Identity Server API (see {@code docs/identity-server-api.md}). */
    public enum Code {
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

        private final String slug;
        private final String title;
        private final int status;

        Code(String slug, String title, int status) {
            this.slug = slug;
            this.title = title;
            this.status = status;
        }

        /** The type URI. */
        public String type() {
            return TYPE_BASE + slug;
        }

        /** The last segment of the type URI, e.g. {@code server-busy}. */
        public String slug() {
            return slug;
        }
    }

    private final String type;
    private final String title;
    private final int status;
    private final String detail;

    private Problem(String type, String title, int status, String detail) {
        super(type + ": " + detail, null, false, false);
        this.type = type;
        this.title = title;
        this.status = status;
        this.detail = detail;
    }

    /** A problem of {@code code}. */
    public static Problem of(Code code, String detail) {
        return new Problem(code.type(), code.title, code.status, Objects.requireNonNull(detail));
    }

    /** A problem with the core {@link Reason}'s type, title and status (WIT/WPT failures). */
    /**
     * Refuses the first member of {@code object} that is not in {@code allowed}, naming it (cut to 40
     * characters) in a {@code code} problem: a typo in a request is an error, never silently ignored.
     */
    public static void requireOnlyMembers(com.fasterxml.jackson.databind.JsonNode object, java.util.Set<String> allowed,
                                          Code code, String what) throws Problem {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String member = it.next();
            if (!allowed.contains(member)) {
                throw of(code, what + " member '" + (member.length() <= 40 ? member : member.substring(0, 40) + "...")
                        + "' is not accepted");
            }
        }
    }

    public static Problem of(WimseException e) {
        Reason r = e.reason();
        return new Problem(r.problemType().toString(), r.title(), r.httpStatus(), e.detail());
    }

    /** The type URI. */
    public String type() {
        return type;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The detail. */
    public String detail() {
        return detail;
    }

    /** The {@code application/problem+json} body. */
    public ObjectNode body() {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("type", type);
        o.put("title", title);
        o.put("status", status);
        o.put("detail", detail);
        return o;
    }
}
