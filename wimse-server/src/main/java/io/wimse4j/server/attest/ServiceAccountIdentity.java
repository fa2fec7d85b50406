package io.wimse4j.server.attest;

/**
 * The Kubernetes service account a verified projected service-account token names.
 *
 * @param namespace      the namespace
 * @param serviceAccount the service account name
 */
public record ServiceAccountIdentity(String namespace, String serviceAccount) {
    /** Validates the names (non-blank). */
    public ServiceAccountIdentity {
        if (namespace == null || namespace.isBlank() || serviceAccount == null || serviceAccount.isBlank()) {
            throw new IllegalArgumentException("namespace and serviceAccount must not be blank");
        }
    }
}
