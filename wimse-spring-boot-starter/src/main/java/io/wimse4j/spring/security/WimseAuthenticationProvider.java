package io.wimse4j.spring.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns the verified, not yet authenticated {@link WorkloadAuthentication} of
 * {@link WimseAuthenticationFilter} into the authenticated one, with the {@link WimseAuthorities} of
 * the caller plus any an application adds (e.g. roles looked up by workload identifier). It verifies
 * nothing itself: only {@code WimseFilter} makes a verified caller (one token pipeline).
 */
public final class WimseAuthenticationProvider implements AuthenticationProvider {
    private final Function<WorkloadAuthentication, Collection<? extends GrantedAuthority>> extra;

    /** A provider granting the {@link WimseAuthorities} only. */
    public WimseAuthenticationProvider() {
        this(a -> List.of());
    }

    /** A provider granting the {@link WimseAuthorities} and those {@code extraAuthorities} returns for the caller. */
    public WimseAuthenticationProvider(Function<WorkloadAuthentication, Collection<? extends GrantedAuthority>> extraAuthorities) {
        this.extra = Objects.requireNonNull(extraAuthorities, "extraAuthorities");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        WorkloadAuthentication caller = (WorkloadAuthentication) authentication;
        if (caller.isAuthenticated()) {
            return caller;
        }
        List<GrantedAuthority> authorities = new ArrayList<>(WimseAuthorities.of(caller.getPrincipal()));
        authorities.addAll(extra.apply(caller));
        return caller.authenticated(authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return WorkloadAuthentication.class.isAssignableFrom(authentication);
    }
}
