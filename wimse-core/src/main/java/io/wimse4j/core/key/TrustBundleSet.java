package io.wimse4j.core.key;

import io.wimse4j.core.id.TrustDomain;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trust bundles a verifier accepts, one per trust domain (ID-3). Immutable; a credential for
 * a trust domain absent here is refused. A verifier reads the set through a
 * {@link TrustBundleSource}, so bundles can be replaced at run time (key rotation) by publishing a
 * new set.
 */
public final class TrustBundleSet implements TrustBundleSource {
    private final Map<TrustDomain, TrustBundle> bundles;

    private TrustBundleSet(Map<TrustDomain, TrustBundle> bundles) {
        this.bundles = Map.copyOf(bundles);
    }

    /** A set of the given bundles; two bundles for one trust domain are an error. */
    public static TrustBundleSet of(Collection<TrustBundle> bundles) {
        Map<TrustDomain, TrustBundle> map = new HashMap<>();
        for (TrustBundle b : bundles) {
            if (map.put(b.trustDomain(), b) != null) {
                throw new IllegalArgumentException("two bundles for trust domain " + b.trustDomain());
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("at least one trust bundle is required");
        }
        return new TrustBundleSet(map);
    }

    /** A set of the given bundles. */
    public static TrustBundleSet of(TrustBundle... bundles) {
        return of(java.util.List.of(bundles));
    }

    /** The bundle of {@code domain}, if trusted. */
    @Override
    public Optional<TrustBundle> bundleFor(TrustDomain domain) {
        return Optional.ofNullable(bundles.get(domain));
    }

    /** The trusted trust domains. */
    public Set<TrustDomain> trustDomains() {
        return bundles.keySet();
    }
}
