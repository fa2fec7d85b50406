package io.wimse4j.x509;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Certificates for the validator's tests, built field by field so each rule can be broken alone. */
final class TestCerts {
    private TestCerts() {
    }

    /** A key pair and its certificate. */
    record Held(KeyPair keys, X509Certificate certificate) {
    }

    static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One certificate's fields; {@link #sign} makes it. */
    static final class Spec {
        String subject = "CN=workload";
        Instant notBefore = Instant.parse("2025-12-31T00:00:00Z");
        Instant notAfter = Instant.parse("2026-01-02T00:00:00Z");
        final List<String> uris = new ArrayList<>();
        final List<String> dns = new ArrayList<>();
        boolean ca;
        List<KeyPurposeId> eku = new ArrayList<>(List.of(KeyPurposeId.id_kp_clientAuth));
        int keyUsage = KeyUsage.digitalSignature;

        Spec uri(String u) {
            uris.add(u);
            return this;
        }

        Spec dns(String d) {
            dns.add(d);
            return this;
        }

        Spec valid(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        Spec eku(KeyPurposeId... ids) {
            eku = new ArrayList<>(List.of(ids));
            return this;
        }

        Spec noEku() {
            eku = null;
            return this;
        }

        Spec keyUsage(int bits) {
            keyUsage = bits;
            return this;
        }

        Spec asCa(String name) {
            subject = "CN=" + name;
            ca = true;
            eku = null;
            keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            return this;
        }

        /** Signs the certificate for {@code keys} with {@code issuer} (null: self-signed). */
        Held sign(KeyPair keys, Held issuer) {
            try {
                X500Name issuerName = new X500Name(issuer == null ? subject : issuer.certificate().getSubjectX500Principal().getName());
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(System.nanoTime()),
                        Date.from(notBefore), Date.from(notAfter), new X500Name(subject), keys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                if (keyUsage != 0) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (eku != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(KeyPurposeId[]::new)));
                }
                List<GeneralName> names = new ArrayList<>();
                uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
                dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
                if (!names.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
                }
                KeyPair signer = issuer == null ? keys : issuer.keys();
                X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
                return new Held(keys, c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Spec spec() {
        return new Spec();
    }

    static Held ca(String name) {
        return new Spec().asCa(name).valid(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"))
                .sign(ecKey(), null);
    }
}
