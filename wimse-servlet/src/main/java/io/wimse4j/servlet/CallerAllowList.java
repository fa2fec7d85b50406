package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Exact workload identifiers and whole trust domains that a caller may match: the allow list of an
 * {@link AuthorizationPolicy} rule and of a {@link BearerTransitionPolicy}. As a {@link CallerAuthorizer}
 * it is {@code CallerAuthorizer.anyOf(oneOf(workloads), memberOf(trustDomains))}, kept as two sets so
 * that both policies can list what they allow: identifiers are compared whole and trust domains
 * exactly (ID-2); there are no wildcards. The request is not consulted.
 */
record CallerAllowList(Set<WorkloadIdentifier> workloads, Set<TrustDomain> trustDomains) implements CallerAuthorizer {
    CallerAllowList {
        workloads = Collections.unmodifiableSet(new LinkedHashSet<>(workloads));
        trustDomains = Collections.unmodifiableSet(new LinkedHashSet<>(trustDomains));
    }

    /** True when {@code caller} is listed, or its trust domain is, whatever the request. */
    @Override
    public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
        Objects.requireNonNull(request, "request");
        return workloads.contains(caller) || trustDomains.contains(caller.trustDomain());
    }

    /** Collects the entries; strings are parsed and a malformed one is rejected at once. */
    static final class Builder {
        private final Set<WorkloadIdentifier> workloads = new LinkedHashSet<>();
        private final Set<TrustDomain> trustDomains = new LinkedHashSet<>();

        void workloads(WorkloadIdentifier... ids) {
            for (WorkloadIdentifier id : ids) {
                workloads.add(Objects.requireNonNull(id, "workload"));
            }
        }

        void workloads(String... ids) {
            for (String id : ids) {
                try {
                    workloads.add(WorkloadIdentifier.parse(Objects.requireNonNull(id, "workload")));
                } catch (WimseException e) {
                    throw new IllegalArgumentException("invalid workload identifier: " + e.detail(), e);
                }
            }
        }

        void trustDomains(TrustDomain... domains) {
            for (TrustDomain d : domains) {
                trustDomains.add(Objects.requireNonNull(d, "trust domain"));
            }
        }

        void trustDomains(String... domains) {
            for (String d : domains) {
                try {
                    trustDomains.add(TrustDomain.parse(Objects.requireNonNull(d, "trust domain")));
                } catch (WimseException e) {
                    throw new IllegalArgumentException("invalid trust domain: " + e.detail(), e);
                }
            }
        }

        boolean isEmpty() {
            return workloads.isEmpty() && trustDomains.isEmpty();
        }

        CallerAllowList build() {
            return new CallerAllowList(workloads, trustDomains);
        }
    }
}
