package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS CA and the plain TLS server certificates it issues (DNS and IP SANs, serverAuth, no URI SAN:
 * never a WIC), loading an operator's certificate, and every refusal with its message or reason.
 */
class TlsServerCertificateTest {
    static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
    static final MutableClock CLOCK = new MutableClock(NOW);
    static final TlsCertificateAuthority CA = TlsCertificateAuthority.builder().clock(CLOCK).build();

    static X509Certificate reparse(X509Certificate c) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(c.getEncoded()));
    }

    static TlsServerCertificate.Builder server() {
        return TlsServerCertificate.builder(CA).clock(CLOCK);
    }

    @Test
    void theCaIsASelfSignedAnchorWithPathLenZeroAndNoSubjectAltName() throws Exception {
        X509Certificate c = reparse(CA.certificate());
        c.verify(c.getPublicKey());
        assertThat(c.getSubjectX500Principal().getName()).matches("CN=wimse4j TLS CA [0-9a-f]{16}");
        assertThat(c.getBasicConstraints()).isZero();
        assertThat(c.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(c.getSubjectAlternativeNames()).isNull();
        assertThat(CA.notBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(CA.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(CA.toString()).doesNotContain(Pem.encodePrivateKey(CA.privateKey()).substring(30, 60));
        assertThat(TlsCertificateAuthority.builder().build().certificate().getSubjectX500Principal())
                .as("two generated CAs never share a name").isNotEqualTo(CA.certificate().getSubjectX500Principal());

        TlsCertificateAuthority loaded = TlsCertificateAuthority.load(Pem.certificate(CA.certificatePem()),
                Pem.privateKey(Pem.encodePrivateKey(CA.privateKey())));
        assertThat(loaded.certificate()).isEqualTo(CA.certificate());
        assertThat(TlsCertificateAuthority.builder().commonName("My CA").keyType(KeyType.EC_P384).build().certificate()
                .getSubjectX500Principal().getName()).isEqualTo("CN=My CA");
    }

    @Test
    void theCaRefusesWhatCannotSignAndABadNameOrValidity() {
        HeldCertificate leaf = HeldCertificate.builder().build();
        assertThatThrownBy(() -> TlsCertificateAuthority.load(leaf.certificate(), leaf.keyPair().getPrivate()))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_KEY);
                    assertThat(e.detail()).isEqualTo("the certificate is not a CA (basicConstraints CA:false or absent)");
                });
        assertThatThrownBy(() -> TlsCertificateAuthority.load(CA.certificate(), KeyType.EC_P256.generate().getPrivate()))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.detail())
                        .isEqualTo("the private key does not belong to the CA certificate"));
        assertThatThrownBy(() -> TlsCertificateAuthority.builder().commonName("x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a CA common name has 1..64 characters and no control character");
        assertThatThrownBy(() -> TlsCertificateAuthority.builder().commonName("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsCertificateAuthority.builder().validity(Duration.ofDays(7306)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CA validity must be positive and at most 7305 days");
    }

    @Test
    void aServerCertificateHasDnsAndIpSansServerAuthAndValidatesToTheCa() throws Exception {
        TlsServerCertificate tls = server().dnsName("localhost").dnsNames(List.of("id.example.org"))
                .ipAddress("127.0.0.1").ipAddress("::1").build();
        X509Certificate c = reparse(tls.certificate());
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"), List.of(2, "id.example.org"),
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(tls.dnsNames()).containsExactly("localhost", "id.example.org");
        assertThat(tls.ipAddresses()).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(c.getKeyUsage()[0]).isTrue();
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(c.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.17", "2.5.29.37", "2.5.29.14", "2.5.29.35");
        assertThat(tls.notBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(tls.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(tls.chain()).containsExactly(tls.certificate(), CA.certificate());
        assertThat(Pem.certificates(tls.chainPem())).isEqualTo(tls.chain());
        assertThat(tls.isSignedBy(CA.certificate())).isTrue();
        assertThat(tls.isSignedBy(TlsCertificateAuthority.builder().build().certificate())).isFalse();
        assertThat(tls.toString()).doesNotContain(Pem.encodePrivateKey(tls.privateKey()).substring(30, 60));

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(CA.certificate(), null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(tls.certificate())), params);
    }

    @Test
    void WIC_2_aTlsServerCertificateHasNoUriSanSoNoWicValidatorTakesIt() throws Exception {
        TlsServerCertificate tls = server().dnsName("localhost").build();
        WicValidator validator = WicValidator.builder().clock(CLOCK).forServers().trust(X509TrustSource.of(
                X509TrustBundle.fromPem(new TrustDomain("example.org"), CA.certificatePem()))).build();
        assertThatThrownBy(() -> validator.validate(tls.chain())).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CERTIFICATE));
    }

    @Test
    void aLongFirstNameGivesAnEmptySubjectAndACriticalSubjectAltNameAndTheValidityIsCutToTheCa() throws Exception {
        String longName = "a".repeat(60) + ".example.org";
        X509Certificate c = server().dnsName(longName).build().certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEmpty();
        assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.17");
        assertThat(server().ipAddress("10.0.0.1").build().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=10.0.0.1");

        TlsCertificateAuthority shortCa = TlsCertificateAuthority.builder().clock(CLOCK).validity(Duration.ofDays(30)).build();
        TlsServerCertificate cut = TlsServerCertificate.builder(shortCa).clock(CLOCK).dnsName("localhost").build();
        assertThat(cut.notAfter()).isEqualTo(shortCa.notAfter());
        MutableClock later = new MutableClock(NOW.plus(Duration.ofDays(31)));
        assertThatThrownBy(() -> TlsServerCertificate.builder(shortCa).clock(later).dnsName("localhost").build())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the TLS CA is not valid at 2026-10-02T10:00:00Z");
    }

    /** One refused server certificate build. */
    record BuildRow(String name, Consumer<TlsServerCertificate.Builder> setup, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BuildRow> refusedBuilds() {
        return Stream.of(
                new BuildRow("no name", b -> { }, "a TLS server certificate needs at least one DNS name or IP address"),
                new BuildRow("upper case", b -> b.dnsName("Id.example.org"),
                        "DNS name Id.example.org may hold only lower-case letters, digits, '-' and '.'"),
                new BuildRow("wildcard", b -> b.dnsName("*.example.org"),
                        "DNS name *.example.org may hold only lower-case letters, digits, '-' and '.'"),
                new BuildRow("trailing dot", b -> b.dnsName("example.org."),
                        "DNS name example.org. has an empty label or one longer than 63 characters"),
                new BuildRow("an IP address as DNS name", b -> b.dnsName("127.0.0.1"),
                        "DNS name 127.0.0.1 ends in an all-digit label (an IP address is not a DNS name)"),
                new BuildRow("a DNS name twice", b -> b.dnsName("localhost").dnsName("localhost"), "DNS name localhost appears twice"),
                new BuildRow("a host name as IP address", b -> b.ipAddress("localhost"),
                        "IP address localhost is not an IPv4 or IPv6 literal"),
                new BuildRow("three octets", b -> b.ipAddress("10.0.1"), "IP address 10.0.1 is not an IPv4 or IPv6 literal"),
                new BuildRow("a network", b -> b.ipAddress("10.0.0.0/8"), "IP address 10.0.0.0/8 is not an IPv4 or IPv6 literal"),
                new BuildRow("an IPv6 scope", b -> b.ipAddress("fe80::1%eth0"), "IP address fe80::1%eth0 is not an IPv4 or IPv6 literal"),
                new BuildRow("one IPv6 address twice", b -> b.ipAddress("::1").ipAddress("0:0:0:0:0:0:0:1"),
                        "IP address 0:0:0:0:0:0:0:1 appears twice"),
                new BuildRow("too many names", b -> {
                    for (int i = 0; i <= TlsServerCertificate.MAX_NAMES; i++) {
                        b.dnsName("n" + i + ".example.org");
                    }
                }, "a TLS server certificate has at most 100 names"),
                new BuildRow("no validity", b -> b.dnsName("localhost").validity(Duration.ZERO),
                        "server certificate validity must be positive and at most 825 days, was PT0S"),
                new BuildRow("over 825 days", b -> b.dnsName("localhost").validity(Duration.ofDays(826)),
                        "server certificate validity must be positive and at most 825 days, was PT19824H"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBuilds")
    void theBuilderRefusesBadNamesAndValidities(BuildRow row) {
        TlsServerCertificate.Builder b = server();
        row.setup().accept(b);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessage(row.message());
    }

    @Test
    void loadAcceptsAnOperatorsChainWithIntermediatesAndALeafWithoutEku() throws Exception {
        HeldCertificate root = HeldCertificate.builder().certificateAuthority(1).build();
        HeldCertificate intermediate = HeldCertificate.builder().certificateAuthority(0).signedBy(root).build();
        HeldCertificate leaf = HeldCertificate.builder().dnsName("id.example.org").ipAddress("192.0.2.1")
                .usages(WicUsage.SERVER).signedBy(intermediate).build();
        TlsServerCertificate loaded = TlsServerCertificate.load(leaf.chain(), leaf.keyPair().getPrivate(),
                new MutableClock(Instant.now()));
        assertThat(loaded.chain()).isEqualTo(leaf.chain());
        assertThat(loaded.dnsNames()).containsExactly("id.example.org");
        assertThat(loaded.ipAddresses()).containsExactly("192.0.2.1");
        HeldCertificate noEku = HeldCertificate.builder().dnsName("id.example.org").keyType(KeyType.ED25519).build();
        assertThat(TlsServerCertificate.load(noEku.chain(), noEku.keyPair().getPrivate(), new MutableClock(Instant.now()))
                .certificate()).isEqualTo(noEku.certificate());
    }

    /** One refused load. */
    record LoadRow(String name, List<X509Certificate> chain, PrivateKey key, Reason reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LoadRow> refusedLoads() {
        Instant now = Instant.now();
        HeldCertificate root = HeldCertificate.builder().certificateAuthority(0).commonName("root").build();
        HeldCertificate leaf = HeldCertificate.builder().dnsName("localhost").commonName("leaf").signedBy(root).build();
        HeldCertificate clientOnly = HeldCertificate.builder().usages(WicUsage.CLIENT).build();
        HeldCertificate other = HeldCertificate.builder().certificateAuthority(0).build();
        HeldCertificate expired = HeldCertificate.builder().validityInterval(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))).build();
        HeldCertificate future = HeldCertificate.builder().validityInterval(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))).build();
        return Stream.of(
                new LoadRow("no certificate", List.of(), leaf.keyPair().getPrivate(), Reason.INVALID_KEY, "the certificate chain is empty"),
                new LoadRow("another key", leaf.chain(), KeyType.EC_P256.generate().getPrivate(), Reason.INVALID_KEY,
                        "the private key does not belong to the leaf certificate (CN=leaf)"),
                new LoadRow("the CA's key and certificate", root.chain(), root.keyPair().getPrivate(), Reason.INVALID_KEY,
                        "the leaf certificate is a CA (basicConstraints CA:true)"),
                new LoadRow("a client certificate", clientOnly.chain(), clientOnly.keyPair().getPrivate(), Reason.INVALID_KEY,
                        "the leaf certificate's extendedKeyUsage lacks serverAuth"),
                new LoadRow("the chain out of order", List.of(leaf.certificate(), other.certificate()), leaf.keyPair().getPrivate(),
                        Reason.INVALID_KEY, "certificate 2 of the chain did not issue certificate 1 (the chain is leaf first,"
                        + " each certificate followed by its issuer)"),
                new LoadRow("expired", expired.chain(), expired.keyPair().getPrivate(), Reason.CREDENTIALS_EXPIRED,
                        "the leaf certificate is not valid at "),
                new LoadRow("not yet valid", future.chain(), future.keyPair().getPrivate(), Reason.CREDENTIALS_EXPIRED,
                        "the leaf certificate is not valid at "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedLoads")
    void loadRefusesWhatAServerCannotPresent(LoadRow row) {
        assertThatThrownBy(() -> TlsServerCertificate.load(row.chain(), row.key(), new MutableClock(Instant.now())))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(row.reason());
                    assertThat(e.detail()).startsWith(row.detail());
                });
    }
}
