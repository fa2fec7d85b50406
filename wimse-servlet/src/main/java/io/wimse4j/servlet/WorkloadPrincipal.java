package io.wimse4j.servlet;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.security.Principal;
import java.util.Objects;

/**
 * The authenticated caller as a {@link Principal}: its name is the full workload identifier. Authorize
 * on the identifier together with its trust domain (ID-2), never on the path alone.
 *
 * @param workload the caller's workload identifier
 */
public record WorkloadPrincipal(WorkloadIdentifier workload) implements Principal {
    /** Requires a workload identifier. */
    public WorkloadPrincipal {
        Objects.requireNonNull(workload, "workload");
    }

    /** The workload identifier, e.g. {@code wimse://example.org/svc/caller}. */
    @Override
    public String getName() {
        return workload.value();
    }

    /** The caller's trust domain. */
    public TrustDomain trustDomain() {
        return workload.trustDomain();
    }

    @Override
    public String toString() {
        return "WorkloadPrincipal[" + getName() + "]";
    }
}
