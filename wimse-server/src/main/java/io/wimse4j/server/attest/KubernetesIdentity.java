package io.wimse4j.server.attest;

import java.util.Objects;
import java.util.Optional;

/**
 * The workload a verified Kubernetes projected service-account token names: only
 * {@link KubernetesTokenVerifier} produces one from a token, after checking signature, issuer,
 * audience, validity and that {@code sub} agrees with the {@code kubernetes.io} claim. The Identity
 * Server selects the registration by {@link #namespace()} and {@link #serviceAccount()}
 * ({@code docs/identity-server-api.md}, attestation method {@code kubernetes}).
 *
 * @param namespace      the pod's namespace, a DNS-1123 label
 * @param serviceAccount the service account's name, a DNS-1123 subdomain
 * @param podName        the pod the token was bound to, when the token is pod-bound
 * @param subject        the token's {@code sub}, {@code system:serviceaccount:<namespace>:<serviceAccount>}
 */
public record KubernetesIdentity(String namespace, String serviceAccount, Optional<String> podName, String subject) {
    /** Requires every member. */
    public KubernetesIdentity {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(subject, "subject");
    }
}
