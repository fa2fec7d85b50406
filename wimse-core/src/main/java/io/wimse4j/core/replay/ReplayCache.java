package io.wimse4j.core.replay;

import io.wimse4j.core.error.WimseException;

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
}
