package io.wimse4j.demo;

import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.redis.RedisReplayCache;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.x509.WicValidator;

import java.util.function.Consumer;

/**
 * The demo service's {@link WimseFilter}: WIT and WPT verification with the configured trust bundles
 * and replay cache; or mutual-TLS mode, the caller taken from the client certificate (WIC-4), with the
 * tokens also required when JWKS trust is configured too (same workload, defence in depth).
 */
final class ServiceFilter {
    private ServiceFilter() {
    }

    /** The filter for {@code config}; a Redis replay cache it opens is handed to {@code redisOpened} (to close). */
    static WimseFilter create(DemoService.Config config, Consumer<RedisReplayCache> redisOpened) {
        WimseFilter.Builder f = WimseFilter.builder().externalBaseUri(config.externalBaseUri());
        if (config.clientTrust() != null) {
            f.mutualTls(WicValidator.builder().trust(config.clientTrust()).clock(config.clock()).forClients().build())
                    .mutualTlsWithTokens(config.trust() != null);
        }
        if (config.trust() != null) {
            f.verifier(verifier(config, redisOpened));
        }
        return f.build();
    }

    private static RequestVerifier verifier(DemoService.Config config, Consumer<RedisReplayCache> redisOpened) {
        RequestVerifier.Builder v = RequestVerifier.builder().trust(config.trust())
                .clock(config.clock()).allowedIssuers(config.allowedIssuers()).othPolicy(config.othPolicy())
                .requireKid(config.requireKid()).witAudiences(config.witAudiences()).transports(config.transports());
        ReplayCache cache;
        if (config.redisUrl() != null) {
            RedisReplayCache redis = RedisReplayCache.builder().uri(config.redisUrl()).clock(config.clock()).build();
            redisOpened.accept(redis);
            cache = redis;
        } else {
            cache = InMemoryReplayCache.builder().clock(config.clock()).build();
        }
        return v.replayCache(cache).build();
    }
}
