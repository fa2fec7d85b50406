package io.wimse4j.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.security.Principal;

/** The request as the application sees it: the workload as its user principal. */
final class CallerRequest extends HttpServletRequestWrapper {
    private final WorkloadPrincipal principal;

    CallerRequest(HttpServletRequest request, WorkloadPrincipal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return principal.method().authType();
    }
}
