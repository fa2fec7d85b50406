package io.wimse4j.spring.security;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Adds WIMSE callers to an application's own {@code SecurityFilterChain}:
 * <pre>{@code
 * http.with(WimseSecurityConfigurer.wimse(), Customizer.withDefaults())
 *     .authorizeHttpRequests(a -> a
 *         .requestMatchers("/orders/**").hasAuthority(WimseAuthorities.workload("wimse://example.org/svc/billing"))
 *         .anyRequest().authenticated());
 * }</pre>
 * It adds the {@link WimseAuthenticationFilter} before the anonymous filter, answers requests without
 * credentials with {@link WimseAuthenticationEntryPoint} and denied callers with
 * {@link WimseAccessDeniedHandler} (both RFC 9457 problems, V-14), and exempts requests that present
 * WIMSE credentials from CSRF protection (they carry no cookie credential, and a browser cannot add
 * those headers cross-origin without CORS). It takes the {@link WimseSecurityComponents} bean unless
 * given some. Settings made after it (e.g. another entry point) win.
 */
public final class WimseSecurityConfigurer extends AbstractHttpConfigurer<WimseSecurityConfigurer, HttpSecurity> {
    private WimseSecurityComponents components;

    private WimseSecurityConfigurer() {
    }

    /** A new configurer for one chain. */
    public static WimseSecurityConfigurer wimse() {
        return new WimseSecurityConfigurer();
    }

    /** Uses {@code components} instead of the application context's bean. */
    public WimseSecurityConfigurer components(WimseSecurityComponents components) {
        this.components = components;
        return this;
    }

    @Override
    public void init(HttpSecurity http) {
        WimseSecurityComponents c = components(http);
        http.exceptionHandling(e -> e.authenticationEntryPoint(c.entryPoint()).accessDeniedHandler(c.accessDeniedHandler()));
        http.csrf(csrf -> csrf.ignoringRequestMatchers(c::presentsCredentials));
    }

    @Override
    public void configure(HttpSecurity http) {
        WimseAuthenticationFilter filter = components(http).newFilter();
        filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
        http.addFilterBefore(postProcess(filter), AnonymousAuthenticationFilter.class);
    }

    private WimseSecurityComponents components(HttpSecurity http) {
        if (components == null) {
            ApplicationContext context = http.getSharedObject(ApplicationContext.class);
            if (context == null) {
                throw new IllegalStateException("no WimseSecurityComponents: pass components(...) or define the bean (wimse.service.base-uri)");
            }
            components = context.getBeanProvider(WimseSecurityComponents.class).getIfAvailable(() -> {
                throw new IllegalStateException("no WimseSecurityComponents bean: set wimse.service.base-uri and wimse.trust-domains,"
                        + " or pass components(...)");
            });
        }
        return components;
    }
}
