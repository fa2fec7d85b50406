package io.wimse4j.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayCache;

import java.time.Clock;
import java.time.Instant;

/**
 * EXPERIMENT, not for production: a copy of core's {@code InMemoryReplayCache} that differs in one
 * line, {@code .executor(Runnable::run)}, so Caffeine runs its maintenance (expiry, write-buffer
 * draining) on the calling thread instead of handing it to {@code ForkJoinPool.commonPool()}
 * after writes. Used by {@code requestVerifyCachedWitSameThreadReplay} to measure what that
 * hand-off costs on the request path.
 */
final class SameThreadReplayCache implements ReplayCache {
    private final Clock clock;
    private final long capacity;
    private final Cache<String, Instant> entries;

    SameThreadReplayCache(long capacity, Clock clock) {
        this.clock = clock;
        this.capacity = capacity;
        this.entries = Caffeine.newBuilder()
                .executor(Runnable::run)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(new Expiry<String, Instant>() {
                    @Override
                    public long expireAfterCreate(String key, Instant expiresAt, long currentTime) {
                        return Math.max(0, expiresAt.toEpochMilli() - clock.millis()) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Instant expiresAt, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(String key, Instant expiresAt, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    @Override
    public boolean firstUse(String key, Instant expiresAt) throws WimseException {
        if (entries.estimatedSize() >= capacity) {
            entries.cleanUp();
            if (entries.estimatedSize() >= capacity) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "replay cache is full");
            }
        }
        return entries.asMap().putIfAbsent(key, expiresAt) == null;
    }
}
