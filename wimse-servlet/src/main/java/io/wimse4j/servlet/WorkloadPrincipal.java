package io.wimse4j.servlet;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.security.Principal;
import java.util.Objects;

/**
 * The authenticated caller as a {@link Principal}: its name is the full workload identifier. Authorize
 * on the identifier together with its trust domain (ID-2), never on the path alone, and on
 * {@link #method()} where a bearer-authenticated caller must not reach what a WIMSE-authenticated
 * one may (WIT-12).
 *
 * @param workload the caller's workload identifier
 * @param method   how the filter authenticated the caller
 */
public record WorkloadPrincipal(WorkloadIdentifier workload, AuthenticationMethod method) implements Principal {
    /** Requires a workload identifier and a method. */
    public WorkloadPrincipal {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(method, "method");
    }

    /** A caller authenticated by its WIT and WPT ({@link AuthenticationMethod#WIMSE}). */
    public WorkloadPrincipal(WorkloadIdentifier workload) {
        this(workload, AuthenticationMethod.WIMSE);
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
        return "WorkloadPrincipal[" + getName() + ", " + method + "]";
    }
}
