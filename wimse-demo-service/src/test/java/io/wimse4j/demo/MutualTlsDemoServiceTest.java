package io.wimse4j.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicKeyManager;
import io.wimse4j.x509.tls.WicTrustManager;
import io.wimse4j.x509.tls.WimseTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo service in mutual-TLS mode over real handshakes (MT-1, MT-2, WIC-4): a client presenting a WIC
 * of a trusted trust domain gets its identifier echoed; one with a certificate of another CA, or without a
 * certificate, never completes the handshake, and the server's trust manager names the reason.
 */
class MutualTlsDemoServiceTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String SERVER_ID = "wimse://example.org/svc/echo";
    static final String CALLER = "wimse://example.org/svc/caller";

    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
    static final HeldCertificate SERVER = HeldCertificate.builder().uri(SERVER_ID).dnsName("localhost")
            .usages(WicUsage.SERVER).signedBy(CA).build();

    @TempDir
    Path dir;

    private DemoService service;
    private final List<String> refused = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    static X509TrustSource trust(HeldCertificate ca) throws Exception {
        return X509TrustSource.of(X509TrustBundle.of(TD, List.of(ca.certificate())));
    }

    DemoService start() throws Exception {
        Path cert = Files.writeString(dir.resolve("server.pem"), SERVER.chainPem());
        Path key = Files.writeString(dir.resolve("server.key.pem"), SERVER.privateKeyPem());
        service = DemoService.builder().externalBaseUri(URI.create("https://echo.example.org")).tls(cert, key)
                .mutualTls(trust(CA)).handshakeListener((role, reason, detail) -> refused.add(reason + ": " + detail))
                .build().start();
        return service;
    }

    /** A client presenting {@code client} (none when null), expecting the server's identifier (MT-4). */
    HttpResponse<String> get(HeldCertificate client) throws Exception {
        WicKeyManager keys = client == null ? new WicKeyManager(CLOCK) : WicKeyManager.of(client.keyPair().getPrivate(), client.chain(), CLOCK);
        WicTrustManager serverTrust = WicTrustManager.builder().trust(trust(CA)).clock(CLOCK)
                .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER_ID))).build();
        HttpClient http = HttpClient.newBuilder().sslContext(WimseTls.context(keys, serverTrust))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create(service.localUri() + DemoService.ECHO_PATH))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HeldCertificate client(HeldCertificate ca, String id) {
        return HeldCertificate.builder().uri(id).usages(WicUsage.CLIENT).signedBy(ca).build();
    }

    @Test
    void WIC_4_aClientWithATrustedWicGetsItsIdentifierEchoed() throws Exception {
        start();
        assertThat(service.mutualTls()).isTrue();
        HttpResponse<String> r = get(client(CA, CALLER));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode echo = new ObjectMapper().readTree(r.body());
        assertThat(echo.get("workload").asText()).isEqualTo(CALLER);
        assertThat(echo.get("trust_domain").asText()).isEqualTo("example.org");
        assertThat(echo.get("path").asText()).isEqualTo("/echo");
        assertThat(refused).isEmpty();
    }

    @Test
    void MT_1_aClientCertificateOfAnUntrustedCaFailsTheHandshake() throws Exception {
        start();
        HeldCertificate otherCa = HeldCertificate.builder().commonName("rogue CA").certificateAuthority(0).build();
        assertThatThrownBy(() -> get(client(otherCa, CALLER))).isInstanceOf(IOException.class);
        // the JDK client may try the connection more than once: every attempt is refused for the same reason
        assertThat(refused).isNotEmpty().allSatisfy(r -> assertThat(r).isEqualTo(Reason.UNKNOWN_KEY
                + ": the chain does not lead to the anchors of trust domain example.org (MT-1)"));
    }

    @Test
    void MT_2_aClientWithoutACertificateFailsTheHandshake() throws Exception {
        start();
        assertThatThrownBy(() -> get(null)).isInstanceOf(IOException.class);
        assertThat(refused).as("refused by Jetty's need-client-auth before the trust manager").isEmpty();
    }

    @Test
    void MT_3_aServerCertificateWithoutClientAuthIsNoClientCredential() throws Exception {
        start();
        HeldCertificate serverOnly = HeldCertificate.builder().uri(CALLER).usages(WicUsage.SERVER).signedBy(CA).build();
        assertThatThrownBy(() -> get(serverOnly)).isInstanceOf(IOException.class);
        assertThat(refused).isNotEmpty().allSatisfy(r -> assertThat(r).isEqualTo(Reason.INVALID_CERTIFICATE
                + ": the leaf has no extended key usage clientAuth for its role (MT-3)"));
    }

    @Test
    void MT_2_mutualTlsNeedsTheServersCertificateAndNoRedisWithoutTokens() {
        assertThatThrownBy(() -> DemoService.builder().externalBaseUri(URI.create("https://echo.example.org"))
                .mutualTls(td -> java.util.Optional.empty()).insecureHttp().redisUrl("redis://127.0.0.1:6379").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mutual TLS needs the server's TLS certificate and key")
                .hasMessageContaining("a Redis replay cache applies to WPTs");
    }
}
