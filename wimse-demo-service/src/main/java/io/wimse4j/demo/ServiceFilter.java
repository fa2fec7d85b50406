package io.wimse4j.demo;

import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.redis.RedisReplayCache;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.x509.WicValidator;

import java.util.function.Consumer;

/**
 * The demo service's {@link WimseFilter}: WIT and WPT verification with the configured trust bundles
 * and replay cache; or mutual-TLS mode, the caller taken from the client certificate (WIC-4), with the
 * tokens also required when JWKS trust is configured too (same workload, defence in depth). With JWKS
 * trust and no mutual TLS it also accepts HTTP Message Signatures, and signs its answers to them with
 * the response credentials when configured (HS-6).
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
            ReplayCache cache = replayCache(config, redisOpened);
            if (config.acceptWpt()) {
                f.verifier(verifier(config, cache));
            }
            if (config.httpSignatures() && config.clientTrust() == null) {
                WitVerifier wits = WitVerifier.builder().trust(config.trust()).clock(config.clock())
                        .allowedIssuers(config.allowedIssuers()).requireKid(config.requireKid()).audiences(config.witAudiences()).build();
                f.httpSignatures(HttpSignatureVerifier.builder().witVerifier(wits).replayCache(cache).build());
                if (config.responseCredentials() != null) {
                    f.signResponses(HttpSignatureSigner.builder(config.responseCredentials()).clock(config.clock()).build());
                }
            }
        }
        return f.build();
    }

    private static RequestVerifier verifier(DemoService.Config config, ReplayCache cache) {
        RequestVerifier.Builder v = RequestVerifier.builder().trust(config.trust())
                .clock(config.clock()).allowedIssuers(config.allowedIssuers()).othPolicy(config.othPolicy())
                .requireKid(config.requireKid()).witAudiences(config.witAudiences()).transports(config.transports());
        return v.replayCache(cache).build();
    }

    /** One replay cache for WPT {@code jti}s and signature nonces (V-9, HS-8): Redis when configured. */
    private static ReplayCache replayCache(DemoService.Config config, Consumer<RedisReplayCache> redisOpened) {
        ReplayCache cache;
        if (config.redisUrl() != null) {
            RedisReplayCache redis = RedisReplayCache.builder().uri(config.redisUrl()).clock(config.clock()).build();
            redisOpened.accept(redis);
            cache = redis;
        } else {
            cache = InMemoryReplayCache.builder().clock(config.clock()).build();
        }
        return cache;
    }
}
