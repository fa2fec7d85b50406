package io.wimse4j.x509;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.x509.internal.X509Support;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * <strong>For tests and development only</strong>: a key pair and a certificate built in code, modelled
 * on OkHttp's {@code okhttp-tls} {@code HeldCertificate}, so that tests need no checked-in DER or PEM
 * files. It builds CA and leaf certificates, well-formed or deliberately not: zero, one or several URI
 * SANs (to test WIC-2 and C2-3 refusals), DNS and IP SANs (WIC-3), EKUs (MT-3), any validity window
 * (expired, not yet valid), CA or not, any {@link KeyType}, extra extensions. Nothing is validated:
 * production certificates come from {@link WicIssuer}.
 *
 * <pre>{@code
 * HeldCertificate ca = HeldCertificate.builder().certificateAuthority(0).build();
 * HeldCertificate leaf = HeldCertificate.builder()
 *         .uri("wimse://example.org/svc/a").usages(WicUsage.CLIENT).signedBy(ca).build();
 * }</pre>
 */
public final class HeldCertificate {
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;

    private HeldCertificate(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> chain) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.chain = chain;
    }

    /** A builder; by default a self-signed P-256 leaf valid from a minute ago for 24 hours, no SAN, no EKU. */
    public static Builder builder() {
        return new Builder();
    }

    /** The key pair; the private key is the certificate's. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** This certificate followed by its issuer's chain (for a self-signed one, just this certificate). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The certificate as PEM. */
    public String certificatePem() {
        return Pem.encodeCertificates(List.of(certificate));
    }

    /** {@link #chain()} as PEM, this certificate first. */
    public String chainPem() {
        return Pem.encodeCertificates(chain);
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
        return Pem.encodePrivateKey(keyPair.getPrivate());
    }

    /** This certificate and key as the CA of {@code trustDomain}, with the checks of {@link CertificateAuthority#load}. */
    public CertificateAuthority asCertificateAuthority(TrustDomain trustDomain) throws WimseException {
        return CertificateAuthority.load(trustDomain, certificate, keyPair.getPrivate());
    }

    /** The subject and whether it is a CA; never the key. */
    @Override
    public String toString() {
        return "HeldCertificate[" + certificate.getSubjectX500Principal().getName() + ", CA "
                + (certificate.getBasicConstraints() >= 0) + "]";
    }

    /** Builds a {@link HeldCertificate}; refuses nothing a certificate can encode. */
    public static final class Builder {
        private record Ext(String oid, boolean critical, byte[] value) {
        }

        private Clock clock = Clock.systemUTC();
        private Instant notBefore;
        private Instant notAfter;
        private Duration duration = Duration.ofHours(24);
        private String commonName;
        private final List<String> uris = new ArrayList<>();
        private final List<String> dnsNames = new ArrayList<>();
        private final List<String> ipAddresses = new ArrayList<>();
        private final Set<WicUsage> usages = EnumSet.noneOf(WicUsage.class);
        private final List<Ext> extensions = new ArrayList<>();
        private int pathLen = -1;
        private KeyType keyType = KeyType.EC_P256;
        private KeyPair keyPair;
        private HeldCertificate issuer;
        private BigInteger serial;

        private Builder() {
        }

        /** The clock for the default validity; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** An exact validity window, e.g. in the past (expired) or the future (not yet valid). */
        public Builder validityInterval(Instant notBefore, Instant notAfter) {
            this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
            this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
            return this;
        }

        /** Valid from a minute before the clock's now for {@code duration}; 24 hours by default. */
        public Builder duration(Duration duration) {
            this.duration = Objects.requireNonNull(duration, "duration");
            this.notBefore = null;
            this.notAfter = null;
            return this;
        }

        /** The subject's common name; a random one by default (distinct names keep chains unambiguous). */
        public Builder commonName(String commonName) {
            this.commonName = Objects.requireNonNull(commonName, "commonName");
            return this;
        }

        /** Adds a URI SAN, taken as given (not validated: a test may want a bad one). Call again for several. */
        public Builder uri(String uri) {
            uris.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /** Adds a DNS SAN, taken as given. */
        public Builder dnsName(String dnsName) {
            dnsNames.add(Objects.requireNonNull(dnsName, "dnsName"));
            return this;
        }

        /** Adds an IP address SAN ({@code 127.0.0.1}, {@code ::1}). */
        public Builder ipAddress(String ipAddress) {
            ipAddresses.add(Objects.requireNonNull(ipAddress, "ipAddress"));
            return this;
        }

        /** The EKUs (MT-3); none (no extendedKeyUsage extension) by default. */
        public Builder usages(WicUsage... usages) {
            this.usages.clear();
            this.usages.addAll(List.of(usages));
            return this;
        }

        /** Makes a CA (basicConstraints CA:true with this pathLen, keyUsage keyCertSign and cRLSign). */
        public Builder certificateAuthority(int maxIntermediateCas) {
            if (maxIntermediateCas < 0) {
                throw new IllegalArgumentException("maxIntermediateCas must be >= 0");
            }
            this.pathLen = maxIntermediateCas;
            return this;
        }

        /** The key type of a generated key; {@link KeyType#EC_P256} by default. */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** Certify this key pair instead of a generated one. */
        public Builder keyPair(KeyPair keyPair) {
            this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
            return this;
        }

        /** The issuer; self-signed without one. */
        public Builder signedBy(HeldCertificate issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** The serial number; a random 128-bit one by default. */
        public Builder serialNumber(BigInteger serial) {
            this.serial = Objects.requireNonNull(serial, "serial");
            return this;
        }

        /** Adds an extension given by its OID and DER value, e.g. an unknown critical one. */
        public Builder extension(String oid, boolean critical, byte[] derValue) {
            extensions.add(new Ext(oid, critical, derValue.clone()));
            return this;
        }

        /** Generates what is missing and signs the certificate. */
        public HeldCertificate build() {
            KeyPair keys = keyPair != null ? keyPair : keyType.generate();
            Instant now = clock.instant();
            Instant from = notBefore != null ? notBefore : now.minus(Duration.ofMinutes(1));
            Instant to = notAfter != null ? notAfter : now.plus(duration);
            byte[] random = new byte[6];
            new java.security.SecureRandom().nextBytes(random);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName != null ? commonName
                    : (pathLen >= 0 ? "wimse4j test CA " : "wimse4j test ") + HexFormat.of().formatHex(random)).build();
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial != null ? serial : X509Support.serial(),
                    Date.from(from), Date.from(to), subject, keys.getPublic());
            try {
                X509Support.basicConstraints(b, pathLen);
                X509Support.keyUsage(b, pathLen >= 0);
                X509Support.keyIdentifiers(b, keys.getPublic(), issuer == null ? null : issuer.certificate);
                X509Support.extendedKeyUsage(b, usages.stream().map(WicUsage::oid).toList());
                List<GeneralName> names = new ArrayList<>();
                uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
                dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
                ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
                if (!names.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
                }
                for (Ext e : extensions) {
                    b.addExtension(new ASN1ObjectIdentifier(e.oid()), e.critical(), ASN1Primitive.fromByteArray(e.value()));
                }
                X509Certificate cert = X509Support.sign(b, issuer == null ? keys.getPrivate() : issuer.keyPair.getPrivate());
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(cert);
                if (issuer != null) {
                    chain.addAll(issuer.chain);
                }
                return new HeldCertificate(keys, cert, List.copyOf(chain));
            } catch (IOException | WimseException e) {
                throw new IllegalStateException("cannot build the certificate: " + e.getMessage(), e);
            }
        }
    }
}
