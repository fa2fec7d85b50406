package io.wimse4j.server.internal;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.internal.DnsNames;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A registered workload: the identifier the server may issue WITs for, the attestation methods
 * allowed for it, its WIT lifetime, for the Kubernetes method the namespace and service account that
 * select it, and the DNS names its WICs carry besides the identifier (WIC-3).
 *
 * @param id          the workload identifier (inside the server's trust domain, ID-3)
 * @param attestation the allowed methods (at least one)
 * @param witTtl      the lifetime of its WITs; empty means the server default
 * @param kubernetes  the service account that attests as this identifier
 * @param dnsNames    the DNS names granted in its WICs (WIC-3), possibly none: lower-case LDH names, no
 *                    wildcard, no duplicate, at most {@link #MAX_DNS_NAMES}
 */
public record Registration(WorkloadIdentifier id, Set<AttestationMethod> attestation, Optional<Duration> witTtl,
                           Optional<ServiceAccount> kubernetes, List<String> dnsNames) {
    /** The most DNS names one registration grants. */
    public static final int MAX_DNS_NAMES = 32;

    /** A registration without DNS names. */
    public Registration(WorkloadIdentifier id, Set<AttestationMethod> attestation, Optional<Duration> witTtl,
                        Optional<ServiceAccount> kubernetes) {
        this(id, attestation, witTtl, kubernetes, List.of());
    }

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
        Objects.requireNonNull(dnsNames, "dnsNames");
        if (dnsNames.size() > MAX_DNS_NAMES) {
            throw new IllegalArgumentException("'dns_names' has at most " + MAX_DNS_NAMES + " names");
        }
        try {
            dnsNames = DnsNames.validate(dnsNames);
        } catch (WimseException e) {
            throw new IllegalArgumentException("'dns_names': " + e.detail());
        }
        if (attestation.contains(AttestationMethod.KUBERNETES) && kubernetes.isEmpty()) {
            throw new IllegalArgumentException("the kubernetes method needs 'kubernetes': {namespace, service_account}");
        }
    }

    /** True when {@code method} may be used for this identifier. */
    public boolean allows(AttestationMethod method) {
        return attestation.contains(method);
    }
}
