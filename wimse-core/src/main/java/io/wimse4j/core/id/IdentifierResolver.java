package io.wimse4j.core.id;

import java.net.URI;
import java.util.Optional;

/**
 * Maps the handle used to reach a workload (its URL: scheme, host, port, path) to the workload
 * identifier it is expected to present (ID-4). Callers use it to pin the peer they mean to talk
 * to; receivers use it to learn which identifier they serve under a given external URI.
 */
@FunctionalInterface
public interface IdentifierResolver {
    /** The identifier expected behind {@code handle}, or empty when the handle is unknown. */
    Optional<WorkloadIdentifier> resolve(URI handle);
}
