package io.wimse4j.core.key;

import io.wimse4j.core.id.TrustDomain;

import java.util.Optional;

/**
 * Where a verifier finds the current trust bundle of a trust domain (ID-3). A
 * {@link TrustBundleSet} is the static source; a refreshing source (JWKS fetched from an Identity
 * Server, rotated keys) returns a new {@link TrustBundle} instance whenever the keys change, which
 * also invalidates WITs cached under the old bundle.
 */
@FunctionalInterface
public interface TrustBundleSource {
    /** The current bundle of {@code domain}, or empty when the domain is not trusted. */
    Optional<TrustBundle> bundleFor(TrustDomain domain);

    /**
     * Told by a verifier that a token of {@code domain} names a key its current bundle lacks
     * ({@code kid}, when the token has one), just before it is rejected with
     * {@link io.wimse4j.core.error.Reason#UNKNOWN_KEY}. A refreshing source may refetch early
     * (rate-limited: the token is attacker-controlled); it must not block. Default: nothing.
     */
    default void keyNotFound(TrustDomain domain, Optional<String> kid) {
    }
}
