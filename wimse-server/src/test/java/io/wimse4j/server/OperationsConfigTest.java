package io.wimse4j.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operations settings as {@link ConfigLoader} reads them (config file, environment, flags). */
class OperationsConfigTest {
    static final Map<String, String> K8S = Map.of("trust-domain", "example.org", "kubernetes-issuer", "https://k8s.example",
            "kubernetes-audience", "wimse");

    static ServerConfig load(Map<String, String> base, String... kv) throws Exception {
        Map<String, String> flags = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            flags.put(kv[i], kv[i + 1]);
        }
        return ConfigLoader.load(null, Map.of(), flags);
    }

    @Test
    void kubernetesJwksUrlWithCaFileAndRefresh() throws Exception {
        ServerConfig c = load(K8S, "kubernetes-jwks-url", "https://10.0.0.1:6443/openid/v1/jwks",
                "kubernetes-ca-file", "/etc/k8s/ca.crt", "kubernetes-jwks-refresh", "2m");
        ServerConfig.KubernetesSettings k = c.kubernetes().orElseThrow();
        assertThat(k.jwksUrl()).contains(URI.create("https://10.0.0.1:6443/openid/v1/jwks"));
        assertThat(k.caFile()).contains(Path.of("/etc/k8s/ca.crt"));
        assertThat(k.jwksRefresh()).isEqualTo(Duration.ofMinutes(2));
        assertThat(k.jwksFile()).isEmpty();
        assertThat(load(K8S, "kubernetes-jwks-url", "http://127.0.0.1:8001/openid/v1/jwks").kubernetes().orElseThrow()
                .jwksRefresh()).isEqualTo(ServerConfig.KubernetesSettings.DEFAULT_JWKS_REFRESH);
        ConfigLoader.load(null, Map.of("WIMSE_SERVER_KUBERNETES_JWKS_URL", "https://k8s.example/jwks"), K8S);
    }

    @Test
    void exactlyOneOfTheJwksFileAndUrlAndTheirCompanionsOnlyWithTheUrl() {
        assertThatThrownBy(() -> load(K8S)).hasMessageContaining("exactly one of kubernetes-jwks-file and kubernetes-jwks-url");
        assertThatThrownBy(() -> load(K8S, "kubernetes-jwks-file", "j.json", "kubernetes-jwks-url", "https://k8s.example/jwks"))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> load(K8S, "kubernetes-jwks-file", "j.json", "kubernetes-ca-file", "ca.pem"))
                .hasMessageContaining("go with kubernetes-jwks-url");
        assertThatThrownBy(() -> load(K8S, "kubernetes-jwks-url", "http://k8s.example/jwks"))
                .hasMessageContaining("must be https");
        assertThatThrownBy(() -> load(K8S, "kubernetes-jwks-url", "ftp://k8s.example/jwks")).hasMessageContaining("must be https");
        assertThatThrownBy(() -> load(K8S, "kubernetes-jwks-url", "https://k8s.example/jwks", "kubernetes-jwks-refresh", "0s"))
                .hasMessageContaining("between 1 second and 1 day");
    }

    @Test
    void adminListenAuditAndRegistrationsFileKeys() throws Exception {
        ServerConfig c = load(Map.of("trust-domain", "example.org"), "admin-listen", "127.0.0.1:9443",
                "audit-max-bytes", "0", "audit-keep", "10", "registrations-file", "/etc/wimse/registrations.json");
        assertThat(c.adminListen().orElseThrow().getPort()).isEqualTo(9443);
        assertThat(c.auditMaxBytes()).isZero();
        assertThat(c.auditKeep()).isEqualTo(10);
        assertThat(c.registrationsFile()).contains(Path.of("/etc/wimse/registrations.json"));
        ServerConfig d = load(Map.of("trust-domain", "example.org"));
        assertThat(d.adminListen()).isEmpty();
        assertThat(d.auditMaxBytes()).isEqualTo(ServerConfig.DEFAULT_AUDIT_MAX_BYTES);
        assertThat(d.auditKeep()).isEqualTo(5);
        assertThat(d.registrationsFile()).isEmpty();
    }
}
