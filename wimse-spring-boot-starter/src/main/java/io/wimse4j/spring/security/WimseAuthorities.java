package io.wimse4j.spring.security;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.servlet.AuthenticationMethod;
import io.wimse4j.servlet.WorkloadPrincipal;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.List;
import java.util.Locale;

/**
 * The authorities of a WIMSE caller, made for {@code hasAuthority(...)} in {@code authorizeHttpRequests}
 * and {@code @PreAuthorize}: the whole workload identifier and the exact trust domain, never a
 * prefix or a path of the identifier (ID-2), and the way the caller authenticated.
 * <ul>
 *   <li>{@code wimse:workload:<identifier>}, e.g. {@code wimse:workload:wimse://example.org/svc/billing}</li>
 *   <li>{@code wimse:trust-domain:<name>}, e.g. {@code wimse:trust-domain:example.org}</li>
 *   <li>{@code wimse:method:<method>}: {@code wimse} (WIT + WPT), {@code http-signature}, {@code mutual-tls}</li>
 * </ul>
 * {@code @PreAuthorize("hasAuthority('wimse:workload:wimse://example.org/svc/billing')")} allows one
 * workload; {@code authentication.name} is the identifier as well.
 */
public final class WimseAuthorities {
    /** Prefix of the workload authority. */
    public static final String WORKLOAD_PREFIX = "wimse:workload:";
    /** Prefix of the trust-domain authority. */
    public static final String TRUST_DOMAIN_PREFIX = "wimse:trust-domain:";
    /** Prefix of the authentication-method authority. */
    public static final String METHOD_PREFIX = "wimse:method:";

    private WimseAuthorities() {
    }

    /** {@code wimse:workload:<identifier>}. */
    public static String workload(String identifier) {
        return WORKLOAD_PREFIX + identifier;
    }

    /** {@code wimse:workload:<identifier>}. */
    public static String workload(WorkloadIdentifier identifier) {
        return workload(identifier.value());
    }

    /** {@code wimse:trust-domain:<name>}. */
    public static String trustDomain(String name) {
        return TRUST_DOMAIN_PREFIX + name;
    }

    /** {@code wimse:trust-domain:<name>}. */
    public static String trustDomain(TrustDomain domain) {
        return trustDomain(domain.name());
    }

    /** {@code wimse:method:<method>}: {@code wimse}, {@code http-signature}, {@code mutual-tls} or {@code bearer}. */
    public static String method(AuthenticationMethod method) {
        return METHOD_PREFIX + method.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The three authorities of {@code caller}. */
    public static List<GrantedAuthority> of(WorkloadPrincipal caller) {
        return List.of(new SimpleGrantedAuthority(workload(caller.workload())),
                new SimpleGrantedAuthority(trustDomain(caller.trustDomain())),
                new SimpleGrantedAuthority(method(caller.method())));
    }
}
