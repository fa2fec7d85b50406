package io.wimse4j.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.wimse4j.demo.Workload.assertEcho;
import static io.wimse4j.demo.Workload.request;
import static io.wimse4j.demo.Workload.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link DemoService.Builder}: strict settings with clear messages, and PEM loading. */
class DemoServiceBuilderTest {
    @TempDir
    Path dir;

    private final Workload w = new Workload();

    @Test
    void SEC_1_neitherTlsNorExplicitInsecureHttpIsRefused() {
        assertThatThrownBy(() -> w.service().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS is required").hasMessageContaining("insecure HTTP");
    }

    @Test
    void SEC_1_bothTlsAndInsecureHttpIsRefused() {
        TestPki.ServerPem pem = TestPki.create().writeServerPem(dir);
        assertThatThrownBy(() -> w.service().tls(pem.cert(), pem.key()).insecureHttp().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    }

    @Test
    void externalBaseUriAndTrustAreRequired() {
        assertThatThrownBy(() -> DemoService.builder().insecureHttp().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one trust bundle").hasMessageContaining("external base URI is required");
        assertThatThrownBy(() -> w.service().externalBaseUri(URI.create("https://a.example/?q=1")).insecureHttp().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("external base URI https://a.example/?q=1");
    }

    @Test
    void sameTrustDomainTwiceIsRefused() {
        assertThatThrownBy(() -> w.service().trust(w.f.trust().bundleFor(w.f.trustDomain).orElseThrow()).insecureHttp().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trust domain example.org is given twice");
    }

    @Test
    void badPortBindAddressAndRedisUrlAreRefused() {
        assertThatThrownBy(() -> w.service().insecureHttp().port(70_000).bindAddress("no-such-host.invalid")
                .redisUrl("http://127.0.0.1:6379").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("port must be 0..65535")
                .hasMessageContaining("bind address 'no-such-host.invalid' is unknown")
                .hasMessageContaining("redis://");
    }

    @Test
    void pemErrorsNameTheFileNotItsContent() throws Exception {
        TestPki.ServerPem pem = TestPki.create().writeServerPem(dir);
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a pem file\n");
        assertThatThrownBy(() -> w.service().tls(garbage, pem.key()).build()).isInstanceOf(IOException.class)
                .hasMessageContaining("garbage.pem contains no PEM certificate chain that can be read");
        assertThatThrownBy(() -> w.service().tls(pem.cert(), pem.cert()).build()).isInstanceOf(IOException.class)
                .hasMessageContaining("server.crt.pem contains no PEM private key that can be read");
        TestPki.ServerPem other = TestPki.create().writeServerPem(Files.createDirectory(dir.resolve("other")));
        String otherKey = Files.readString(other.key());
        assertThatThrownBy(() -> w.service().tls(pem.cert(), other.key()).build()).isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the first certificate")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(otherKey.substring(30, 60)));
    }

    @Test
    void SEC_1_traditionalEcPrivateKeyPemIsReadToo() throws Exception {
        TestPki pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        Path traditional = pki.writeTraditionalKeyPem(dir, "server.ec.pem");
        assertThat(Files.readString(traditional)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(pem.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        try (DemoService s = w.service().tls(pem.cert(), traditional).build().start()) {
            HttpResponse<String> r = send(w.client(s, pki.clientContext()), request(s, "/echo").GET().build());
            assertEcho(r, "GET", "/echo");
        }
    }

    @Test
    void portAndLocalUriNeedAStartedService() throws Exception {
        DemoService s = w.service().insecureHttp().build();
        assertThatThrownBy(s::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        s.start();
        try {
            assertThat(s.port()).isPositive();
            assertThat(s.localUri()).isEqualTo(URI.create("http://127.0.0.1:" + s.port()));
            assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        } finally {
            s.close();
        }
        assertThatThrownBy(s::port).isInstanceOf(IllegalStateException.class);
    }
}
