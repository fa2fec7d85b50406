package io.wimse4j.spring.security;

import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.spring.WimseAutoConfiguration;
import io.wimse4j.spring.WimseProperties;
import io.wimse4j.x509.WicValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security for WIMSE callers (servlet applications with {@code wimse.service.base-uri}): the
 * {@link WimseSecurityComponents} bean, and, when the application defines no
 * {@link SecurityFilterChain}, a default stateless chain with {@link WimseSecurityConfigurer} and the
 * rules of {@code wimse.service.authorization.*}. An application with its own chain adds WIMSE with
 * {@code http.with(WimseSecurityConfigurer.wimse(), Customizer.withDefaults())}.
 */
@AutoConfiguration(after = WimseAutoConfiguration.class, beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, WimseFilter.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "wimse.enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "wimse.service", name = "base-uri")
public class WimseSecurityAutoConfiguration {
    /** Creates the auto-configuration (Spring calls it). */
    public WimseSecurityAutoConfiguration() {
    }

    /**
     * WimseFilter over the verifier beans: WIT + WPT always, HTTP signatures with
     * {@code http-signatures=true} (answers signed with the {@link CredentialSource} bean when there is
     * one, HS-6), mutual TLS with {@code mutual-tls=true}.
     */
    @Bean
    @ConditionalOnMissingBean
    public WimseSecurityComponents wimseSecurityComponents(WimseProperties properties, RequestVerifier verifier,
                                                           ObjectProvider<HttpSignatureVerifier> signatures,
                                                           ObjectProvider<WicValidator> certificates,
                                                           ObjectProvider<CredentialSource> credentials) {
        WimseProperties.Service s = properties.getService();
        WimseFilter.Builder b = WimseFilter.builder().externalBaseUri(s.getBaseUri()).verifier(verifier);
        if (s.isMutualTls()) {
            b.mutualTls(certificates.getObject());
        }
        if (s.isHttpSignatures()) {
            b.httpSignatures(signatures.getObject());
            CredentialSource own = credentials.getIfUnique();
            if (own != null) {
                b.signResponses(HttpSignatureSigner.builder(own).build());
            }
        }
        return WimseSecurityComponents.of(b, s.isMutualTls());
    }

    /** The default chain: stateless, no CSRF (no cookies), WIMSE callers, the property rules. */
    @Bean
    @ConditionalOnDefaultWebSecurity
    public SecurityFilterChain wimseSecurityFilterChain(HttpSecurity http, WimseProperties properties) throws Exception {
        http.with(WimseSecurityConfigurer.wimse(), Customizer.withDefaults())
                .csrf(c -> c.disable())
                .sessionManagement(m -> m.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> PropertyAuthorization.apply(a, properties.getService().getAuthorization()));
        return http.build();
    }
}
