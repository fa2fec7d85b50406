package io.wimse4j.spring.client;

import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.spring.WimseAutoConfiguration;
import io.wimse4j.spring.WimseProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Outgoing signing when there is a {@link CredentialSource} bean (from {@code wimse.identity-server.*},
 * or the application's): a {@link WimseRestClientConfigurer} for {@code RestClient}/{@code RestTemplate}
 * and a {@link WimseWebClientConfigurer} for {@code WebClient}, each with the proof {@code wimse.client.proof} names.
 * Neither is applied to any client by itself: apply them to the clients of WIMSE services.
 */
@AutoConfiguration(after = WimseAutoConfiguration.class)
@ConditionalOnBean(CredentialSource.class)
@EnableConfigurationProperties(WimseProperties.class)
public class WimseClientAutoConfiguration {
    /** Creates the auto-configuration (Spring calls it). */
    public WimseClientAutoConfiguration() {
    }

    static RequestSigner requestSigner(CredentialSource credentials, WimseProperties properties) {
        return RequestSigner.builder().credentials(credentials)
                .transport(io.wimse4j.spring.WimsePropertyValues.transport(properties.getClient().getWptTransport())).build();
    }

    /** RestClient and RestTemplate. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(CredentialSource.class)
    @ConditionalOnClass(name = {"org.springframework.web.client.RestClient", "org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder"})
    static class Rest {
        @Bean
        @ConditionalOnMissingBean
        WimseClientHttpRequestInterceptor wimseClientHttpRequestInterceptor(CredentialSource credentials, WimseProperties properties) {
            if (properties.getClient().getProof() == WimseProperties.ClientProof.HTTP_SIGNATURE) {
                return WimseClientHttpRequestInterceptor.httpSignature(HttpSignatureSigner.builder(credentials).build());
            }
            return WimseClientHttpRequestInterceptor.wpt(requestSigner(credentials, properties));
        }

        @Bean
        @ConditionalOnMissingBean
        WimseRestClientConfigurer wimseRestClientConfigurer(WimseClientHttpRequestInterceptor interceptor) {
            return new WimseRestClientConfigurer(interceptor);
        }
    }

    /** WebClient. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(CredentialSource.class)
    @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
    static class Reactive {
        @Bean
        @ConditionalOnMissingBean
        WimseExchangeFilterFunction wimseExchangeFilterFunction(CredentialSource credentials, WimseProperties properties) {
            if (properties.getClient().getProof() == WimseProperties.ClientProof.HTTP_SIGNATURE) {
                return WimseExchangeFilterFunction.httpSignature(HttpSignatureSigner.builder(credentials).build());
            }
            return WimseExchangeFilterFunction.wpt(requestSigner(credentials, properties));
        }

        @Bean
        @ConditionalOnMissingBean
        WimseWebClientConfigurer wimseWebClientConfigurer(WimseExchangeFilterFunction filter) {
            return new WimseWebClientConfigurer(filter);
        }
    }
}
