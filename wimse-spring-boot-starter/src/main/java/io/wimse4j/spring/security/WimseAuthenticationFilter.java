package io.wimse4j.spring.security;

import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.servlet.WorkloadPrincipal;
import io.wimse4j.x509.VerifiedWic;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Objects;

/**
 * The Spring Security filter of WIMSE callers. A request that presents WIMSE credentials
 * (a {@code Workload-Identity-Token}, {@code Workload-Proof-Token}, {@code Authorization: WPT} or
 * {@code Signature-Input} header, or in mutual-TLS mode a client certificate) goes through wimse-servlet's {@link WimseFilter}, which
 * verifies it (WIT + WPT in either transport, HTTP Message Signatures with their bodies and signed
 * answers, or the mutual-TLS client certificate) and answers a refusal with its RFC 9457 problem (V-14):
 * 400, 503 when the replay store is down, 401 with {@code WWW-Authenticate: WPT} for a credential
 * failure of the wpt-02 transport (P2-4). A verified caller becomes a {@link WorkloadAuthentication}
 * through the {@link AuthenticationManager} ({@link WimseAuthenticationProvider}), set in the
 * {@link SecurityContext}, and the Spring chain continues with WimseFilter's request and response
 * (the body already read for a signed request, the answer signed when asked, HS-6). Authorization is
 * Spring Security's: WimseFilter runs with its allow-any-verified-caller default.
 *
 * <p>A request without WIMSE credentials continues unauthenticated, so permitted paths answer and
 * other authentication mechanisms of the chain may apply; a protected path answers it through
 * {@link WimseAuthenticationEntryPoint}.
 */
public final class WimseAuthenticationFilter extends OncePerRequestFilter {
    private final WimseFilter wimse;
    private final WimseRequests requests;
    private final AuthenticationManager authenticationManager;
    private SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    WimseAuthenticationFilter(WimseFilter wimse, WimseRequests requests, AuthenticationManager authenticationManager) {
        this.wimse = Objects.requireNonNull(wimse, "wimse");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.authenticationManager = Objects.requireNonNull(authenticationManager, "authenticationManager");
    }

    /** The strategy holding the security context (the chain's, by {@link WimseSecurityConfigurer}). */
    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!requests.presentsCredentials(request)) {
            chain.doFilter(request, response);
            return;
        }
        wimse.doFilter(request, response, (verifiedRequest, verifiedResponse) -> {
            HttpServletRequest r = (HttpServletRequest) verifiedRequest;
            Authentication authentication = authenticationManager.authenticate(WorkloadAuthentication.verified(
                    (WorkloadPrincipal) r.getUserPrincipal(),
                    r.getAttribute(WimseFilter.CALLER_ATTRIBUTE) instanceof VerifiedCaller c ? c : null,
                    r.getAttribute(WimseFilter.SIGNED_REQUEST_ATTRIBUTE) instanceof VerifiedSignedRequest s ? s : null,
                    r.getAttribute(WimseFilter.CERTIFICATE_ATTRIBUTE) instanceof VerifiedWic w ? w : null));
            SecurityContext context = strategy.createEmptyContext();
            context.setAuthentication(authentication);
            strategy.setContext(context);
            repository.saveContext(context, r, (HttpServletResponse) verifiedResponse);
            chain.doFilter(new AuthenticatedRequest(r, authentication), verifiedResponse);
        });
    }

    /** WimseFilter's request answering {@link #getUserPrincipal()} with the Authentication, as Spring Security's wrapper does. */
    private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
        private final Authentication authentication;

        AuthenticatedRequest(HttpServletRequest request, Authentication authentication) {
            super(request);
            this.authentication = authentication;
        }

        @Override
        public java.security.Principal getUserPrincipal() {
            return authentication;
        }

        @Override
        public String getRemoteUser() {
            return authentication.getName();
        }
    }
}
