package io.wimse4j.servlet;

import io.wimse4j.core.error.ProblemType;
import io.wimse4j.core.error.Reason;


/**
 * The problems {@link WimseFilter} answers besides the core {@link Reason}s, each a
 * {@link ProblemType} with a code unique among all wimse4j problem types. Every body is written by
 * core's {@link io.wimse4j.core.error.ProblemDetails} and carries its {@code code}; clients compare
 * codes, never type URIs (V-14).
 */
public enum FilterProblem implements ProblemType {
    /** 403: an authenticated caller that the configured {@code CallerAuthorizer} denies (ID-2). */
    FORBIDDEN("forbidden", "Forbidden", 403),
    /** 400: the request target cannot form a URI (should not pass a sane container). */
    INVALID_TARGET("invalid-target", "Invalid request target", 400),
    /**
     * 400: a caller that authenticated with a bearer token although the {@link BearerTransitionPolicy}
     * no longer allows it to (it supports WIMSE; WIT-12).
     */
    BEARER_NOT_ALLOWED("bearer-not-allowed", "Bearer token not allowed", 400),
    /** 400: a bearer token the application's {@link BearerAuthenticator} refused or failed on (WIT-12); the detail never says why. */
    BEARER_INVALID("bearer-invalid", "Bearer token not accepted", 400);

    private final String code;
    private final String title;
    private final int status;

    FilterProblem(String code, String title, int status) {
        this.code = code;
        this.title = title;
        this.status = status;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int status() {
        return status;
    }

}
