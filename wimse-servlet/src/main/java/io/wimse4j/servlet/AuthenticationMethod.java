package io.wimse4j.servlet;

/**
 * How {@link WimseFilter} authenticated a caller, so that authorization and audit can tell the
 * mechanisms apart (WIT-12). Exposed by {@link WorkloadPrincipal#method()}, by the request attribute
 * {@value WimseFilter#AUTHENTICATION_METHOD_ATTRIBUTE} and by
 * {@link jakarta.servlet.http.HttpServletRequest#getAuthType()}.
 */
public enum AuthenticationMethod {
    /** A Workload-Identity-Token with its Workload-Proof-Token, verified by the filter (the preferred mechanism). */
    WIMSE("WIMSE"),
    /**
     * An {@code Authorization: Bearer} token accepted by the application's {@link BearerAuthenticator}
     * during a transition, for a caller a {@link BearerTransitionPolicy} still allows (WIT-12).
     */
    BEARER("BEARER"),
    /**
     * The client certificate of a mutual-TLS connection, a Workload Identity Certificate validated for
     * the caller's trust domain (WIC-4, MT-1); authType {@code CLIENT_CERT}, as the Servlet specification
     * names it.
     */
    MUTUAL_TLS("CLIENT_CERT"),
    /**
     * A Workload-Identity-Token with an RFC 9421 HTTP Message Signature made with its key
     * (draft-ietf-wimse-http-signature, HS-1..HS-8), verified by the filter's
     * {@code HttpSignatureVerifier}; authType {@code WIMSE-HTTPSIG}.
     */
    HTTP_SIGNATURE("WIMSE-HTTPSIG");

    private final String authType;

    AuthenticationMethod(String authType) {
        this.authType = authType;
    }

    /** The value {@link jakarta.servlet.http.HttpServletRequest#getAuthType()} answers. */
    public String authType() {
        return authType;
    }

    /** The lower-case token written to the audit line ({@code auth=wimse}, {@code auth=bearer}, {@code auth=mtls}, {@code auth=httpsig}). */
    String auditName() {
        return switch (this) {
            case WIMSE -> "wimse";
            case BEARER -> "bearer";
            case MUTUAL_TLS -> "mtls";
            case HTTP_SIGNATURE -> "httpsig";
        };
    }
}
