package io.wimse4j.core.replay;

import io.wimse4j.core.error.WimseException;

import java.time.Instant;

/**
 * Remembers proof identifiers until their proof can no longer be accepted (V-9, SEC-4), keyed by
 * {@link ReplayKey} (sender and {@code jti}, hashed). One operation, which must be atomic even
 * when several verifiers share the cache: of any number of concurrent or later calls with one key
 * before {@code expiresAt}, exactly one returns {@code true}.
 *
 * <p>An implementation that cannot answer for sure (store down, timed out, full, or the sender
 * past its share of the cache) throws {@link io.wimse4j.core.error.Reason#REPLAY_CACHE_UNAVAILABLE}:
 * it never answers {@code true} when unsure. A key already recorded is answered {@code false}
 * even when the cache would refuse a new one: a replay is reported as a replay.
 */
@FunctionalInterface
public interface ReplayCache {
    /**
     * Records {@code key} until at least {@code expiresAt}.
     *
     * @return {@code true} only on the first use of {@code key}; {@code false} when it was recorded before
     * @throws WimseException {@link io.wimse4j.core.error.Reason#REPLAY_CACHE_UNAVAILABLE} when the
     *                        cache cannot record it or cannot tell
     */
    boolean firstUse(ReplayKey key, Instant expiresAt) throws WimseException;
}
