package io.wimse4j.spring;

import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.micrometer.WimseMetrics;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The library objects of {@code wimse.*}: on the receiving side ({@code wimse.service.base-uri} set)
 * the {@link TrustBundleSource}, the {@link ReplayCache} (V-9), the {@link RequestVerifier} (V-1..V-14),
 * with {@code http-signatures} the {@link HttpSignatureVerifier} (HS-1..HS-9) and with {@code mutual-tls}
 * the {@link WicValidator} (MT-1); on the calling side ({@code wimse.identity-server.url} set) the
 * {@link CredentialSource} (an {@link IdentityServerCredentialSource}, KEY-3, KEY-4). Each backs off when
 * the application defines a bean of its type; the {@link WimseObserver} bean (default
 * {@link WimseObserver#none()}) reaches every builder. Without those properties nothing is registered.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "wimse.enabled", matchIfMissing = true)
@Conditional(WimseAutoConfiguration.OnWimseConfigured.class)
@EnableConfigurationProperties(WimseProperties.class)
public class WimseAutoConfiguration {
    /** Creates the auto-configuration (Spring calls it). */
    public WimseAutoConfiguration() {
    }

    /** Without Micrometer, the observer told of every verification, bundle refresh and renewal is none. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.micrometer.core.instrument.MeterRegistry")
    static class NoMetrics {
        @Bean
        @ConditionalOnMissingBean
        WimseObserver wimseObserver() {
            return WimseObserver.none();
        }
    }

    /**
     * With Micrometer, the observer is wimse-micrometer's {@link WimseMetrics}, a {@code MeterBinder}
     * that Spring Boot binds to its registry ({@code docs/metrics.md}), unless the application defines
     * its own {@link WimseObserver}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean(WimseObserver.class)
        WimseMetrics wimseMetrics() {
            return new WimseMetrics();
        }
    }

    /** The receiving side's verification objects. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "wimse.service", name = "base-uri")
    static class Verification {
        @Bean
        @ConditionalOnMissingBean
        TrustBundleSource wimseTrustBundleSource(WimseProperties properties, WimseObserver observer) {
            WimseSettings.checkService(properties);
            return WimseSettings.trust(properties, observer);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "wimse.service", name = "replay-store", havingValue = "memory", matchIfMissing = true)
        ReplayCache wimseReplayCache(WimseObserver observer) {
            InMemoryReplayCache cache = new InMemoryReplayCache();
            if (observer instanceof WimseMetrics metrics) {
                metrics.monitor(cache); // wimse.replay.cache.size and .capacity
            }
            return cache;
        }

        @Bean
        @ConditionalOnMissingBean
        RequestVerifier wimseRequestVerifier(WimseProperties properties, TrustBundleSource trust,
                                             ObjectProvider<ReplayCache> replay, WimseObserver observer) {
            WimseSettings.checkService(properties);
            WimseProperties.Service s = properties.getService();
            RequestVerifier.Builder b = RequestVerifier.builder()
                    .trust(trust)
                    .replayCache(replayCache(properties, replay))
                    .leeway(s.getLeeway())
                    .maxProofLifetime(s.getMaxProofLifetime())
                    .transports(WimseSettings.transports(s.getWptTransports()));
            s.getAudiences().forEach(b::audience);
            return WimseObserverWiring.requestVerifier(b, observer).build();
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = "wimse.service.http-signatures")
        HttpSignatureVerifier wimseHttpSignatureVerifier(WimseProperties properties, TrustBundleSource trust,
                                                         ObjectProvider<ReplayCache> replay, WimseObserver observer) {
            WimseProperties.Service s = properties.getService();
            HttpSignatureVerifier.Builder b = HttpSignatureVerifier.builder()
                    .trust(trust)
                    .replayCache(replayCache(properties, replay))
                    .leeway(s.getLeeway())
                    .maxSignatureLifetime(s.getMaxProofLifetime());
            s.getAudiences().forEach(b::audience);
            return WimseObserverWiring.httpSignatureVerifier(b, observer).build();
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = "wimse.service.mutual-tls")
        X509TrustSource wimseX509TrustSource(WimseProperties properties, TrustBundleSource trust) {
            return WimseSettings.x509Trust(properties, trust);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = "wimse.service.mutual-tls")
        WicValidator wimseWicValidator(X509TrustSource trust, WimseObserver observer) {
            return WimseObserverWiring.wicValidator(WicValidator.builder().trust(trust).forClients(), observer).build();
        }

        private static ReplayCache replayCache(WimseProperties properties, ObjectProvider<ReplayCache> replay) {
            ReplayCache cache = replay.getIfUnique();
            if (cache == null) {
                throw new IllegalStateException("wimse.service.replay-store=" + properties.getService().getReplayStore().name().toLowerCase(java.util.Locale.ROOT)
                        + " has no ReplayCache: replay-store=redis needs io.wimse4j:wimse-redis and spring-boot-starter-data-redis on the class path"
                        + " (or define one ReplayCache bean)");
            }
            return cache;
        }
    }

    /** {@code replay-store=redis}: wimse-redis's cache on Spring Data Redis's connection details. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "wimse.service", name = {"base-uri"})
    @ConditionalOnClass(name = {"io.wimse4j.redis.RedisReplayCache",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails"})
    static class RedisReplay {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(ReplayCache.class)
        @ConditionalOnProperty(prefix = "wimse.service", name = "replay-store", havingValue = "redis")
        io.wimse4j.redis.RedisReplayCache wimseReplayCache(
                ObjectProvider<org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails> details) {
            var d = details.getIfAvailable();
            if (d == null) {
                throw new IllegalStateException("wimse.service.replay-store=redis needs Spring Data Redis's connection"
                        + " (spring.data.redis.*): no DataRedisConnectionDetails bean");
            }
            return io.wimse4j.redis.RedisReplayCache.builder().uri(RedisUris.of(d)).build();
        }
    }

    /** The calling side: credentials from the Identity Server. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "wimse.identity-server", name = "url")
    static class Credentials {
        @Bean
        @ConditionalOnMissingBean
        CredentialSource wimseCredentialSource(WimseProperties properties, WimseObserver observer) {
            WimseProperties.IdentityServer s = properties.getIdentityServer();
            WimseSettings.checkIdentityServer(s);
            IdentityServerCredentialSource.Builder b = IdentityServerCredentialSource.builder(s.getUrl(), WimseSettings.attestation(s))
                    .allowInsecureHttp(s.isAllowInsecureHttp());
            if (s.getCaFile() != null) {
                b.sslContext(WimseSettings.sslContext(s.getCaFile(), "wimse.identity-server.ca-file"));
            }
            return WimseObserverWiring.credentials(b, observer).build();
        }
    }

    /** True when the receiving or the calling side is configured. */
    static final class OnWimseConfigured extends AnyNestedCondition {
        OnWimseConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "wimse.service", name = "base-uri")
        static final class Service {
        }

        @ConditionalOnProperty(prefix = "wimse.identity-server", name = "url")
        static final class IdentityServer {
        }
    }
}
