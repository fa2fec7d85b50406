package io.wimse4j.servlet;

import io.wimse4j.core.id.WorkloadIdentifier;

import java.util.Optional;

/**
 * The application's existing bearer-token validation, plugged into a {@link BearerTransitionPolicy}
 * for the transition to WIMSE (WIT-12). It receives the token of an {@code Authorization: Bearer}
 * header (without the scheme) and answers the workload it authenticates, or empty when the token is
 * not acceptable. Any exception it throws rejects the request as well; neither the exception nor its
 * message reaches the caller or the audit log (they may contain the token). Implementations must be
 * thread-safe and must check signature, issuer, audience and expiry themselves: the filter trusts the
 * identifier returned.
 */
@FunctionalInterface
public interface BearerAuthenticator {
    /**
     * Authenticates {@code bearerToken}.
     *
     * @param bearerToken the token, never {@code null} or empty, at most the policy's maximum length
     * @return the authenticated caller, or empty to reject the token
     * @throws Exception to reject the token (treated exactly like an empty answer)
     */
    Optional<WorkloadIdentifier> authenticate(String bearerToken) throws Exception;
}
