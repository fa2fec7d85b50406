package io.wimse4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.servlet.FilterProblem;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.tls.WicKeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual-TLS callers through the starter over real TLS handshakes with Tomcat's own TLS
 * ({@code server.ssl.*} PEM files, {@code client-auth=want}): the validated Workload Identity Certificate
 * becomes the same {@code WorkloadAuthentication} as a WPT caller (WIC-4, MT-1), with
 * {@code wimse:method:mutual-tls}; the container's handshake checks the chain, the filter then the WIC
 * rules (one URI SAN, MT-3), and each caller it validates moves {@code wimse.verifications{kind=mutual-tls}}.
 */
@SpringBootTest(classes = TestServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class WimseMutualTlsTest {
    static final String CALLER = TestIdentities.CALLER;
    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org workload CA").certificateAuthority(0).build();
    static final HeldCertificate SERVER = HeldCertificate.builder().uri("wimse://example.org/svc/hello").dnsName("localhost")
            .ipAddress("127.0.0.1").usages(WicUsage.SERVER).signedBy(CA).build();
    static final int PORT = WimseServerSecurityTest.freePort();
    static final Path DIR = tempDir();

    @Autowired
    MeterRegistry registry;

    static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("wimse-mtls");
            Files.writeString(dir.resolve("server.pem"), SERVER.chainPem());
            Files.writeString(dir.resolve("server.key.pem"), SERVER.privateKeyPem());
            Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeTempDir() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("server.port", () -> PORT);
        r.add("server.address", () -> "127.0.0.1");
        r.add("server.ssl.certificate", () -> "file:" + DIR.resolve("server.pem"));
        r.add("server.ssl.certificate-private-key", () -> "file:" + DIR.resolve("server.key.pem"));
        r.add("server.ssl.trust-certificate", () -> "file:" + DIR.resolve("ca.pem"));
        r.add("server.ssl.client-auth", () -> "want");
        r.add("wimse.trust-domains[0].name", () -> "example.org");
        r.add("wimse.trust-domains[0].x509-bundle-file", () -> DIR.resolve("ca.pem").toString());
        r.add("wimse.service.base-uri", () -> "https://127.0.0.1:" + PORT);
        r.add("wimse.service.mutual-tls", () -> "true");
        r.add("wimse.service.authorization.rules[0].path", () -> "/admin/**");
        r.add("wimse.service.authorization.rules[0].callers[0]", () -> TestIdentities.OTHER);
        r.add("wimse.service.authorization.rules[1].path", () -> "/**");
        r.add("wimse.service.authorization.rules[1].trust-domains[0]", () -> "example.org");
    }

    static HeldCertificate client(HeldCertificate.Builder b) {
        return b.usages(WicUsage.CLIENT).signedBy(CA).build();
    }

    /** A JDK client trusting the CA, presenting {@code client} (none when null). */
    static HttpResponse<String> get(HeldCertificate client, String path) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        // the library's key manager presents the WIC whatever CAs the server names (the JDK's would send none)
        KeyManager[] keys = client == null ? null
                : new KeyManager[] {WicKeyManager.of(client.keyPair().getPrivate(), client.chain(), Clock.systemUTC())};
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + PORT + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    double verifications(String result, String reason) {
        Timer t = registry.find("wimse.verifications").tags("kind", "mutual-tls", "result", result, "reason", reason).timer();
        return t == null ? 0 : t.count();
    }

    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(ProblemDetails.parse(response.body()).code()).isEqualTo(code);
    }

    @Test
    void WIC_4_aWicCallerReachesPreAuthorizeAsTheSameAuthenticationWithMethodMutualTls() throws Exception {
        double accepted = verifications("accepted", "none");
        HttpResponse<String> response = get(client(HeldCertificate.builder().uri(CALLER)), "/hello");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello " + CALLER + " [wimse:method:mutual-tls, wimse:trust-domain:example.org, wimse:workload:"
                + CALLER + "]");
        assertThat(verifications("accepted", "none")).as("the filter's WicValidator reports to WimseMetrics").isEqualTo(accepted + 1);
    }

    @Test
    void WIC_4_propertyRulesApplyToMutualTlsCallers() throws Exception {
        assertProblem(get(client(HeldCertificate.builder().uri(CALLER)), "/admin/only"), 403, FilterProblem.FORBIDDEN.code());
        HttpResponse<String> other = get(client(HeldCertificate.builder().uri(TestIdentities.OTHER)), "/admin/only");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("admin " + TestIdentities.OTHER);
    }

    @Test
    void C2_3_aCertificateWithTwoUriSansPassesTheHandshakeButIsRefusedAsInvalidCertificate() throws Exception {
        double refused = verifications("refused", Reason.INVALID_CERTIFICATE.code());
        HeldCertificate twoUris = client(HeldCertificate.builder().uri(CALLER).uri(TestIdentities.OTHER));
        assertProblem(get(twoUris, "/hello"), 400, Reason.INVALID_CERTIFICATE.code());
        assertThat(verifications("refused", Reason.INVALID_CERTIFICATE.code())).isEqualTo(refused + 1);
    }

    @Test
    void MT_1_aCertificateOfAnotherCaNeverCompletesTheHandshake() {
        HeldCertificate otherCa = HeldCertificate.builder().commonName("intruder CA").certificateAuthority(0).build();
        HeldCertificate stranger = HeldCertificate.builder().uri(CALLER).usages(WicUsage.CLIENT).signedBy(otherCa).build();
        // Tomcat's own trust refuses it: the request never reaches the filter, so no mutual-tls meter moves
        double refused = registry.find("wimse.verifications").tags("kind", "mutual-tls", "result", "refused").timers().stream()
                .mapToDouble(Timer::count).sum();
        assertThatThrownBy(() -> get(stranger, "/hello")).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(WimseServerSecurityTest.causes(e)).anyMatch(c -> c instanceof SSLHandshakeException || c.getMessage() != null
                        && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("certificate")));
        assertThat(registry.find("wimse.verifications").tags("kind", "mutual-tls", "result", "refused").timers().stream()
                .mapToDouble(Timer::count).sum()).isEqualTo(refused);
    }

    @Test
    void MT_2_aRequestWithoutAClientCertificateIsAnInvalidCertificateProblem() throws Exception {
        double refused = verifications("refused", Reason.INVALID_CERTIFICATE.code());
        HttpResponse<String> response = get(null, "/hello");
        assertProblem(response, 400, Reason.INVALID_CERTIFICATE.code());
        assertThat(ProblemDetails.parse(response.body()).detail()).contains("presented no certificate (MT-2)");
        assertThat(verifications("refused", Reason.INVALID_CERTIFICATE.code())).isEqualTo(refused + 1);
    }
}
