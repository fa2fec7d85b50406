package io.wimse4j.server.attest;

import io.wimse4j.core.error.WimseException;

/**
 * Verifies a Kubernetes projected service-account token (signature against the cluster's JWKS,
 * issuer, audience, expiry) for the {@code kubernetes} attestation method and returns the service
 * account it names. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ServiceAccountTokenVerifier {
    /** The service account of {@code jwt}, or a {@link WimseException} when it does not verify. */
    ServiceAccountIdentity verify(String jwt) throws WimseException;
}
