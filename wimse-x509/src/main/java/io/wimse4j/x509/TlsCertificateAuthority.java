package io.wimse4j.x509;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.x509.internal.X509Support;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A private certificate authority for plain TLS server certificates ({@link TlsServerCertificate}): the
 * trust anchor that clients of a server's own HTTPS endpoint configure (the Identity Server's
 * {@code ca.pem}). It is <em>not</em> a trust domain's CA: it never signs Workload Identity Certificates,
 * and it must never be configured as a trust domain's X.509 anchor (use {@link CertificateAuthority}
 * for that, ID-3). Immutable.
 *
 * <p>A {@linkplain #builder() generated} CA has a fresh key (EC P-256 by default), subject
 * {@code CN=<common name>} (by default {@code wimse4j TLS CA <random hex>}, so that two CAs never share a
 * name), basicConstraints CA with pathLen 0 and keyUsage keyCertSign and cRLSign (both critical), a
 * subject key identifier, a random 128-bit serial, no subjectAltName, and a validity of
 * {@linkplain Builder#validity(Duration) ten years by default} starting {@link #BACKDATE} before now.
 * An existing CA is {@linkplain #load loaded} from its certificate and key. {@link #toString()} never
 * shows the key (KEY-1).
 */
public final class TlsCertificateAuthority {
    /** The default validity: 3650 days. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    /** The longest validity {@link Builder#validity(Duration)} accepts: 20 years (7305 days). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7305);
    /** How far before "now" a generated certificate starts, for clients' clock skew: five minutes. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private TlsCertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A builder generating a new CA. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A CA from an existing certificate and its private key. Refuses
     * ({@link io.wimse4j.core.error.Reason#INVALID_KEY}) a certificate that is not a CA (basicConstraints
     * CA, keyUsage keyCertSign) and a key that does not belong to it or is of an unsupported type.
     */
    public static TlsCertificateAuthority load(X509Certificate certificate, PrivateKey privateKey) throws WimseException {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        X509Support.checkCa(certificate, privateKey);
        return new TlsCertificateAuthority(certificate, privateKey);
    }

    /** The CA certificate: the trust anchor of the server certificates it issues. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA's private key, for persisting it ({@link Pem#encodePrivateKey}); never log it (KEY-1). */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The first instant the CA certificate is valid. */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** The last instant the CA certificate is valid; no certificate it issues outlives it. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The CA certificate as PEM: what a client adds to its trust store. */
    public String certificatePem() {
        return Pem.encodeCertificates(List.of(certificate));
    }

    /** The subject and validity; never the key. */
    @Override
    public String toString() {
        return "TlsCertificateAuthority[" + certificate.getSubjectX500Principal().getName() + ", "
                + certificate.getPublicKey().getAlgorithm() + ", until " + notAfter() + "]";
    }

    /** Generates a {@link TlsCertificateAuthority}; every setting is checked when set or in {@link #build()}. */
    public static final class Builder {
        private String commonName;
        private KeyType keyType = KeyType.EC_P256;
        private Duration validity = DEFAULT_VALIDITY;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The subject's common name, 1..64 characters without control characters; by default
         * {@code wimse4j TLS CA <16 random hex digits>}.
         *
         * @throws IllegalArgumentException when the name is empty, longer than 64 characters or holds a control character
         */
        public Builder commonName(String commonName) {
            Objects.requireNonNull(commonName, "commonName");
            if (commonName.isBlank() || commonName.length() > 64 || commonName.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a CA common name has 1..64 characters and no control character");
            }
            this.commonName = commonName;
            return this;
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
        public TlsCertificateAuthority build() {
            if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
                throw new IllegalArgumentException("CA validity must be positive and at most " + MAX_VALIDITY.toDays()
                        + " days, was " + validity);
            }
            String cn = commonName != null ? commonName : "wimse4j TLS CA " + HexFormat.of().toHexDigits(RANDOM.nextLong());
            KeyPair keys = keyType.generate();
            Instant now = clock.instant();
            var name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, X509Support.serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name, keys.getPublic());
            try {
                X509Support.basicConstraints(b, 0);
                X509Support.keyUsage(b, true);
                X509Support.keyIdentifiers(b, keys.getPublic(), null);
                return new TlsCertificateAuthority(X509Support.sign(b, keys.getPrivate()), keys.getPrivate());
            } catch (CertIOException | WimseException e) {
                throw new IllegalStateException("cannot build the TLS CA certificate", e);
            }
        }
    }
}
