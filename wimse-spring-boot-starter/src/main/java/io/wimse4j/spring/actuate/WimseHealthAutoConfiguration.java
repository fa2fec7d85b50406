package io.wimse4j.spring.actuate;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.spring.WimseAutoConfiguration;
import io.wimse4j.spring.WimseProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Registers {@link WimseHealthIndicator} as the {@code wimse} health contributor when Spring Boot's
 * health support is on the class path and wimse4j is configured. Credentials must stay valid for at
 * least 60 more seconds; with {@code wimse.service.replay-store=redis}, Redis is
 * pinged through Spring Data Redis's {@code RedisConnectionFactory}.
 */
@AutoConfiguration(after = WimseAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(WimseProperties.class)
public class WimseHealthAutoConfiguration {
    /** How long credentials must still be valid for UP. */
    static final Duration MIN_REMAINING = Duration.ofSeconds(60);

    /** Creates the auto-configuration (Spring calls it). */
    public WimseHealthAutoConfiguration() {
    }

    /** The {@code wimse} health indicator. */
    @Bean
    @ConditionalOnMissingBean(name = "wimseHealthIndicator")
    public WimseHealthIndicator wimseHealthIndicator(WimseProperties properties, ObjectProvider<CredentialSource> credentials,
                                                     ObjectProvider<TrustBundleSource> trust,
                                                     ObjectProvider<RedisPing> redis) {
        TrustBundleSource t = trust.getIfUnique();
        List<TrustDomain> domains = properties.getTrustDomains().stream().map(d -> new TrustDomain(d.getName())).toList();
        BooleanSupplier replay = properties.getService().getReplayStore() == WimseProperties.ReplayStore.REDIS
                && properties.getService().getBaseUri() != null ? redis.getIfAvailable(() -> () -> false) : null;
        return new WimseHealthIndicator(credentials.getIfUnique(), MIN_REMAINING, t, t == null ? List.of() : domains, replay,
                Clock.systemUTC());
    }

    /** Pings Redis through Spring Data Redis. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
    static class Redis {
        @Bean
        RedisPing wimseRedisPing(ObjectProvider<org.springframework.data.redis.connection.RedisConnectionFactory> factory) {
            return () -> {
                var f = factory.getIfAvailable();
                if (f == null) {
                    return false;
                }
                try (var connection = f.getConnection()) {
                    return "PONG".equalsIgnoreCase(connection.ping());
                }
            };
        }
    }

    /** Whether the replay store's Redis answers. */
    @FunctionalInterface
    interface RedisPing extends BooleanSupplier {
    }
}
