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
import io.wimse4j.x509.tls.HandshakeCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
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
 * The demo service in mutual-TLS mode over real handshakes with clients through {@link WimseTls} (MT-1,
 * MT-2, WIC-4): a client presenting a WIC of a trusted trust domain gets its identifier echoed; each of
 * the six refusals of the mutual-TLS done-when (another CA, two URI SANs, expired, no clientAuth, an
 * identifier the authorizer does not allow, no certificate) never completes the handshake, is logged
 * with its reason and counted by the service's {@link HandshakeCounter}.
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
                .mutualTls(trust(CA)).authorizeClients(CallerAuthorizer.oneOf(WorkloadIdentifier.parse(CALLER)))
                .handshakeListener((role, reason, detail) -> refused.add(reason + ": " + detail))
                .build().start();
        return service;
    }

    /** A client presenting {@code client} (none when null), expecting the server's identifier (MT-4). */
    HttpResponse<String> get(HeldCertificate client) throws Exception {
        return get(client, client == null ? new WicKeyManager(CLOCK) : WicKeyManager.of(client.keyPair().getPrivate(), client.chain(), CLOCK));
    }

    /** The JDK's own key manager for {@code client}: unlike {@link WicKeyManager} it presents an expired certificate too. */
    static javax.net.ssl.X509KeyManager jdkKeyManager(HeldCertificate client) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("c", client.keyPair().getPrivate(), new char[0], client.chain().toArray(new java.security.cert.Certificate[0]));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        return (javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0];
    }

    HttpResponse<String> get(HeldCertificate client, javax.net.ssl.X509KeyManager keys) throws Exception {
        WicTrustManager serverTrust = WicTrustManager.builder().trust(trust(CA)).clock(CLOCK)
                .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER_ID))).build();
        javax.net.ssl.SSLContext context;
        if (keys instanceof WicKeyManager wic) {
            context = WimseTls.context(wic, serverTrust); // the factory
        } else {
            context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {keys}, new javax.net.ssl.TrustManager[] {serverTrust}, null);
        }
        HttpClient http = HttpClient.newBuilder().sslContext(context)
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
        assertThat(service.handshakes().counts()).containsOnlyKeys("accepted client");
    }

    /** A client certificate the handshake refuses, and the counter that must count it. */
    record Refusal(String name, Supplier<HeldCertificate> client, String counter, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        HeldCertificate rogue = HeldCertificate.builder().commonName("rogue CA").certificateAuthority(0).build();
        return Stream.of(
                new Refusal("MT-1 a WIC of another trust domain's CA → UNKNOWN_KEY", () -> client(rogue, CALLER),
                        "refused client UNKNOWN_KEY", "the chain does not lead to the anchors of trust domain example.org (MT-1)"),
                new Refusal("WIC-2 two URI SANs → INVALID_CERTIFICATE", () -> HeldCertificate.builder().uri(CALLER)
                        .uri("wimse://example.org/svc/second").usages(WicUsage.CLIENT).signedBy(CA).build(),
                        "refused client INVALID_CERTIFICATE", "URI"),
                new Refusal("MT-7 an expired WIC → EXPIRED", () -> HeldCertificate.builder().uri(CALLER).usages(WicUsage.CLIENT)
                        .validityInterval(Instant.now().minusSeconds(7200), Instant.now().minusSeconds(3600)).signedBy(CA).build(),
                        "refused client EXPIRED", "expired"),
                new Refusal("MT-3 no clientAuth EKU → INVALID_CERTIFICATE", () -> HeldCertificate.builder().uri(CALLER)
                        .usages(WicUsage.SERVER).signedBy(CA).build(), "refused client INVALID_CERTIFICATE",
                        "the leaf has no extended key usage clientAuth for its role (MT-3)"),
                new Refusal("WIC-4 an identifier the authorizer does not allow → PEER_NOT_AUTHORIZED",
                        () -> client(CA, "wimse://example.org/svc/intruder"), "refused client PEER_NOT_AUTHORIZED",
                        "is not authorized to connect"),
                new Refusal("MT-2 no client certificate at all → counted before the trust manager", () -> null,
                        HandshakeCounter.NO_CERTIFICATE, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void MT_1_aRefusedClientFailsTheHandshakeAndIsCountedByReason(Refusal r) throws Exception {
        start();
        HeldCertificate c = r.client().get();
        // an expired WIC is presented with the JDK's key manager: WicKeyManager never serves one (KEY-3)
        assertThatThrownBy(() -> get(c, c == null ? new WicKeyManager(CLOCK) : jdkKeyManager(c))).isInstanceOf(IOException.class);
        // the JDK client may try the connection more than once: every attempt is refused the same way
        assertThat(service.handshakes().count(r.counter())).as(service.handshakes().toString()).isPositive();
        assertThat(service.handshakes().counts().keySet()).as("nothing else counted").containsExactly(r.counter());
        if (r.detail() == null) {
            assertThat(refused).as("refused by Jetty's need-client-auth before the trust manager").isEmpty();
        } else {
            assertThat(refused).hasSize((int) service.handshakes().count(r.counter()))
                    .allSatisfy(line -> assertThat(line).contains(r.counter().substring("refused client ".length()) + ": ")
                            .contains(r.detail()));
        }
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
