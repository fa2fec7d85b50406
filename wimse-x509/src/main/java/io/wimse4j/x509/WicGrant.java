package io.wimse4j.x509;

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
 * What an issuer has decided to certify for one request (after attestation, from a registration): the
 * workload identifier (the one URI SAN, WIC-1, WIC-2, C2-3), the DNS names (WIC-3), the usages (MT-3)
 * and optionally a lifetime (MT-7; the issuer's default otherwise). The CSR may ask for a subset of
 * these names, never for more. Immutable.
 */
public final class WicGrant {
    private final WorkloadIdentifier identifier;
    private final List<String> dnsNames;
    private final Set<WicUsage> usages;
    private final Duration lifetime;

    private WicGrant(WorkloadIdentifier identifier, List<String> dnsNames, Set<WicUsage> usages, Duration lifetime) {
        this.identifier = identifier;
        this.dnsNames = dnsNames;
        this.usages = usages;
        this.lifetime = lifetime;
    }

    /** A grant of {@code identifier} for {@code usages}, without DNS names, with the issuer's default lifetime. */
    public static WicGrant of(WorkloadIdentifier identifier, Set<WicUsage> usages) {
        try {
            return builder(identifier).usages(usages).build();
        } catch (WimseException e) {
            throw new IllegalStateException("a grant without DNS names has nothing to refuse", e);
        }
    }

    /** A builder for a grant of {@code identifier}; at least one usage must be set. */
    public static Builder builder(WorkloadIdentifier identifier) {
        return new Builder(Objects.requireNonNull(identifier, "identifier"));
    }

    /** The workload identifier, the certificate's one URI SAN (WIC-1, WIC-2, C2-3). */
    public WorkloadIdentifier identifier() {
        return identifier;
    }

    /** The DNS names, in order, possibly none (WIC-3). */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** The usages, at least one (MT-3). */
    public Set<WicUsage> usages() {
        return usages;
    }

    /** The lifetime asked for, or empty for the issuer's default (MT-7). */
    public Optional<Duration> lifetime() {
        return Optional.ofNullable(lifetime);
    }

    /** This grant with {@code lifetime} instead (positive; the issuer refuses one above its maximum, MT-7). */
    public WicGrant withLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a WIC lifetime must be positive, was " + lifetime);
        }
        return new WicGrant(identifier, dnsNames, usages, lifetime);
    }

    /** The identifier, DNS names, usages and lifetime. */
    @Override
    public String toString() {
        return "WicGrant[" + identifier + ", dns " + dnsNames + ", " + usages + (lifetime == null ? "" : ", " + lifetime) + "]";
    }

    /** Builds a {@link WicGrant}. */
    public static final class Builder {
        private final WorkloadIdentifier identifier;
        private List<String> dnsNames = List.of();
        private Set<WicUsage> usages = Set.of();
        private Duration lifetime;

        private Builder(WorkloadIdentifier identifier) {
            this.identifier = identifier;
        }

        /** The DNS SANs (WIC-3); checked in {@link #build()}. */
        public Builder dnsNames(List<String> dnsNames) {
            this.dnsNames = List.copyOf(dnsNames);
            return this;
        }

        /** The usages (MT-3): {@link WicUsage#CLIENT}, {@link WicUsage#SERVER} or both. */
        public Builder usages(Set<WicUsage> usages) {
            this.usages = Set.copyOf(usages);
            return this;
        }

        /** The lifetime; positive; the issuer refuses one above its maximum (MT-7). */
        public Builder lifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("a WIC lifetime must be positive, was " + lifetime);
            }
            this.lifetime = lifetime;
            return this;
        }

        /**
         * The grant, with its DNS names checked (lower-case LDH labels, no wildcard, no IP address, no duplicate).
         *
         * @throws WimseException {@code INVALID_CLAIM} naming the first DNS name refused
         * @throws IllegalArgumentException when no usage is set
         */
        public WicGrant build() throws WimseException {
            if (usages.isEmpty()) {
                throw new IllegalArgumentException("a WIC grant needs at least one usage (CLIENT, SERVER)");
            }
            return new WicGrant(identifier, DnsNames.validate(dnsNames), Set.copyOf(EnumSet.copyOf(usages)), lifetime);
        }
    }
}
