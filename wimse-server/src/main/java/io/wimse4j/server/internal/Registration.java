package io.wimse4j.server.internal;

import io.wimse4j.core.id.WorkloadIdentifier;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A registered workload: the identifier the server may issue WITs for, the attestation methods
 * allowed for it, its WIT lifetime and, for the Kubernetes method, the namespace and service
 * account that select it.
 *
 * @param id          the workload identifier (inside the server's trust domain, ID-3)
 * @param attestation the allowed methods (at least one)
 * @param witTtl      the lifetime of its WITs; empty means the server default
 * @param kubernetes  the service account that attests as this identifier
 */
public record Registration(WorkloadIdentifier id, Set<AttestationMethod> attestation, Optional<Duration> witTtl,
                           Optional<ServiceAccount> kubernetes) {

    /**
     * A Kubernetes service account.
     *
     * @param namespace      the namespace
     * @param serviceAccount the service account name
     */
    public record ServiceAccount(String namespace, String serviceAccount) {
        /** Validates the names (non-blank). */
        public ServiceAccount {
            if (namespace == null || namespace.isBlank() || serviceAccount == null || serviceAccount.isBlank()) {
                throw new IllegalArgumentException("namespace and service_account must not be blank");
            }
        }
    }

    /** Validates and copies the parts. */
    public Registration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(witTtl, "witTtl");
        Objects.requireNonNull(kubernetes, "kubernetes");
        if (attestation == null || attestation.isEmpty()) {
            throw new IllegalArgumentException("at least one attestation method is required");
        }
        attestation = Set.copyOf(EnumSet.copyOf(attestation));
        witTtl.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("wit_ttl_seconds must be positive");
            }
        });
        if (attestation.contains(AttestationMethod.KUBERNETES) && kubernetes.isEmpty()) {
            throw new IllegalArgumentException("the kubernetes method needs 'kubernetes': {namespace, service_account}");
        }
    }

    /** True when {@code method} may be used for this identifier. */
    public boolean allows(AttestationMethod method) {
        return attestation.contains(method);
    }
}
