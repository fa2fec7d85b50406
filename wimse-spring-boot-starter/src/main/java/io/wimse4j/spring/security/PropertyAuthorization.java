package io.wimse4j.spring.security;

import io.wimse4j.spring.WimseProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code wimse.service.authorization.*} as {@code authorizeHttpRequests} rules: the permit-all paths,
 * then each rule in order, allowing the {@link WimseAuthorities} of its callers and trust domains
 * (ID-2); then, once there is a rule, every other request is denied, and without rules any
 * authenticated caller may send anything.
 */
final class PropertyAuthorization {
    private PropertyAuthorization() {
    }

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry a,
                      WimseProperties.Authorization authorization) {
        a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll(); // the error page of an already authorized request
        for (String path : authorization.getPermitAll()) {
            a.requestMatchers(path).permitAll();
        }
        for (WimseProperties.Rule rule : authorization.getRules()) {
            String[] allowed = authorities(rule);
            if (rule.getMethods().isEmpty()) {
                a.requestMatchers(rule.getPath()).hasAnyAuthority(allowed);
            } else {
                for (String m : rule.getMethods()) {
                    a.requestMatchers(HttpMethod.valueOf(m.toUpperCase(Locale.ROOT)), rule.getPath()).hasAnyAuthority(allowed);
                }
            }
        }
        if (authorization.getRules().isEmpty()) {
            a.anyRequest().authenticated();
        } else {
            a.anyRequest().denyAll();
        }
    }

    private static String[] authorities(WimseProperties.Rule rule) {
        List<String> list = new ArrayList<>();
        rule.getCallers().forEach(c -> list.add(WimseAuthorities.workload(c)));
        rule.getTrustDomains().forEach(t -> list.add(WimseAuthorities.trustDomain(t)));
        return list.toArray(String[]::new);
    }
}
