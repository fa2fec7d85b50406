package io.wimse4j.core.replay;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.time.Instant;

/**
 * Remembers proof identifiers until their proof can no longer be accepted (V-9, SEC-4). One atomic
 * operation: the first call for a key returns {@code true}, every later call before
 * {@code expiresAt} returns {@code false}. Keys are opaque, already hashed and scoped (see
 * {@link ReplayKeys}). An implementation that cannot answer throws
 * {@link io.wimse4j.core.error.Reason#REPLAY_CACHE_UNAVAILABLE}: it must never answer
 * {@code true} when unsure.
 */
@FunctionalInterface
public interface ReplayCache {
    /** Records {@code key} until {@code expiresAt}; true when it was not recorded before. */
    boolean firstUse(String key, Instant expiresAt) throws WimseException;

    /**
     * As {@link #firstUse(String, Instant)}, telling the cache which authenticated workload sent the
     * proof, so that it can keep one sender from filling it (the in-memory cache gives each sender
     * a share). {@link io.wimse4j.core.request.RequestVerifier} calls this one; the default ignores
     * {@code sender}.
     */
    default boolean firstUse(WorkloadIdentifier sender, String key, Instant expiresAt) throws WimseException {
        return firstUse(key, expiresAt);
    }
}
