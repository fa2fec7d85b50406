package io.wimse4j.spring;

import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.spring.actuate.WimseHealthAutoConfiguration;
import io.wimse4j.spring.actuate.WimseHealthIndicator;
import io.wimse4j.spring.client.WimseClientAutoConfiguration;
import io.wimse4j.spring.client.WimseClientHttpRequestInterceptor;
import io.wimse4j.spring.client.WimseRestClientConfigurer;
import io.wimse4j.spring.client.WimseWebClientConfigurer;
import io.wimse4j.spring.security.WimseSecurityAutoConfiguration;
import io.wimse4j.spring.security.WimseSecurityComponents;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/** What the auto-configuration registers, backs off from, and refuses at start. */
class WimseAutoConfigurationTest {
    static final TestIdentities IDS = new TestIdentities();

    final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            WimseAutoConfiguration.class, WimseSecurityAutoConfiguration.class, WimseClientAutoConfiguration.class,
            WimseHealthAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

    WebApplicationContextRunner service() {
        return runner.withPropertyValues("wimse.service.base-uri=https://orders.example.org",
                "wimse.trust-domains[0].name=example.org", "wimse.trust-domains[0].bundle-file=" + IDS.bundleFile);
    }

    @Test
    void nothingIsAddedWithoutWimseProperties() {
        runner.run(c -> {
            assertThat(c).hasNotFailed();
            assertThat(c).doesNotHaveBean(WimseProperties.class).doesNotHaveBean(RequestVerifier.class)
                    .doesNotHaveBean(WimseSecurityComponents.class).doesNotHaveBean(WimseHealthIndicator.class)
                    .doesNotHaveBean(CredentialSource.class).doesNotHaveBean(WimseRestClientConfigurer.class);
            assertThat(c.getBeansOfType(SecurityFilterChain.class).keySet()).doesNotContain("wimseSecurityFilterChain");
        });
    }

    @Test
    void wimseEnabledFalseTurnsEverythingOff() {
        service().withPropertyValues("wimse.enabled=false").run(c -> assertThat(c).doesNotHaveBean(RequestVerifier.class)
                .doesNotHaveBean(WimseSecurityComponents.class));
    }

    @Test
    void receivingSideRegistersVerifierChainAndHealth() {
        service().run(c -> {
            assertThat(c).hasSingleBean(RequestVerifier.class).hasSingleBean(TrustBundleSource.class)
                    .hasSingleBean(WimseSecurityComponents.class).hasSingleBean(WimseHealthIndicator.class);
            assertThat(c.getBean(ReplayCache.class)).isInstanceOf(InMemoryReplayCache.class);
            assertThat(c).hasBean("wimseSecurityFilterChain");
            assertThat(c).doesNotHaveBean(WimseRestClientConfigurer.class); // no credentials: no outgoing signing
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final RequestVerifier VERIFIER = RequestVerifier.builder().trust(d -> java.util.Optional.empty()).build();

        @Bean
        RequestVerifier myVerifier() {
            return VERIFIER;
        }

        @Bean
        SecurityFilterChain myChain(HttpSecurity http) throws Exception {
            return http.build();
        }
    }

    @Test
    void backsOffFromTheApplicationsVerifierAndSecurityFilterChain() {
        service().withUserConfiguration(OwnBeans.class).run(c -> {
            assertThat(c).hasNotFailed();
            assertThat(c.getBean(RequestVerifier.class)).isSameAs(OwnBeans.VERIFIER);
            assertThat(c).hasBean("myChain").doesNotHaveBean("wimseSecurityFilterChain");
            assertThat(c).hasSingleBean(WimseSecurityComponents.class); // for http.with(WimseSecurityConfigurer.wimse(), ...)
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCredentials {
        @Bean
        CredentialSource credentials() {
            return IDS.source(TestIdentities.CALLER);
        }
    }

    @Test
    void credentialSourceBeanGetsTheOutgoingConfigurers() {
        runner.withUserConfiguration(OwnCredentials.class).run(c -> {
            assertThat(c).hasSingleBean(WimseRestClientConfigurer.class).hasSingleBean(WimseClientHttpRequestInterceptor.class)
                    .hasSingleBean(WimseWebClientConfigurer.class);
            assertThat(c).doesNotHaveBean(RequestVerifier.class);
        });
    }

    @Test
    void HS_1_httpSignatureClientProofSignsRestAndWebClients() {
        runner.withUserConfiguration(OwnCredentials.class).withPropertyValues("wimse.client.proof=http-signature")
                .run(c -> assertThat(c).hasSingleBean(WimseRestClientConfigurer.class).hasSingleBean(WimseWebClientConfigurer.class));
    }

    void assertStartFails(WebApplicationContextRunner r, String message) {
        r.run(c -> {
            assertThat(c).hasFailed();
            java.util.List<String> messages = new java.util.ArrayList<>();
            for (Throwable t = c.getStartupFailure(); t != null; t = t.getCause()) {
                messages.add(String.valueOf(t.getMessage()));
            }
            assertThat(messages).anySatisfy(m -> assertThat(m).contains(message));
        });
    }

    @Test
    void startFailsWithoutTrustDomains() {
        assertStartFails(runner.withPropertyValues("wimse.service.base-uri=https://orders.example.org"), "no wimse.trust-domains are");
    }

    @Test
    void ID_3_startFailsForATrustDomainWithTwoKeySources() {
        assertStartFails(service().withPropertyValues("wimse.trust-domains[0].jwks-url=https://wimse.example.org/.well-known/jwks.json"),
                "wimse.trust-domains[0]: set exactly one of jwks-url, spiffe-bundle-url and bundle-file (found 2)");
    }

    @Test
    void ID_3_startFailsForATrustDomainWithNoKeySourceAtAll() {
        assertStartFails(runner.withPropertyValues("wimse.service.base-uri=https://orders.example.org", "wimse.trust-domains[0].name=example.org"),
                "wimse.trust-domains[0]: set exactly one of jwks-url, spiffe-bundle-url and bundle-file (found 0), or only x509-bundle-file");
    }

    @Test
    void SEC_1_startFailsForAPlainHttpBundleUrl() {
        assertStartFails(runner.withPropertyValues("wimse.service.base-uri=https://orders.example.org",
                "wimse.trust-domains[0].name=example.org", "wimse.trust-domains[0].jwks-url=http://wimse.example.org/jwks.json"), "must be https://");
    }

    @Test
    void startFailsForMutualTlsWithHttpSignatures() {
        assertStartFails(service().withPropertyValues("wimse.service.mutual-tls=true", "wimse.service.http-signatures=true"),
                "wimse.service.mutual-tls=true contradicts wimse.service.http-signatures=true");
    }

    @Test
    void startFailsForARuleWithABadCaller() {
        assertStartFails(service().withPropertyValues("wimse.service.authorization.rules[0].path=/x",
                "wimse.service.authorization.rules[0].callers[0]=not an identifier"), "wimse.service.authorization.rules[0].callers");
    }

    @Test
    void startFailsForIdentityServerWithoutAttestation() {
        assertStartFails(runner.withPropertyValues("wimse.identity-server.url=https://wimse.example.org"),
                "needs exactly one of wimse.identity-server.join-token, join-token-file and kubernetes-token-file (found 0)");
    }

    @Test
    void V_9_redisReplayStoreWithoutRedisIsRefusedAtStart() {
        assertStartFails(service().withPropertyValues("wimse.service.replay-store=redis"), "replay-store=redis");
    }
}
