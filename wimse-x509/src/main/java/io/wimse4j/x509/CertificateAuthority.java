package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.internal.X509Support;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The certificate authority of one trust domain: a private key and a self-signed CA certificate that
 * {@link WicIssuer} signs Workload Identity Certificates with (WIC-1; ID-3: the trust domain's X.509 trust
 * anchor, configured out of band by whoever validates). Immutable.
 *
 * <p>A {@linkplain #builder(TrustDomain) generated} CA has a fresh key (EC P-256 by default, P-384 or
 * Ed25519 selectable), subject {@code O=wimse4j, CN=<trust domain> workload CA} (just {@code CN=workload CA}
 * when the trust domain makes the CN longer than 64 characters), basicConstraints CA with pathLen 0 and
 * keyUsage keyCertSign and cRLSign (both critical), a subject key identifier, a random 128-bit serial and a
 * validity of {@linkplain Builder#validity(Duration) one year by default} starting one minute before now.
 * It carries <em>no</em> URI SAN: the SPIFFE X.509-SVID profile allows (MAY) the trust domain's ID in a
 * signing certificate, but a certificate with no URI SAN can never be taken for a workload's WIC (C2-3,
 * WIC-2) by code that reads "the URI SAN" of any certificate of a chain.
 *
 * <p>An existing CA (the Identity Server's, kept in its state directory) is {@linkplain #load loaded}
 * from its certificate and private key. {@link #toString()} never shows the key (KEY-1).
 */
public final class CertificateAuthority {
    /** The default CA validity: 365 days. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    /** The longest validity {@link Builder#validity(Duration)} accepts: 20 years (7305 days). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7305);
    /** How far before "now" a generated CA certificate starts, for clock skew: one minute. */
    public static final Duration BACKDATE = Duration.ofMinutes(1);

    private final TrustDomain trustDomain;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(TrustDomain trustDomain, X509Certificate certificate, PrivateKey privateKey) {
        this.trustDomain = trustDomain;
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A builder generating a new CA for {@code trustDomain}. */
    public static Builder builder(TrustDomain trustDomain) {
        return new Builder(Objects.requireNonNull(trustDomain, "trustDomain"));
    }

    /**
     * A CA of {@code trustDomain} from an existing certificate and its private key. Refuses
     * ({@link Reason#INVALID_KEY}) a certificate that is not a CA (basicConstraints CA, keyUsage
     * keyCertSign), a key that does not belong to the certificate or is of an unsupported type, and
     * ({@link Reason#UNTRUSTED_TRUST_DOMAIN}) a certificate whose URI SANs name another trust domain (ID-3).
     */
    public static CertificateAuthority load(TrustDomain trustDomain, X509Certificate certificate, PrivateKey privateKey)
            throws WimseException {
        Objects.requireNonNull(trustDomain, "trustDomain");
        X509Support.checkCa(certificate, privateKey);
        for (String uri : uriSans(certificate)) {
            String authority = authorityOf(uri);
            if (!trustDomain.name().equals(authority)) {
                throw new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN, "the CA certificate's URI SAN " + uri
                        + " names " + (authority == null ? "no trust domain" : "trust domain " + authority)
                        + ", not " + trustDomain.name());
            }
        }
        return new CertificateAuthority(trustDomain, certificate, privateKey);
    }

    /** The authority of a {@code wimse://} or {@code spiffe://} URI, or null. */
    private static String authorityOf(String uri) {
        try {
            java.net.URI u = new java.net.URI(uri);
            String scheme = u.getScheme();
            return WorkloadIdentifier.WIMSE.equals(scheme) || WorkloadIdentifier.SPIFFE.equals(scheme) ? u.getRawAuthority() : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static List<String> uriSans(X509Certificate c) throws WimseException {
        try {
            return X509Support.subjectAltNames(c, 6);
        } catch (WimseException e) {
            throw new WimseException(Reason.INVALID_KEY, "the CA certificate's subjectAltName does not decode", e);
        }
    }

    /** The trust domain whose workloads this CA certifies (ID-3). */
    public TrustDomain trustDomain() {
        return trustDomain;
    }

    /** The CA certificate: the trust anchor validators configure for {@link #trustDomain()} (ID-3, MT-1). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA's private key, for persisting it ({@link Pem#writePrivateKey}); never log it (KEY-1). */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The first instant the CA certificate is valid. */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** The last instant the CA certificate is valid; no WIC it issues outlives it. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The CA certificate as PEM: what the trust bundle of {@link #trustDomain()} publishes. */
    public String certificatePem() {
        return Pem.encodeCertificates(List.of(certificate));
    }

    /** The trust domain and the certificate's subject and validity; never the key. */
    @Override
    public String toString() {
        return "CertificateAuthority[" + trustDomain.name() + ", " + certificate.getSubjectX500Principal().getName()
                + ", " + certificate.getPublicKey().getAlgorithm() + ", until " + notAfter() + "]";
    }

    /** Generates a CA; every setting is checked when set or in {@link #build()}. */
    public static final class Builder {
        private final TrustDomain trustDomain;
        private KeyType keyType = KeyType.EC_P256;
        private Duration validity = DEFAULT_VALIDITY;
        private Clock clock = Clock.systemUTC();

        private Builder(TrustDomain trustDomain) {
            this.trustDomain = trustDomain;
        }

        /** The CA key's type; {@link KeyType#EC_P256} by default. */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** How long the CA certificate is valid from now; {@link #DEFAULT_VALIDITY} by default, at most {@link #MAX_VALIDITY}. */
        public Builder validity(Duration validity) {
            this.validity = Objects.requireNonNull(validity, "validity");
            return this;
        }

        /** The clock that says "now"; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Generates the key and the self-signed certificate.
         *
         * @throws IllegalArgumentException when the validity is not positive or exceeds {@link #MAX_VALIDITY}
         */
        public CertificateAuthority build() {
            if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
                throw new IllegalArgumentException("CA validity must be positive and at most " + MAX_VALIDITY.toDays()
                        + " days, was " + validity);
            }
            KeyPair keys = keyType.generate();
            Instant now = clock.instant();
            String cn = trustDomain.name() + " workload CA";
            X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "wimse4j")
                    .addRDN(BCStyle.CN, cn.length() <= 64 ? cn : "workload CA");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name.build(), X509Support.serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name.build(), keys.getPublic());
            try {
                X509Support.basicConstraints(b, 0);
                X509Support.keyUsage(b, true);
                X509Support.keyIdentifiers(b, keys.getPublic(), null);
                return new CertificateAuthority(trustDomain, X509Support.sign(b, keys.getPrivate()), keys.getPrivate());
            } catch (CertIOException | WimseException e) {
                throw new IllegalStateException("cannot build the CA certificate", e);
            }
        }
    }
}
