package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trust domain's CA (ID-3): its certificate's extensions, loading an existing one, and the refusals. */
class CertificateAuthorityTest {
    static final TrustDomain TD = new TrustDomain("example.org");
    static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyType.class)
    void ID_3_aGeneratedCaIsASelfSignedAnchorWithPathLenZero(KeyType type) throws Exception {
        CertificateAuthority ca = CertificateAuthority.builder(TD).keyType(type).clock(new MutableClock(NOW)).build();
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(ca.certificate().getEncoded()));
        c.verify(c.getPublicKey());
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=example.org workload CA,O=wimse4j");
        assertThat(c.getBasicConstraints()).isZero();
        assertThat(c.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(c.getNonCriticalExtensionOIDs()).containsExactly("2.5.29.14");
        assertThat(c.getSubjectAlternativeNames()).isNull();
        assertThat(ca.notBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
        assertThat(ca.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(ca.toString()).doesNotContain(Pem.encodePrivateKey(ca.privateKey()).substring(30, 60));
        CertificateAuthority loaded = CertificateAuthority.load(TD, Pem.certificate(ca.certificatePem()),
                Pem.privateKey(Pem.encodePrivateKey(ca.privateKey())));
        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    }

    @Test
    void aLongTrustDomainKeepsTheCommonNameWithin64Characters() {
        CertificateAuthority ca = CertificateAuthority.builder(new TrustDomain("a".repeat(60) + ".org")).build();
        assertThat(ca.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=workload CA,O=wimse4j");
    }

    /** One refused load. */
    record LoadRow(String name, Supplier<HeldCertificate> cert, boolean otherKey, Reason reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LoadRow> loads() {
        return Stream.of(
                new LoadRow("not a CA", () -> HeldCertificate.builder().build(), false, Reason.INVALID_KEY,
                        "the certificate is not a CA (basicConstraints CA:false or absent)"),
                new LoadRow("another key", () -> HeldCertificate.builder().certificateAuthority(0).build(), true, Reason.INVALID_KEY,
                        "the private key does not belong to the CA certificate"),
                new LoadRow("ID-3 a URI SAN of another trust domain",
                        () -> HeldCertificate.builder().certificateAuthority(0).uri("spiffe://other.org").build(), false,
                        Reason.UNTRUSTED_TRUST_DOMAIN, "the CA certificate's URI SAN spiffe://other.org names trust domain other.org, not example.org"),
                new LoadRow("ID-3 a URI SAN of no trust domain",
                        () -> HeldCertificate.builder().certificateAuthority(0).uri("https://example.org").build(), false,
                        Reason.UNTRUSTED_TRUST_DOMAIN, "the CA certificate's URI SAN https://example.org names no trust domain, not example.org"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loads")
    void ID_3_loadRefusesWhatCannotBeThisTrustDomainsCa(LoadRow row) {
        HeldCertificate held = row.cert().get();
        java.security.PrivateKey key = row.otherKey() ? KeyType.EC_P256.generate().getPrivate() : held.keyPair().getPrivate();
        assertThatThrownBy(() -> CertificateAuthority.load(TD, held.certificate(), key))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(row.reason());
                    assertThat(e.detail()).isEqualTo(row.detail());
                });
    }

    @Test
    void ID_3_aCaWithItsOwnTrustDomainAsUriSanLoads() throws Exception {
        HeldCertificate held = HeldCertificate.builder().certificateAuthority(0).uri("spiffe://example.org").build();
        assertThat(held.asCertificateAuthority(TD).trustDomain()).isEqualTo(TD);
    }

    @Test
    void theValidityIsBounded() {
        assertThatThrownBy(() -> CertificateAuthority.builder(TD).validity(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("CA validity must be positive and at most 7305 days, was PT0S");
        assertThatThrownBy(() -> CertificateAuthority.builder(TD).validity(Duration.ofDays(7306)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("CA validity must be positive and at most 7305 days");
    }
}
