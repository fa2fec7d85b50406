package io.wimse4j.x509;

import org.junit.jupiter.api.Test;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test kit builds what validator tests need: WIC-2 (zero or several URI SANs), MT-3 EKUs, validity windows. */
class HeldCertificateTest {
    static final HeldCertificate ROOT = HeldCertificate.builder().certificateAuthority(1).build();
    static final HeldCertificate INTERMEDIATE = HeldCertificate.builder().certificateAuthority(0).signedBy(ROOT).build();

    @Test
    void WIC_2_leavesWithZeroOneOrSeveralUriSans() throws Exception {
        assertThat(HeldCertificate.builder().signedBy(ROOT).build().certificate().getSubjectAlternativeNames()).isNull();
        X509Certificate two = HeldCertificate.builder().uri("wimse://example.org/a").uri("wimse://example.org/b")
                .dnsName("a.example.org").ipAddress("127.0.0.1").signedBy(ROOT).build().certificate();
        assertThat(two.getSubjectAlternativeNames()).containsExactly(List.of(6, "wimse://example.org/a"),
                List.of(6, "wimse://example.org/b"), List.of(2, "a.example.org"), List.of(7, "127.0.0.1"));
    }

    @Test
    void MT_3_usagesBecomeEkusAndCasGetCaExtensions() throws Exception {
        X509Certificate leaf = HeldCertificate.builder().usages(WicUsage.SERVER, WicUsage.CLIENT).signedBy(INTERMEDIATE)
                .keyType(KeyType.ED25519).build().certificate();
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder(WicUsage.SERVER.oid(), WicUsage.CLIENT.oid());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).isTrue();
        assertThat(INTERMEDIATE.certificate().getBasicConstraints()).isZero();
        assertThat(ROOT.certificate().getBasicConstraints()).isEqualTo(1);
        assertThat(INTERMEDIATE.certificate().getKeyUsage()[5]).isTrue();
        assertThat(HeldCertificate.builder().build().certificate().getExtendedKeyUsage()).isNull();
    }

    @Test
    void MT_1_aThreeLevelChainValidatesUnderPkix() throws Exception {
        HeldCertificate leaf = HeldCertificate.builder().uri("wimse://example.org/a").usages(WicUsage.CLIENT)
                .signedBy(INTERMEDIATE).build();
        assertThat(leaf.chain()).containsExactly(leaf.certificate(), INTERMEDIATE.certificate(), ROOT.certificate());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ROOT.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(leaf.chain().subList(0, 2)), params);
        assertThat(Pem.certificates(leaf.chainPem())).containsExactlyElementsOf(leaf.chain());
        assertThat(Pem.privateKey(leaf.privateKeyPem()).getEncoded()).isEqualTo(leaf.keyPair().getPrivate().getEncoded());
    }

    @Test
    void MT_7_expiredAndNotYetValidWindows() {
        Instant now = Instant.now();
        X509Certificate expired = HeldCertificate.builder().validityInterval(now.minusSeconds(7200), now.minusSeconds(3600))
                .signedBy(ROOT).build().certificate();
        assertThatThrownBy(expired::checkValidity).isInstanceOf(CertificateExpiredException.class);
        X509Certificate future = HeldCertificate.builder().validityInterval(now.plusSeconds(3600), now.plusSeconds(7200))
                .signedBy(ROOT).build().certificate();
        assertThatThrownBy(future::checkValidity).isInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void KEY_1_toStringNeverShowsTheKey() {
        HeldCertificate held = HeldCertificate.builder().commonName("svc").build();
        assertThat(held.toString()).isEqualTo("HeldCertificate[CN=svc, CA false]");
    }
}
