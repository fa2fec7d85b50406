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
    BEARER("BEARER");

    private final String authType;

    AuthenticationMethod(String authType) {
        this.authType = authType;
    }

    /** The value {@link jakarta.servlet.http.HttpServletRequest#getAuthType()} answers. */
    public String authType() {
        return authType;
    }

    /** The lower-case token written to the audit line ({@code auth=wimse}, {@code auth=bearer}). */
    String auditName() {
        return this == WIMSE ? "wimse" : "bearer";
    }
}
