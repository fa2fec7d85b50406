package io.wimse4j.spring.security;

import io.wimse4j.servlet.WimseFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;

import java.util.Objects;

/**
 * What {@link WimseSecurityConfigurer} adds to a {@code SecurityFilterChain}: the {@link WimseFilter}
 * that verifies callers (built here with Spring's {@code ProblemDetail} as its problem writer and no
 * authorization of its own: that is the chain's), the {@link AuthenticationManager} that turns a verified
 * caller into a {@link WorkloadAuthentication}, the entry point and the access-denied handler. The
 * auto-configuration defines one from {@code wimse.service.*}; an application may define its own.
 */
public final class WimseSecurityComponents {
    private final WimseFilter wimse;
    private final WimseRequests requests;
    private final AuthenticationManager authenticationManager;
    private final WimseAuthenticationEntryPoint entryPoint;
    private final WimseAccessDeniedHandler accessDenied = new WimseAccessDeniedHandler();

    private WimseSecurityComponents(WimseFilter wimse, boolean mutualTls, AuthenticationManager authenticationManager) {
        this.wimse = wimse;
        this.requests = new WimseRequests(mutualTls);
        this.authenticationManager = Objects.requireNonNull(authenticationManager, "authenticationManager");
        this.entryPoint = new WimseAuthenticationEntryPoint(wimse);
    }

    /**
     * Components over {@code filter}, a {@link WimseFilter.Builder} with its verifier(s) and external
     * base URI set, and without an authorization of its own (Spring Security authorizes); its problem
     * writer is replaced by Spring's {@code ProblemDetail} one. {@code mutualTls} tells whether the
     * filter is in mutual-TLS mode (then a client certificate presents credentials, MT-1).
     */
    public static WimseSecurityComponents of(WimseFilter.Builder filter, boolean mutualTls, AuthenticationManager authenticationManager) {
        return new WimseSecurityComponents(filter.problemWriter(SpringProblems.INSTANCE).build(), mutualTls, authenticationManager);
    }

    /** As {@link #of(WimseFilter.Builder, boolean, AuthenticationManager)} with a {@link WimseAuthenticationProvider}. */
    public static WimseSecurityComponents of(WimseFilter.Builder filter, boolean mutualTls) {
        return of(filter, mutualTls, new ProviderManager(new WimseAuthenticationProvider()));
    }

    /** A new authentication filter for one chain. */
    public WimseAuthenticationFilter newFilter() {
        return new WimseAuthenticationFilter(wimse, requests, authenticationManager);
    }

    /** The entry point answering requests without credentials with the library's problem. */
    public WimseAuthenticationEntryPoint entryPoint() {
        return entryPoint;
    }

    /** The handler answering denied callers with the 403 {@code forbidden} problem. */
    public WimseAccessDeniedHandler accessDeniedHandler() {
        return accessDenied;
    }

    /** Whether {@code request} presents WIMSE credentials (then it is verified, and exempt from CSRF). */
    public boolean presentsCredentials(HttpServletRequest request) {
        return requests.presentsCredentials(request);
    }
}
