package io.wimse4j.spring.security;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.servlet.FilterProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.Optional;

/**
 * Answers an authenticated caller Spring Security denies with wimse-servlet's 403 problem
 * {@link FilterProblem#FORBIDDEN} (code {@code forbidden}, ID-2) as Spring's {@code ProblemDetail}.
 */
public final class WimseAccessDeniedHandler implements AccessDeniedHandler {
    /** Creates the handler. */
    public WimseAccessDeniedHandler() {
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        String who = a instanceof WorkloadAuthentication w ? "workload " + w.getName() : "the caller";
        SpringProblems.INSTANCE.write(ProblemDetails.of(FilterProblem.FORBIDDEN, who + " may not " + request.getMethod() + " this path"),
                Optional.empty(), response);
    }
}
