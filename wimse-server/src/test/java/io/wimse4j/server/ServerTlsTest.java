package io.wimse4j.server;

import io.wimse4j.server.internal.ServerTls;
import io.wimse4j.server.internal.StateDir;
import io.wimse4j.testkit.MutableClock;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.TlsCertificateAuthority;
import io.wimse4j.x509.TlsServerCertificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's own CA and its server certificate (wimse-x509's TLS types), bootstrapped once and kept. */
class ServerTlsTest {
    @TempDir
    Path tmp;

    static List<String> sans(X509Certificate cert) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            out.add(san.get(1).toString());
        }
        return out;
    }

    @Test
    void serverCertificateHasLocalhostLoopbackAndConfiguredNamesAndIsSignedByTheCa() throws Exception {
        ServerTls tls = ServerTls.bootstrap(StateDir.open(tmp), List.of("id.example.org"), Clock.systemUTC());
        X509Certificate server = tls.serverCertificate();
        assertThat(sans(server)).containsExactly("localhost", "id.example.org", "127.0.0.1", "0:0:0:0:0:0:0:1");
        server.verify(tls.caCertificate().getPublicKey());
        assertThat(tls.caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(tls.caCertificate().getSubjectX500Principal().getName()).startsWith("CN=wimse4j Identity Server CA ");
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(365).plusMinutes(5));
        assertThat(Duration.between(tls.caCertificate().getNotBefore().toInstant(), tls.caCertificate().getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650).plusMinutes(5));
        assertThat(tls.keyStore("pw".toCharArray()).getCertificateChain("server")).containsExactly(server, tls.caCertificate());
    }

    @Test
    void KEY_1_theFilesArePemAndThePrivateKeysOwnerOnly() throws Exception {
        ServerTls tls = ServerTls.bootstrap(StateDir.open(tmp), List.of(), Clock.systemUTC());
        assertThat(Files.readString(tmp.resolve("ca.pem"))).isEqualTo(tls.caPem());
        assertThat(Pem.certificate(Files.readString(tmp.resolve("server.pem")))).isEqualTo(tls.serverCertificate());
        for (String key : List.of("ca-key.pem", "server-key.pem")) {
            assertThat(Files.getPosixFilePermissions(tmp.resolve(key))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Pem.privateKey(Files.readString(tmp.resolve(key)))).isNotNull();
        }
        assertThat(Pem.privateKey(Files.readString(tmp.resolve("server-key.pem"))))
                .isEqualTo(tls.keyStore("pw".toCharArray()).getKey("server", "pw".toCharArray()));
    }

    @Test
    void restartKeepsTheCaAndReissuesTheServerCertificateOnlyForNewNames() throws Exception {
        StateDir dir = StateDir.open(tmp);
        ServerTls first = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        ServerTls again = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        assertThat(again.caPem()).isEqualTo(first.caPem());
        assertThat(again.serverCertificate()).isEqualTo(first.serverCertificate());

        ServerTls renamed = ServerTls.bootstrap(dir, List.of("new.example.org"), Clock.systemUTC());
        assertThat(renamed.caPem()).isEqualTo(first.caPem());
        assertThat(renamed.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(sans(renamed.serverCertificate())).contains("new.example.org");
        renamed.serverCertificate().verify(first.caCertificate().getPublicKey());
    }

    @Test
    void theServerCertificateIsReissuedOnlyWhenItExpiresWithin30Days() throws Exception {
        StateDir dir = StateDir.open(tmp);
        Instant start = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        ServerTls first = ServerTls.bootstrap(dir, List.of(), new MutableClock(start));
        ServerTls day334 = ServerTls.bootstrap(dir, List.of(), new MutableClock(start.plus(Duration.ofDays(334))));
        assertThat(day334.serverCertificate()).isEqualTo(first.serverCertificate());
        MutableClock day336 = new MutableClock(start.plus(Duration.ofDays(336)));
        ServerTls renewed = ServerTls.bootstrap(dir, List.of(), day336);
        assertThat(renewed.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(renewed.serverCertificate().getNotAfter().toInstant()).isEqualTo(day336.instant().plus(Duration.ofDays(365)));
        assertThat(renewed.caPem()).isEqualTo(first.caPem());
    }

    @Test
    void aTornServerCertificateOrOneOfAnotherKeyIsReissued() throws Exception {
        StateDir dir = StateDir.open(tmp);
        ServerTls first = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        Files.writeString(tmp.resolve("server.pem"), "");
        ServerTls afterBlank = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        assertThat(afterBlank.serverCertificate()).isNotEqualTo(first.serverCertificate());
        // a crash between the key and the certificate: the new key beside the old certificate
        Files.writeString(tmp.resolve("server-key.pem"), Pem.encodePrivateKey(
                io.wimse4j.x509.KeyType.EC_P256.generate().getPrivate()));
        ServerTls afterTornPair = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        assertThat(afterTornPair.serverCertificate()).isNotEqualTo(afterBlank.serverCertificate());
        assertThat(afterTornPair.caPem()).isEqualTo(first.caPem());
    }

    @Test
    void aCaKeyWithoutItsCertificateIsReplacedButAnUnusableCaRefusesTheStart() throws Exception {
        StateDir dir = StateDir.open(tmp);
        ServerTls first = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        Files.delete(tmp.resolve("ca.pem"));
        ServerTls fresh = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        assertThat(fresh.caPem()).isNotEqualTo(first.caPem());
        fresh.serverCertificate().verify(fresh.caCertificate().getPublicKey());

        Files.writeString(tmp.resolve("ca-key.pem"), Pem.encodePrivateKey(io.wimse4j.x509.KeyType.EC_P256.generate().getPrivate()));
        assertThatThrownBy(() -> ServerTls.bootstrap(dir, List.of(), Clock.systemUTC())).isInstanceOf(java.io.IOException.class)
                .hasMessage("the TLS CA in ca.pem and ca-key.pem is unusable: the private key does not belong to the CA certificate");
        Files.writeString(tmp.resolve("ca.pem"), "garbage");
        assertThatThrownBy(() -> ServerTls.bootstrap(dir, List.of(), Clock.systemUTC())).isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("the TLS CA in ca.pem and ca-key.pem is unreadable: ");
    }

    @Test
    void filesWrittenByThePreviousBouncyCastleCodeAreKept() throws Exception {
        TlsCertificateAuthority ca = TlsCertificateAuthority.builder().build();
        TlsServerCertificate server = TlsServerCertificate.builder(ca).dnsName("localhost")
                .ipAddress("127.0.0.1").ipAddress("::1").build();
        StateDir dir = StateDir.open(tmp);
        dir.writeAtomically("ca.pem", bcPem(ca.certificate()));
        dir.writeAtomically("ca-key.pem", bcPem(new JcaPKCS8Generator(ca.privateKey(), null)));
        dir.writeAtomically("server.pem", bcPem(server.certificate()));
        dir.writeAtomically("server-key.pem", bcPem(new JcaPKCS8Generator(server.privateKey(), null)));
        ServerTls tls = ServerTls.bootstrap(dir, List.of(), Clock.systemUTC());
        assertThat(tls.caCertificate()).isEqualTo(ca.certificate());
        assertThat(tls.serverCertificate()).isEqualTo(server.certificate());
    }

    private static String bcPem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
