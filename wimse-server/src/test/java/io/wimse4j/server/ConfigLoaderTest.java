package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration layering: file, then {@code WIMSE_SERVER_*} environment, then flags (flags win). */
class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void flagsWinOverEnvironmentWhichWinsOverFile() throws Exception {
        Path file = tmp.resolve("server.properties");
        Files.writeString(file, "trust-domain=file.example\nport=1111\nkey-alg=EdDSA\nmax-wit-ttl=2h\nbind=0.0.0.0\n");
        ServerConfig c = ConfigLoader.load(file,
                Map.of("WIMSE_SERVER_PORT", "2222", "WIMSE_SERVER_TRUST_DOMAIN", "env.example", "HOME", "/root"),
                Map.of("trust-domain", "flag.example"));
        assertThat(c.trustDomain().name()).isEqualTo("flag.example");
        assertThat(c.port()).isEqualTo(2222);
        assertThat(c.keyAlgorithm()).isEqualTo(JwsAlgorithm.EdDSA);
        assertThat(c.maxWitTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(c.bind()).isEqualTo("0.0.0.0");
    }

    @Test
    void defaultsAreSafe() throws Exception {
        ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org"));
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.insecureHttp()).isFalse();
        assertThat(c.keyAlgorithm()).isEqualTo(JwsAlgorithm.ES256);
        assertThat(c.jwksMaxAge()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.publishAhead()).isEqualTo(c.jwksMaxAge());
        assertThat(c.rotateEvery()).isEmpty();
        assertThat(c.baseUri()).isEmpty();
        assertThat(c.kubernetes()).isEmpty();
    }

    @Test
    void MT_7_theWicLifetimeIsOneHourByDefaultConfigurableAndAtMost24Hours() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org")).wicTtl())
                .isEqualTo(Duration.ofHours(1));
        assertThat(ConfigLoader.load(null, Map.of("WIMSE_SERVER_WIC_TTL", "15m"), Map.of("trust-domain", "example.org"))
                .wicTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "wic-ttl", "25h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WIC TTL");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "wic-ttl", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WIC TTL");
    }

    @Test
    void everyKeyIsAccepted() throws Exception {
        ServerConfig c = ConfigLoader.load(null, Map.of(), Map.ofEntries(
                Map.entry("trust-domain", "example.org"), Map.entry("base-uri", "https://id.example.org"),
                Map.entry("state-dir", tmp.toString()), Map.entry("default-wit-ttl", "30m"), Map.entry("jwks-max-age", "60s"),
                Map.entry("publish-ahead", "PT2M"), Map.entry("rotate-every", "1d"), Map.entry("dns-names", "id.example.org, id2"),
                Map.entry("insecure-http", "true"), Map.entry("leeway", "30"), Map.entry("kubernetes-issuer", "https://k8s"),
                Map.entry("kubernetes-audience", "wimse"), Map.entry("kubernetes-jwks-file", "/etc/k8s/jwks.json")));
        assertThat(c.baseUri()).hasValue(URI.create("https://id.example.org"));
        assertThat(c.defaultWitTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.publishAhead()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.rotateEvery()).hasValue(Duration.ofDays(1));
        assertThat(c.dnsNames()).containsExactly("id.example.org", "id2");
        assertThat(c.insecureHttp()).isTrue();
        assertThat(c.leeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.kubernetes().orElseThrow().audience()).isEqualTo("wimse");
    }

    @Test
    void unknownKeyOrBadValueIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "prot", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prot");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WIMSE_SERVER_TYPO", "x"), Map.of("trust-domain", "example.org")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WIMSE_SERVER_TYPO");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trust-domain");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "key-alg", "HS256")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key-alg");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "rotate-every", "1m")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publish-ahead");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "kubernetes-issuer", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "dns-names", "*.example.org")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dns-names: DNS name *.example.org may hold only lower-case letters, digits, '-' and '.'");
    }
}
