package io.wimse4j.x509;

import io.wimse4j.core.id.TrustDomain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a validator finds the X.509 anchors of a trust domain (ID-3, MT-1): asked with the trust
 * domain named in the peer certificate's URI SAN, it answers that trust domain's bundle or nothing.
 * Implementations must be thread-safe; a source that refreshes (files, the Identity Server) answers
 * its current bundle.
 */
@FunctionalInterface
public interface X509TrustSource {
    /** The anchors of {@code trustDomain}, or empty when it is not trusted. */
    Optional<X509TrustBundle> bundleFor(TrustDomain trustDomain);

    /**
     * A fixed source of {@code bundles}, one per trust domain.
     *
     * @throws IllegalArgumentException when two bundles name the same trust domain
     */
    static X509TrustSource of(X509TrustBundle... bundles) {
        Map<TrustDomain, X509TrustBundle> map = new LinkedHashMap<>();
        for (X509TrustBundle b : bundles) {
            if (map.put(b.trustDomain(), b) != null) {
                throw new IllegalArgumentException("trust domain " + b.trustDomain() + " is given twice");
            }
        }
        Map<TrustDomain, X509TrustBundle> copy = Map.copyOf(map);
        return td -> Optional.ofNullable(copy.get(td));
    }
}
