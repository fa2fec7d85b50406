package io.wimse4j.spring.security;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.servlet.WimseFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;
import java.util.Optional;

/**
 * Answers a request without WIMSE credentials to a protected path with the library's own refusal of
 * such a request: it runs {@link WimseFilter} on it, so the answer is exactly wimse-servlet's (V-14):
 * {@code missing-wit} with 401 and {@code WWW-Authenticate: WPT} when the service accepts the wpt-02
 * transport (P2-4), 400 when it accepts only the seed header; {@code invalid-certificate} (400) in
 * mutual-TLS mode; {@code wit-as-bearer} for a WIT sent as a bearer token (WIT-9). Written as Spring's
 * {@code ProblemDetail}.
 */
public final class WimseAuthenticationEntryPoint implements AuthenticationEntryPoint {
    private final WimseFilter wimse;

    WimseAuthenticationEntryPoint(WimseFilter wimse) {
        this.wimse = wimse;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException authException)
            throws IOException {
        try {
            // a request without credentials never verifies: the filter writes its refusal, the chain is not called
            wimse.doFilter(request, response, (req, res) -> SpringProblems.INSTANCE.write(ProblemDetails.of(Reason.MISSING_WIT,
                    "the request carries no WIMSE credentials"), Optional.empty(), (HttpServletResponse) res));
        } catch (jakarta.servlet.ServletException e) {
            throw new IOException(e);
        }
    }
}
