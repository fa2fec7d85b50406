package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WIC issuance from PKCS#10 requests: WIC-1..WIC-3, C2-3, MT-3, MT-7, ID-3, ID3-5, KEY-2. Every issued
 * certificate is parsed back with the JDK's {@link CertificateFactory}; refusals assert reason and detail.
 */
class WicIssuerRulesTest {
    static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
    static final TrustDomain TD = new TrustDomain("example.org");
    static final MutableClock CLOCK = new MutableClock(NOW);
    static final CertificateAuthority CA = CertificateAuthority.builder(TD).clock(CLOCK).build();
    static final WicIssuer ISSUER = WicIssuer.builder(CA).clock(CLOCK).build();
    static final WorkloadIdentifier ID = id("wimse://example.org/svc/a");
    static final KeyPair KEY = KeyType.EC_P256.generate();

    static WorkloadIdentifier id(String value) {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate reparse(X509Certificate c) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(c.getEncoded()));
    }

    static byte[] csr(String... dns) throws WimseException {
        return CertificateRequests.create(KEY, ID, List.of(dns));
    }

    @Test
    void WIC_1_theIdentifierIsTheOneUriSanAndEveryExtensionIsTheIssuers() throws Exception {
        IssuedWic wic = ISSUER.issue(csr("a.example.org"), WicGrant.builder(ID).dnsNames(List.of("a.example.org"))
                .usages(Set.of(WicUsage.CLIENT)).build());
        X509Certificate c = reparse(wic.certificate());
        assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(6, ID.value()), List.of(2, "a.example.org"));
        assertThat(c.getSubjectX500Principal().getName()).isEmpty();
        assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.17", "2.5.29.15", "2.5.29.19");
        assertThat(c.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.37", "2.5.29.14", "2.5.29.35");
        assertThat(c.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Arrays.copyOfRange(c.getExtensionValue("2.5.29.35"), 6, 26))
                .isEqualTo(Arrays.copyOfRange(CA.certificate().getExtensionValue("2.5.29.14"), 4, 24));
        assertThat(c.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
        assertThat(c.getPublicKey()).isEqualTo(KEY.getPublic());
        assertThat(c.getSerialNumber().signum()).isPositive();
        assertThat(c.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(ISSUER.issue(csr(), ID, Set.of(WicUsage.CLIENT)).certificate().getSerialNumber())
                .isNotEqualTo(c.getSerialNumber());
        assertThat(wic.identifier()).isEqualTo(ID);
        assertThat(wic.chain()).containsExactly(wic.certificate(), CA.certificate());
        assertThat(Pem.certificates(wic.chainPem())).containsExactly(wic.certificate(), CA.certificate());
        assertThat(wic.toString()).contains(ID.value());
    }

    @Test
    void MT_1_theIssuedChainValidatesUnderPkixWithTheCaAsTrustAnchor() throws Exception {
        IssuedWic wic = ISSUER.issue(csr(), ID, Set.of(WicUsage.CLIENT, WicUsage.SERVER));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(reparse(CA.certificate()), null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(reparse(wic.certificate()))), params);
        params.setDate(Date.from(wic.notAfter().plusSeconds(1)));
        assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX")
                .validate(cf.generateCertPath(List.of(wic.certificate())), params))
                .isInstanceOfSatisfying(java.security.cert.CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(java.security.cert.CertPathValidatorException.BasicReason.EXPIRED));
    }

    /** One issuance refusal: a CSR (or grant) and the reason and detail expected. */
    record Refusal(String name, Function<KeyPair, byte[]> csr, WicGrant grant, Reason reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Refusal row(String name, Function<Csrs, Csrs> csr, Reason reason, String detail) {
        return new Refusal(name, k -> csr.apply(Csrs.of(k)).der(), null, reason, detail);
    }

    static Stream<Refusal> WIC_2_refusals() {
        return Stream.of(
                row("WIC-2 two URI SANs", c -> c.uri(ID.value()).uri("wimse://example.org/svc/b"), Reason.INVALID_IDENTIFIER,
                        "the CSR requests 2 URI SANs; a WIC has exactly one, the workload identifier (WIC-2, C2-3)"),
                row("C2-3 another identifier", c -> c.uri("wimse://example.org/svc/b"), Reason.INVALID_IDENTIFIER,
                        "the CSR requests URI SAN wimse://example.org/svc/b, not the granted identifier " + ID),
                row("C2-3 a non-canonical spelling of the identifier", c -> c.uri("WIMSE://example.org/svc/a"),
                        Reason.INVALID_IDENTIFIER, "the CSR requests URI SAN WIMSE://example.org/svc/a, not the granted identifier " + ID),
                row("WIC-3 a DNS name not granted", c -> c.uri(ID.value()).dns("b.example.org"), Reason.INVALID_CLAIM,
                        "the CSR requests DNS name b.example.org, which is not granted (WIC-3)"),
                row("WIC-3 an IP address SAN", c -> c.ip("10.0.0.1"), Reason.INVALID_CLAIM,
                        "the CSR requests a subjectAltName of type iPAddress; only the identifier URI and DNS names are issued (WIC-1, WIC-3)"),
                row("WIC-3 an email SAN", c -> c.email("a@example.org"), Reason.INVALID_CLAIM,
                        "the CSR requests a subjectAltName of type rfc822Name (email); only the identifier URI and DNS names are issued (WIC-1, WIC-3)"),
                row("basicConstraints CA:true", Csrs::caTrue, Reason.INVALID_CLAIM,
                        "the CSR requests extension basicConstraints (2.5.29.19); the issuer sets every extension and accepts only a subjectAltName request"),
                row("keyUsage keyCertSign", Csrs::keyCertSign, Reason.INVALID_CLAIM,
                        "the CSR requests extension keyUsage (2.5.29.15); the issuer sets every extension and accepts only a subjectAltName request"),
                row("EKU codeSigning beside the SAN", c -> c.uri(ID.value()).codeSigning(), Reason.INVALID_CLAIM,
                        "the CSR requests extension extendedKeyUsage (2.5.29.37); the issuer sets every extension and accepts only a subjectAltName request"),
                row("an unknown extension", c -> c.extension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.3.4"), true,
                        org.bouncycastle.asn1.DERNull.INSTANCE), Reason.INVALID_CLAIM,
                        "the CSR requests extension 1.2.3.4; the issuer sets every extension and accepts only a subjectAltName request"),
                row("a challengePassword attribute", Csrs::challengePassword, Reason.INVALID_CLAIM,
                        "the CSR carries attribute challengePassword; only extensionRequest is accepted"),
                new Refusal("KEY-2 a CSR for the CA's own key", k -> {
                    try {
                        return CertificateRequests.create(new KeyPair(CA.certificate().getPublicKey(), CA.privateKey()), ID, List.of());
                    } catch (WimseException e) {
                        throw new IllegalStateException(e);
                    }
                }, null, Reason.INVALID_KEY, "the CSR's key is the CA's own key (KEY-2)"),
                new Refusal("a bad signature", k -> {
                    byte[] der = Csrs.of(k).der();
                    der[der.length - 5] ^= 1;
                    return der;
                }, null, Reason.INVALID_KEY, "the CSR's signature does not verify with its own key (no proof of possession)"),
                new Refusal("trailing bytes", k -> {
                    byte[] der = Csrs.of(k).der(); // one CSR: an ECDSA signature's DER length varies
                    return Arrays.copyOf(der, der.length + 1);
                }, null,
                        Reason.INVALID_KEY, "the CSR is not a DER PKCS#10 request"),
                new Refusal("not DER at all", k -> "hello".getBytes(StandardCharsets.US_ASCII), null, Reason.INVALID_KEY,
                        "the CSR is not a DER PKCS#10 request"),
                new Refusal("PEM with trailing text", k -> (Pem.encodeCertificationRequest(Csrs.of(k).der()) + "junk")
                        .getBytes(StandardCharsets.US_ASCII), null, Reason.INVALID_KEY,
                        "the CSR is not a PEM CERTIFICATE REQUEST: line 8 is outside any PEM block (no text or trailing data is allowed)"),
                new Refusal("empty", k -> new byte[0], null, Reason.INVALID_KEY, "the CSR is empty"),
                new Refusal("over 64 KiB", k -> new byte[64 * 1024 + 1], null, Reason.INVALID_KEY,
                        "the CSR has 65537 bytes, more than 65536"),
                new Refusal("ID-3 an identifier of another trust domain", k -> Csrs.of(k).der(),
                        WicGrant.of(id("wimse://other.org/svc/a"), Set.of(WicUsage.CLIENT)), Reason.UNTRUSTED_TRUST_DOMAIN,
                        "identifier wimse://other.org/svc/a is not in trust domain example.org of this CA"),
                new Refusal("MT-7 a lifetime over the maximum", k -> Csrs.of(k).der(),
                        WicGrant.of(ID, Set.of(WicUsage.CLIENT)).withLifetime(Duration.ofHours(24).plusSeconds(1)),
                        Reason.LIFETIME_TOO_LONG, "a WIC lifetime of PT24H1S exceeds the maximum PT24H"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("WIC_2_refusals")
    void WIC_2_aCsrAsksForNothingButTheGrantedNamesAndKey(Refusal row) {
        WicGrant grant = row.grant() != null ? row.grant() : WicGrant.of(ID, Set.of(WicUsage.CLIENT));
        byte[] csr = row.csr().apply(KeyType.EC_P256.generate());
        assertThatThrownBy(() -> ISSUER.issue(csr, grant))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(row.reason());
                    assertThat(e.detail()).isEqualTo(row.detail());
                });
    }

    @Test
    void C2_3_exactlyOneIdentifierEvenWhenTheCsrAsksForNone() throws Exception {
        X509Certificate c = ISSUER.issue(Csrs.of(KEY).der(), ID, Set.of(WicUsage.SERVER)).certificate();
        assertThat(reparse(c).getSubjectAlternativeNames()).containsExactly(List.of(6, ID.value()));
        X509Certificate pem = ISSUER.issue(CertificateRequests.createPem(KEY, ID, List.of()).getBytes(StandardCharsets.US_ASCII),
                ID, Set.of(WicUsage.SERVER)).certificate();
        assertThat(pem.getSubjectAlternativeNames()).containsExactly(List.of(6, ID.value()));
    }

    @Test
    void ID3_5_anIpTrustDomainIsNeverCertified() throws Exception {
        TrustDomain ipDomain = TrustDomain.parse("10.0.0.1", IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        WicIssuer ipIssuer = WicIssuer.builder(CertificateAuthority.builder(ipDomain).clock(CLOCK).build()).clock(CLOCK).build();
        WorkloadIdentifier ipId = WorkloadIdentifier.parse("wimse://10.0.0.1/svc", IdentifierSyntax.LEGACY_IP_TRUST_DOMAINS);
        assertThatThrownBy(() -> ipIssuer.issue(Csrs.of(KEY).der(), ipId, Set.of(WicUsage.CLIENT)))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_IDENTIFIER);
                    assertThat(e.detail()).contains("ID3-5");
                });
    }

    /** One MT-3 row: the usages granted and the EKU key purposes expected. */
    record UsageRow(Set<WicUsage> usages, List<String> oids) {
    }

    static Stream<UsageRow> usages() {
        return Stream.of(new UsageRow(Set.of(WicUsage.CLIENT), List.of("1.3.6.1.5.5.7.3.2")),
                new UsageRow(Set.of(WicUsage.SERVER), List.of("1.3.6.1.5.5.7.3.1")),
                new UsageRow(Set.of(WicUsage.CLIENT, WicUsage.SERVER), List.of("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1")));
    }

    @ParameterizedTest(name = "MT-3 {0}")
    @MethodSource("usages")
    void MT_3_theEkuFollowsTheUsages(UsageRow row) throws Exception {
        IssuedWic wic = ISSUER.issue(csr(), ID, row.usages());
        assertThat(reparse(wic.certificate()).getExtendedKeyUsage()).containsExactlyInAnyOrderElementsOf(row.oids());
        assertThat(wic.usages()).isEqualTo(row.usages());
    }

    @Test
    void MT_7_lifetimesAreShortBackdatedAndNeverBeyondTheCa() throws Exception {
        IssuedWic wic = ISSUER.issue(csr(), ID, Set.of(WicUsage.CLIENT));
        assertThat(wic.notBefore()).isEqualTo(NOW.minus(WicIssuer.DEFAULT_BACKDATE));
        assertThat(wic.notAfter()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        WicGrant day = WicGrant.builder(ID).usages(Set.of(WicUsage.CLIENT)).lifetime(Duration.ofHours(24)).build();
        assertThat(ISSUER.issue(csr(), day).notAfter()).isEqualTo(NOW.plus(Duration.ofHours(24)));

        MutableClock late = new MutableClock(CA.notAfter().minus(Duration.ofMinutes(10)));
        WicIssuer lateIssuer = WicIssuer.builder(CA).clock(late).build();
        assertThat(lateIssuer.issue(csr(), ID, Set.of(WicUsage.CLIENT)).notAfter()).isEqualTo(CA.notAfter());
        late.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> lateIssuer.issue(csr(), ID, Set.of(WicUsage.CLIENT)))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED);
                    assertThat(e.detail()).startsWith("the CA certificate is not valid at ");
                });
        MutableClock early = new MutableClock(CA.notBefore());
        assertThat(WicIssuer.builder(CA).clock(early).build().issue(csr(), ID, Set.of(WicUsage.CLIENT)).notBefore())
                .isEqualTo(CA.notBefore());
    }

    /** One builder contradiction. */
    record BuilderRow(String name, Function<WicIssuer.Builder, WicIssuer.Builder> settings, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BuilderRow> contradictions() {
        return Stream.of(
                new BuilderRow("zero lifetime", b -> b.defaultLifetime(Duration.ZERO), "WIC lifetimes must be positive"),
                new BuilderRow("maximum over 30 days", b -> b.maxLifetime(Duration.ofDays(31)),
                        "the maximum WIC lifetime PT744H exceeds PT720H"),
                new BuilderRow("default over maximum", b -> b.defaultLifetime(Duration.ofHours(2)).maxLifetime(Duration.ofHours(1)),
                        "the default WIC lifetime PT2H exceeds the maximum PT1H"),
                new BuilderRow("negative backdate", b -> b.backdate(Duration.ofSeconds(-1)), "backdate must be within 0..PT10M, was PT-1S"),
                new BuilderRow("backdate over 10 min", b -> b.backdate(Duration.ofMinutes(11)), "backdate must be within 0..PT10M, was PT11M"));
    }

    @ParameterizedTest(name = "MT-7 builder: {0}")
    @MethodSource("contradictions")
    void MT_7_theBuilderRefusesContradictoryLifetimes(BuilderRow row) {
        assertThatThrownBy(() -> row.settings().apply(WicIssuer.builder(CA)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(row.message());
    }

    @Test
    void WIC_3_grantedDnsNamesAreValidated() {
        for (String[] bad : new String[][]{{"A.example.org", "may hold only lower-case letters, digits, '-' and '.'"},
                {"*.example.org", "may hold only lower-case letters, digits, '-' and '.'"},
                {"example.org.", "has an empty label or one longer than 63 characters"},
                {"-a.example.org", "has a label starting or ending with '-'"},
                {"10.0.0.1", "ends in an all-digit label (an IP address is not a DNS name)"}}) {
            assertThatThrownBy(() -> WicGrant.builder(ID).usages(Set.of(WicUsage.SERVER)).dnsNames(List.of(bad[0])).build())
                    .as(bad[0]).isInstanceOfSatisfying(WimseException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
                        assertThat(e.detail()).isEqualTo("DNS name " + bad[0] + " " + bad[1]);
                    });
        }
    }

    @Test
    void KEY_2_everyKeyTypeIsCertifiedWithTheCsrsKey() throws Exception {
        for (KeyType type : KeyType.values()) {
            KeyPair k = type.generate();
            CertificateAuthority ca = CertificateAuthority.builder(TD).keyType(type).clock(CLOCK).build();
            IssuedWic wic = WicIssuer.builder(ca).clock(CLOCK).build()
                    .issue(CertificateRequests.create(k, ID, List.of()), ID, Set.of(WicUsage.CLIENT));
            assertThat(wic.certificate().getPublicKey()).as(type.name()).isEqualTo(k.getPublic());
            wic.certificate().verify(ca.certificate().getPublicKey());
        }
    }
}
