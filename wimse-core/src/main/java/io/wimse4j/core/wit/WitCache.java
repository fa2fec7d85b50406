package io.wimse4j.core.wit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.time.Duration;

/**
 * The verified WITs of a {@link WitVerifier}, by token (the compact string itself, which the entry
 * holds anyway: a hit costs the string's hash and one comparison, no digest). Bounded, and no entry
 * outlives its WIT's {@code exp} (WIT-5; the verifier also re-checks {@code exp} + leeway and the
 * trust bundle on every hit). Maintenance runs on the calling thread, as in the replay cache: no
 * hand-off to the common pool on the request path.
 */
final class WitCache {
    private final Cache<String, VerifiedWit> cache;

    WitCache(int size, Clock clock, Duration maxLifetime) {
        long capMillis = maxLifetime.toMillis();
        this.cache = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(size)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(new Expiry<String, VerifiedWit>() {
                    @Override
                    public long expireAfterCreate(String key, VerifiedWit wit, long currentTime) {
                        long ms = wit.expiresAt().toEpochMilli() - clock.millis();
                        return Math.max(0, Math.min(ms, capMillis)) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String key, VerifiedWit wit, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, wit, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, VerifiedWit wit, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** The verified WIT of {@code token}, or {@code null}. */
    VerifiedWit get(String token) {
        return cache.getIfPresent(token);
    }

    /** Keeps {@code wit}, keyed by its token. */
    void put(VerifiedWit wit) {
        cache.put(wit.token(), wit);
    }
}
