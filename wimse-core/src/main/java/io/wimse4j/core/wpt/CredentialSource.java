package io.wimse4j.core.wpt;

import io.wimse4j.core.error.WimseException;

/**
 * Supplies a calling workload's current credentials (a file, an Identity Server, a fixed pair).
 * Implementations refresh before expiry and never hand out expired credentials (KEY-3).
 */
@FunctionalInterface
public interface CredentialSource {
    /** The credentials to sign the next request with. */
    WorkloadCredentials current() throws WimseException;

    /** A source that always returns {@code credentials}. */
    static CredentialSource fixed(WorkloadCredentials credentials) {
        java.util.Objects.requireNonNull(credentials, "credentials");
        return () -> credentials;
    }
}
