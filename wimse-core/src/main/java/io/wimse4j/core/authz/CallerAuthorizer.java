package io.wimse4j.core.authz;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides whether an authenticated caller may do what it asks: the one authorization seam of
 * wimse4j, shared by the servlet filter, mutual TLS peer checks and other transports. The caller is
 * always a verified {@link WorkloadIdentifier}; the {@link AuthorizationRequest} says what it asks,
 * as far as the transport knows ({@link AuthorizationRequest#none()} in a TLS handshake).
 *
 * <p>The factories compare whole identifiers and exact trust domains, never prefixes or suffixes
 * (ID-2: a path means something only inside its trust domain): {@link #id(WorkloadIdentifier)},
 * {@link #oneOf(WorkloadIdentifier...)}, {@link #memberOf(TrustDomain...)}, {@link #matching(Predicate)}
 * (a predicate of your own, which must scope by trust domain itself), {@link #any()}, and the
 * compositions {@link #anyOf(CallerAuthorizer...)} and {@link #allOf(CallerAuthorizer...)}. They are
 * modelled on go-spiffe's {@code tlsconfig} authorizers ({@code AuthorizeID}, {@code AuthorizeOneOf},
 * {@code AuthorizeMemberOf}, {@code AdaptMatcher}). Each returns an immutable, thread-safe authorizer
 * with a readable {@code toString()}; a factory given no identifier or trust domain is refused at
 * once rather than denying everyone later.
 *
 * <p>An implementation must be thread-safe and should not throw: an exception propagates to the
 * transport, which refuses the caller (fail closed) rather than let it through.
 */
@FunctionalInterface
public interface CallerAuthorizer {
    /**
     * Whether {@code caller} may do {@code request}.
     *
     * @param caller  the authenticated caller, never null
     * @param request what it asks, never null; {@link AuthorizationRequest#none()} when nothing is known
     * @return true to allow, false to deny
     */
    boolean permits(WorkloadIdentifier caller, AuthorizationRequest request);

    /** Whether {@code caller} may connect at all: {@link #permits(WorkloadIdentifier, AuthorizationRequest)} with {@link AuthorizationRequest#none()}. */
    default boolean permits(WorkloadIdentifier caller) {
        return permits(caller, AuthorizationRequest.none());
    }

    /** Allows every authenticated caller, of any trust domain. */
    static CallerAuthorizer any() {
        return Authorizers.Any.INSTANCE;
    }

    /** Allows exactly the workload {@code id}: the whole identifier, scheme, trust domain and path (ID-2). */
    static CallerAuthorizer id(WorkloadIdentifier id) {
        return new Authorizers.OneOf(Set.of(id));
    }

    /** Allows exactly these workloads (at least one), each compared whole (ID-2). */
    static CallerAuthorizer oneOf(WorkloadIdentifier... ids) {
        return oneOf(Arrays.asList(ids));
    }

    /** Allows exactly these workloads (at least one), each compared whole (ID-2). */
    static CallerAuthorizer oneOf(Collection<WorkloadIdentifier> ids) {
        return new Authorizers.OneOf(ids == null ? null : new LinkedHashSet<>(ids));
    }

    /** Allows every workload of these trust domains (at least one), compared exactly: no sub- or parent domains. */
    static CallerAuthorizer memberOf(TrustDomain... domains) {
        return memberOf(Arrays.asList(domains));
    }

    /** Allows every workload of these trust domains (at least one), compared exactly: no sub- or parent domains. */
    static CallerAuthorizer memberOf(Collection<TrustDomain> domains) {
        return new Authorizers.MemberOf(domains == null ? null : new LinkedHashSet<>(domains));
    }

    /**
     * Allows the callers {@code predicate} accepts, whatever the request (go-spiffe's {@code AdaptMatcher}).
     * The predicate sees the whole identifier; it must check the trust domain itself (ID-2), e.g.
     * {@code id -> id.trustDomain().equals(ours) && id.path().startsWith("/batch/")}.
     */
    static CallerAuthorizer matching(Predicate<WorkloadIdentifier> predicate) {
        return new Authorizers.Matching(predicate);
    }

    /** Allows a caller when at least one of {@code authorizers} (at least one) allows it, asked in order. */
    static CallerAuthorizer anyOf(CallerAuthorizer... authorizers) {
        return new Authorizers.AnyOf(Arrays.asList(authorizers));
    }

    /** Allows a caller only when every one of {@code authorizers} (at least one) allows it, asked in order. */
    static CallerAuthorizer allOf(CallerAuthorizer... authorizers) {
        return new Authorizers.AllOf(Arrays.asList(authorizers));
    }
}
