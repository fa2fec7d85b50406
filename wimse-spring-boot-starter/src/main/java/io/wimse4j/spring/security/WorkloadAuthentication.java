package io.wimse4j.spring.security;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import io.wimse4j.servlet.AuthenticationMethod;
import io.wimse4j.servlet.WorkloadPrincipal;
import io.wimse4j.x509.VerifiedWic;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A WIMSE caller as a Spring Security {@link org.springframework.security.core.Authentication}: its
 * {@link #getName()} is the full workload identifier, its principal the {@link WorkloadPrincipal}, its
 * authorities those of {@link WimseAuthorities}. Whatever authenticated the caller (WIT + WPT, an HTTP
 * Message Signature or a mutual-TLS WIC) was verified by wimse-servlet's {@code WimseFilter} before a
 * {@code WorkloadAuthentication} exists; the unauthenticated one {@link WimseAuthenticationFilter}
 * makes carries that verified caller to the {@link WimseAuthenticationProvider}, which returns the
 * authenticated one. It holds no credential: {@link #getCredentials()} is null, and no token is kept.
 */
public final class WorkloadAuthentication extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    private final WorkloadPrincipal principal;
    private final transient VerifiedCaller tokens;
    private final transient VerifiedSignedRequest signedRequest;
    private final transient VerifiedWic certificate;

    private WorkloadAuthentication(WorkloadPrincipal principal, VerifiedCaller tokens, VerifiedSignedRequest signedRequest,
                                   VerifiedWic certificate, Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
        super(authorities);
        this.principal = Objects.requireNonNull(principal, "principal");
        this.tokens = tokens;
        this.signedRequest = signedRequest;
        this.certificate = certificate;
        super.setAuthenticated(authenticated);
    }

    /**
     * The caller {@code WimseFilter} verified, not yet authenticated by the {@code AuthenticationManager};
     * the three verified values are those of the request attributes, each null when absent.
     */
    public static WorkloadAuthentication verified(WorkloadPrincipal principal, VerifiedCaller tokens,
                                                  VerifiedSignedRequest signedRequest, VerifiedWic certificate) {
        return new WorkloadAuthentication(principal, tokens, signedRequest, certificate, List.of(), false);
    }

    /** This caller, authenticated with {@code authorities}. */
    public WorkloadAuthentication authenticated(Collection<? extends GrantedAuthority> authorities) {
        WorkloadAuthentication a = new WorkloadAuthentication(principal, tokens, signedRequest, certificate, authorities, true);
        a.setDetails(getDetails());
        return a;
    }

    /** The {@link WorkloadPrincipal}. */
    @Override
    public WorkloadPrincipal getPrincipal() {
        return principal;
    }

    /** Always null: the proof was consumed by the verification and is not kept. */
    @Override
    public Object getCredentials() {
        return null;
    }

    /** The workload identifier, e.g. {@code wimse://example.org/svc/billing}. */
    @Override
    public String getName() {
        return principal.getName();
    }

    /** The caller's workload identifier. */
    public WorkloadIdentifier workload() {
        return principal.workload();
    }

    /** The caller's trust domain. */
    public TrustDomain trustDomain() {
        return principal.trustDomain();
    }

    /** How the caller authenticated. */
    public AuthenticationMethod method() {
        return principal.method();
    }

    /** The verified WIT and WPT, for a token caller (and a mutual-TLS caller that sent them too). */
    public Optional<VerifiedCaller> tokens() {
        return Optional.ofNullable(tokens);
    }

    /** The verified HTTP Message Signature, for a caller that signed its request (HS-1). */
    public Optional<VerifiedSignedRequest> signedRequest() {
        return Optional.ofNullable(signedRequest);
    }

    /** The validated client certificate, for a mutual-TLS caller (MT-1). */
    public Optional<VerifiedWic> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Refuses {@code true}: only {@link #authenticated(Collection)} makes an authenticated one. */
    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("use authenticated(authorities)");
        }
        super.setAuthenticated(false);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return "WorkloadAuthentication[" + getName() + ", " + method() + ", authenticated=" + isAuthenticated() + "]";
    }
}
