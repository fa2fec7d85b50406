package io.wimse4j.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** What {@link WimseFilter} does once a mode has authenticated the caller: authorize and continue the chain. */
@FunctionalInterface
interface FilterContinuation {
    /** Authorizes {@code principal} for the request and, when permitted, passes {@code request} and {@code response} on. */
    void authorizeAndContinue(HttpServletRequest request, HttpServletResponse response, WorkloadPrincipal principal)
            throws IOException, ServletException;
}
