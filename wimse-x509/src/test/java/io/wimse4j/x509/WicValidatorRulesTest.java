package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.testkit.Fixture;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The validation of a peer's Workload Identity Certificate (WIC-1..WIC-4, C2-3, MT-1, MT-3, ID3-2):
 * one row per rule broken alone, each refused with its {@link Reason} and a detail fragment. The clock
 * is {@link Fixture#NOW}; trust: a CA for {@code example.org} and one for {@code other.org}.
 */
class WicValidatorRulesTest {
    static final TestCerts.Held EXAMPLE_CA = TestCerts.ca("example.org CA");
    static final TestCerts.Held OTHER_CA = TestCerts.ca("other.org CA");
    static final TrustDomain EXAMPLE = new TrustDomain("example.org");
    static final TrustDomain OTHER = new TrustDomain("other.org");
    static final String ID = "wimse://example.org/svc/orders";

    static X509TrustSource trust() {
        try {
            return X509TrustSource.of(X509TrustBundle.of(EXAMPLE, List.of(EXAMPLE_CA.certificate())),
                    X509TrustBundle.of(OTHER, List.of(OTHER_CA.certificate())));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    static WicValidator.Builder clients() {
        return WicValidator.builder().trust(trust()).clock(Fixture.fixedClock()).forClients();
    }

    /** A good client WIC of {@link #ID}, signed by the example.org CA: each row changes one thing. */
    static TestCerts.Spec good() {
        return TestCerts.spec().uri(ID);
    }

    static List<X509Certificate> chain(TestCerts.Spec spec) {
        return List.of(spec.sign(TestCerts.ecKey(), EXAMPLE_CA).certificate());
    }

    record Row(String name, Function<TestCerts.Spec, List<X509Certificate>> chain, UnaryOperator<TestCerts.Spec> change,
               UnaryOperator<WicValidator.Builder> config, Reason reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row refused(String name, UnaryOperator<TestCerts.Spec> change, Reason reason, String detail) {
        return new Row(name, WicValidatorRulesTest::chain, change, b -> b, reason, detail);
    }

    static Stream<Row> refusals() {
        return Stream.of(
                refused("WIC-2 two URI SANs → INVALID_CERTIFICATE", s -> s.uri("wimse://example.org/svc/other"),
                        Reason.INVALID_CERTIFICATE, "2 URI SANs"),
                new Row("WIC-1 no URI SAN (a DNS name only) → INVALID_CERTIFICATE",
                        s -> chain(TestCerts.spec().dns("orders.example.org")), s -> s, b -> b,
                        Reason.INVALID_CERTIFICATE, "0 URI SANs"),
                new Row("ID3-2 a non-canonical URI SAN (upper-case trust domain) → INVALID_IDENTIFIER, never normalized",
                        s -> chain(TestCerts.spec().uri("wimse://Example.org/svc/orders")), s -> s, b -> b,
                        Reason.INVALID_IDENTIFIER, "invalid workload identifier"),
                new Row("MT-1 a leaf naming other.org signed by example.org's CA → UNKNOWN_KEY",
                        s -> chain(TestCerts.spec().uri("wimse://other.org/svc/orders")), s -> s, b -> b,
                        Reason.UNKNOWN_KEY, "does not lead to the anchors of trust domain other.org"),
                new Row("MT-1 a leaf naming example.org signed by other.org's CA → UNKNOWN_KEY",
                        s -> List.of(good().sign(TestCerts.ecKey(), OTHER_CA).certificate()), s -> s, b -> b,
                        Reason.UNKNOWN_KEY, "anchors of trust domain example.org"),
                new Row("MT-1 a trust domain without X.509 anchors → UNTRUSTED_TRUST_DOMAIN",
                        s -> chain(TestCerts.spec().uri("wimse://third.example/svc")), s -> s, b -> b,
                        Reason.UNTRUSTED_TRUST_DOMAIN, "no X.509 trust anchors for trust domain third.example"),
                new Row("MT-1 a trusted trust domain other than the expected one → UNTRUSTED_TRUST_DOMAIN",
                        WicValidatorRulesTest::chain, s -> s, b -> b.expectTrustDomain(OTHER),
                        Reason.UNTRUSTED_TRUST_DOMAIN, "not the one expected"),
                refused("MT-3 a client certificate without clientAuth (serverAuth only) → INVALID_CERTIFICATE",
                        s -> s.eku(KeyPurposeId.id_kp_serverAuth), Reason.INVALID_CERTIFICATE, "no extended key usage clientAuth"),
                refused("MT-3 no extended key usage at all → INVALID_CERTIFICATE", TestCerts.Spec::noEku,
                        Reason.INVALID_CERTIFICATE, "no extended key usage clientAuth"),
                new Row("MT-3 a server certificate without serverAuth (clientAuth only) → INVALID_CERTIFICATE",
                        WicValidatorRulesTest::chain, s -> s, b -> b.forServers(), Reason.INVALID_CERTIFICATE,
                        "no extended key usage serverAuth"),
                refused("WIC-1 key usage without digitalSignature → INVALID_CERTIFICATE", s -> s.keyUsage(KeyUsage.keyAgreement),
                        Reason.INVALID_CERTIFICATE, "lacks digitalSignature"),
                refused("WIC-1 a CA certificate as the leaf → INVALID_CERTIFICATE", s -> s.asCa("rogue").uri(ID),
                        Reason.INVALID_CERTIFICATE, "is a CA certificate"),
                refused("MT-7 an expired leaf → EXPIRED", s -> s.valid(Instant.parse("2025-12-30T00:00:00Z"), Instant.parse("2025-12-31T23:59:59Z")),
                        Reason.EXPIRED, "expired at 2025-12-31T23:59:59Z"),
                refused("MT-7 a leaf not yet valid → NOT_YET_VALID", s -> s.valid(Instant.parse("2026-01-01T00:00:01Z"), Instant.parse("2026-01-02T00:00:00Z")),
                        Reason.NOT_YET_VALID, "valid from 2026-01-01T00:00:01Z"),
                new Row("MT-1 a leaf whose signature was altered → BAD_SIGNATURE",
                        s -> List.of(tamper(chain(good()).get(0))), s -> s, b -> b, Reason.BAD_SIGNATURE, "does not verify"),
                new Row("WIC-1 no certificate at all → INVALID_CERTIFICATE", s -> List.of(), s -> s, b -> b,
                        Reason.INVALID_CERTIFICATE, "presented no certificate"),
                new Row("WIC-1 a chain of six certificates → INVALID_CERTIFICATE",
                        s -> Collections.nCopies(6, chain(good()).get(0)), s -> s, b -> b, Reason.INVALID_CERTIFICATE, "more than 5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void MT_1_eachBrokenRuleRefusesThePeerWithItsReason(Row row) {
        WicValidator v = row.config().apply(clients()).build();
        List<X509Certificate> chain = row.chain().apply(row.change().apply(good()));
        assertThatThrownBy(() -> v.validate(chain)).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).as("reason (detail: %s)", e.detail()).isEqualTo(row.reason());
            assertThat(e.detail()).contains(row.detail());
        });
    }

    /** The certificate's DER with one bit of its signature flipped (the last byte is inside the signature). */
    static X509Certificate tamper(X509Certificate c) {
        try {
            byte[] der = c.getEncoded();
            der[der.length - 1] ^= 1;
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void WIC_4_theAcceptedPeerIsTheIdentifierOfItsOneUriSan() throws WimseException {
        List<X509Certificate> chain = chain(good().dns("orders.example.org"));
        VerifiedWic wic = clients().build().validate(chain);
        assertThat(wic.identifier().value()).isEqualTo(ID);
        assertThat(wic.trustDomain()).isEqualTo(EXAMPLE);
        assertThat(wic.dnsNames()).containsExactly("orders.example.org");
        assertThat(wic.leaf()).isSameAs(chain.get(0));
        assertThat(wic.notAfter()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(wic.toString()).isEqualTo("VerifiedWic[" + ID + "]");
    }

    @Test
    void MT_3_aServerCertificateWithServerAuthIsAcceptedForServersAndRefusedForClients() throws WimseException {
        List<X509Certificate> chain = chain(good().eku(KeyPurposeId.id_kp_serverAuth));
        assertThat(WicValidator.builder().trust(trust()).clock(Fixture.fixedClock()).forServers().build().validate(chain)
                .identifier().value()).isEqualTo(ID);
        assertThatThrownBy(() -> clients().build().validate(chain)).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CERTIFICATE));
        List<X509Certificate> both = chain(good().eku(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth));
        assertThat(clients().build().validate(both).identifier().value()).as("MT-3: both usages allowed").isEqualTo(ID);
    }

    @Test
    void MT_1_aChainThatIncludesItsAnchorOrAnIntermediateIsValidated() throws WimseException {
        List<X509Certificate> withAnchor = new ArrayList<>(chain(good()));
        withAnchor.add(EXAMPLE_CA.certificate());
        assertThat(clients().build().validate(withAnchor).identifier().value()).isEqualTo(ID);
        // an intermediate CA of example.org (the anchor's pathLen is unlimited here)
        TestCerts.Held intermediate = TestCerts.spec().asCa("example.org intermediate")
                .valid(Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z")).sign(TestCerts.ecKey(), EXAMPLE_CA);
        X509Certificate leaf = good().sign(TestCerts.ecKey(), intermediate).certificate();
        assertThat(clients().build().validate(List.of(leaf, intermediate.certificate())).identifier().value()).isEqualTo(ID);
        assertThatThrownBy(() -> clients().build().validate(List.of(leaf))).as("without its intermediate")
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    @Test
    void MT_1_theBuilderNeedsTrustAndARole() {
        assertThatThrownBy(() -> WicValidator.builder().forClients().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trust");
        assertThatThrownBy(() -> WicValidator.builder().trust(trust()).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MT-3");
    }

    @Test
    void ID_3_anX509TrustBundleHoldsCaCertificatesOfOneTrustDomainOnly() throws Exception {
        X509Certificate leaf = chain(good()).get(0);
        assertThatThrownBy(() -> X509TrustBundle.of(EXAMPLE, List.of(leaf))).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.detail()).contains("is not a CA certificate"));
        assertThatThrownBy(() -> X509TrustBundle.of(EXAMPLE, List.of())).isInstanceOf(WimseException.class);
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(EXAMPLE_CA.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        assertThat(X509TrustBundle.fromPem(EXAMPLE, pem).anchors()).containsExactly(EXAMPLE_CA.certificate());
        assertThatThrownBy(() -> X509TrustBundle.fromPem(EXAMPLE, pem + "garbage")).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.detail()).contains("outside any PEM block"));
        assertThatThrownBy(() -> X509TrustBundle.fromPem(EXAMPLE, pem.replace("-----END CERTIFICATE-----", "")))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.detail()).contains("the X.509 trust bundle of example.org: "));
        assertThatThrownBy(() -> X509TrustSource.of(X509TrustBundle.of(EXAMPLE, List.of(EXAMPLE_CA.certificate())),
                X509TrustBundle.of(EXAMPLE, List.of(OTHER_CA.certificate())))).isInstanceOf(IllegalArgumentException.class);
    }
}
