package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.x509.internal.DnsNames;
import io.wimse4j.x509.internal.X509Support;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.util.IPAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A plain TLS server certificate with its private key and chain: DNS and IP-address subjectAltNames and
 * extendedKeyUsage serverAuth, for a server's own HTTPS endpoint (the Identity Server's). It is
 * <em>not</em> a Workload Identity Certificate: it carries no URI SAN, so no {@link WicValidator} takes
 * it for a workload's (WIC-1, WIC-2). Immutable.
 *
 * <p>{@linkplain #builder(TlsCertificateAuthority) Issued} by a {@link TlsCertificateAuthority}: a fresh
 * key (EC P-256 by default), subject {@code CN=<first DNS name>} (the first IP address when there is no
 * DNS name; an empty subject with a critical subjectAltName when the name exceeds 64 characters), the
 * DNS names then the IP addresses as subjectAltNames, keyUsage digitalSignature and basicConstraints
 * CA:false (both critical), extendedKeyUsage serverAuth, subject and authority key identifiers, a random
 * 128-bit serial, valid from {@link TlsCertificateAuthority#BACKDATE} before now for
 * {@linkplain Builder#validity(Duration) one year by default}, never outside the CA's validity.
 *
 * <p>A certificate from elsewhere (an operator's, from a public or corporate CA) is {@linkplain #load
 * loaded} with its chain and key and checked before use. {@link #toString()} never shows the key (KEY-1).
 */
public final class TlsServerCertificate {
    /** The default validity: 365 days. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    /**
     * The longest validity {@link Builder#validity(Duration)} accepts: 825 days, the most that
     * widespread TLS clients (Apple platforms) accept for a server certificate from a private CA.
     */
    public static final Duration MAX_VALIDITY = Duration.ofDays(825);
    /** The most subjectAltNames (DNS names and IP addresses together) a builder accepts: 100. */
    public static final int MAX_NAMES = 100;

    private static final String SERVER_AUTH = WicUsage.SERVER.oid();
    private static final String ANY_EKU = "2.5.29.37.0";

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final List<String> dnsNames;
    private final List<String> ipAddresses;

    private TlsServerCertificate(List<X509Certificate> chain, PrivateKey privateKey) throws WimseException {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.dnsNames = X509Support.subjectAltNames(chain.get(0), GeneralName.dNSName);
        this.ipAddresses = X509Support.subjectAltNames(chain.get(0), GeneralName.iPAddress);
    }

    /** A builder for a server certificate issued by {@code issuer}. */
    public static Builder builder(TlsCertificateAuthority issuer) {
        return new Builder(Objects.requireNonNull(issuer, "issuer"));
    }

    /**
     * A server certificate from elsewhere: {@code chain} leaf first, each certificate followed by its
     * issuer (the root may be left out), and the leaf's private key. Refuses, with
     * {@link Reason#INVALID_KEY}: an empty chain; a key of an unsupported type or not the leaf's; a leaf
     * that is a CA; a leaf whose extendedKeyUsage lacks serverAuth; a certificate not issued (name and
     * signature) by the next one; and with {@link Reason#CREDENTIALS_EXPIRED} a leaf that is not valid at
     * the clock's now (expired or not yet valid). Messages never show the key.
     */
    public static TlsServerCertificate load(List<X509Certificate> chain, PrivateKey privateKey, Clock clock)
            throws WimseException {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(clock, "clock");
        if (chain == null || chain.isEmpty()) {
            throw new WimseException(Reason.INVALID_KEY, "the certificate chain is empty");
        }
        X509Certificate leaf = chain.get(0);
        X509Support.signatureAlgorithm(privateKey);
        if (!X509Support.belongTogether(privateKey, leaf.getPublicKey())) {
            throw new WimseException(Reason.INVALID_KEY, "the private key does not belong to the leaf certificate ("
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw new WimseException(Reason.INVALID_KEY, "the leaf certificate is a CA (basicConstraints CA:true)");
        }
        List<String> ekus;
        try {
            ekus = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new WimseException(Reason.INVALID_KEY, "the leaf certificate's extendedKeyUsage does not decode", e);
        }
        if (ekus != null && !ekus.contains(SERVER_AUTH) && !ekus.contains(ANY_EKU)) {
            throw new WimseException(Reason.INVALID_KEY, "the leaf certificate's extendedKeyUsage lacks serverAuth");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())
                    || !signedBy(chain.get(i), chain.get(i + 1))) {
                throw new WimseException(Reason.INVALID_KEY, "certificate " + (i + 2) + " of the chain did not issue"
                        + " certificate " + (i + 1) + " (the chain is leaf first, each certificate followed by its issuer)");
            }
        }
        Instant now = clock.instant();
        if (now.isAfter(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the leaf certificate is not valid at " + now + " (valid "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")");
        }
        return new TlsServerCertificate(chain, privateKey);
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The server (leaf) certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain a server presents: the leaf first, then its issuers as given or issued. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** {@link #chain()} as PEM, the leaf first. */
    public String chainPem() {
        return Pem.encodeCertificates(chain);
    }

    /** The leaf's private key, for persisting it ({@link Pem#encodePrivateKey}); never log it (KEY-1). */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The leaf's DNS subjectAltNames, in order. */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** The leaf's IP-address subjectAltNames, in order, as the JDK writes them ({@code 127.0.0.1}, {@code 0:0:0:0:0:0:0:1}). */
    public List<String> ipAddresses() {
        return ipAddresses;
    }

    /** The first instant the leaf is valid. */
    public Instant notBefore() {
        return certificate().getNotBefore().toInstant();
    }

    /** The last instant the leaf is valid. */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Whether {@code issuer}'s key signed the leaf (for instance: whether a stored certificate is still the current CA's). */
    public boolean isSignedBy(X509Certificate issuer) {
        return signedBy(certificate(), issuer);
    }

    /** The leaf's subject, names and validity; never the key. */
    @Override
    public String toString() {
        return "TlsServerCertificate[" + certificate().getSubjectX500Principal().getName() + ", dns " + dnsNames
                + ", ip " + ipAddresses + ", until " + notAfter() + "]";
    }

    /** Issues a {@link TlsServerCertificate}; the names and the validity are checked in {@link #build()}. */
    public static final class Builder {
        private final TlsCertificateAuthority issuer;
        private final List<String> dnsNames = new ArrayList<>();
        private final List<String> ipAddresses = new ArrayList<>();
        private KeyType keyType = KeyType.EC_P256;
        private Duration validity = DEFAULT_VALIDITY;
        private Clock clock = Clock.systemUTC();

        private Builder(TlsCertificateAuthority issuer) {
            this.issuer = issuer;
        }

        /** Adds a DNS name ({@code localhost}, {@code id.example.org}): lower-case LDH labels, no wildcard, no trailing dot. */
        public Builder dnsName(String dnsName) {
            dnsNames.add(Objects.requireNonNull(dnsName, "dnsName"));
            return this;
        }

        /** Adds each of {@code dnsNames}, in order (see {@link #dnsName(String)}). */
        public Builder dnsNames(List<String> dnsNames) {
            dnsNames.forEach(this::dnsName);
            return this;
        }

        /** Adds an IP address, an IPv4 or IPv6 literal ({@code 127.0.0.1}, {@code ::1}); never resolved as a host name. */
        public Builder ipAddress(String ipAddress) {
            ipAddresses.add(Objects.requireNonNull(ipAddress, "ipAddress"));
            return this;
        }

        /** The server key's type; {@link KeyType#EC_P256} by default. */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** How long the certificate is valid from now; {@link #DEFAULT_VALIDITY} by default, at most {@link #MAX_VALIDITY}. */
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
         * Generates the key and signs the certificate with the issuer's key.
         *
         * @throws IllegalArgumentException when there is no name, more than {@link #MAX_NAMES}, a DNS name or IP
         *         address that is not one (or appears twice), or a validity that is not positive or exceeds {@link #MAX_VALIDITY}
         * @throws IllegalStateException    when the issuing CA is not valid now
         */
        public TlsServerCertificate build() {
            List<String> dns;
            try {
                dns = DnsNames.validate(dnsNames);
            } catch (WimseException e) {
                throw new IllegalArgumentException(e.detail());
            }
            List<String> ips = canonicalIps(ipAddresses);
            if (dns.isEmpty() && ips.isEmpty()) {
                throw new IllegalArgumentException("a TLS server certificate needs at least one DNS name or IP address");
            }
            if (dns.size() + ips.size() > MAX_NAMES) {
                throw new IllegalArgumentException("a TLS server certificate has at most " + MAX_NAMES + " names");
            }
            if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
                throw new IllegalArgumentException("server certificate validity must be positive and at most "
                        + MAX_VALIDITY.toDays() + " days, was " + validity);
            }
            Instant now = clock.instant();
            if (now.isAfter(issuer.notAfter()) || now.isBefore(issuer.notBefore())) {
                throw new IllegalStateException("the TLS CA is not valid at " + now + " (valid " + issuer.notBefore()
                        + " to " + issuer.notAfter() + ")");
            }
            Instant from = now.minus(TlsCertificateAuthority.BACKDATE);
            Instant to = now.plus(validity);
            from = from.isBefore(issuer.notBefore()) ? issuer.notBefore() : from;
            to = to.isAfter(issuer.notAfter()) ? issuer.notAfter() : to;
            String cn = dns.isEmpty() ? ips.get(0) : dns.get(0);
            boolean emptySubject = cn.length() > 64;
            X500Name subject = emptySubject ? new X500Name(new RDN[0])
                    : new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
            KeyPair keys = keyType.generate();
            X509Certificate ca = issuer.certificate();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, X509Support.serial(), Date.from(from),
                    Date.from(to), subject, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            try {
                b.addExtension(Extension.subjectAlternativeName, emptySubject, new GeneralNames(names.toArray(GeneralName[]::new)));
                X509Support.keyUsage(b, false);
                X509Support.extendedKeyUsage(b, List.of(SERVER_AUTH));
                X509Support.basicConstraints(b, -1);
                X509Support.keyIdentifiers(b, keys.getPublic(), ca);
                X509Certificate leaf = X509Support.sign(b, issuer.privateKey());
                return new TlsServerCertificate(List.of(leaf, ca), keys.getPrivate());
            } catch (CertIOException | WimseException e) {
                throw new IllegalStateException("cannot build the TLS server certificate", e);
            }
        }

        private static List<String> canonicalIps(List<String> given) {
            LinkedHashSet<String> out = new LinkedHashSet<>();
            for (String ip : given) {
                if (!IPAddress.isValidIPv4(ip) && !IPAddress.isValidIPv6(ip)) {
                    throw new IllegalArgumentException("IP address " + shown(ip) + " is not an IPv4 or IPv6 literal");
                }
                String canonical;
                try {
                    canonical = InetAddress.getByName(ip).getHostAddress(); // a literal: parsed, never looked up
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("IP address " + shown(ip) + " is not an IPv4 or IPv6 literal");
                }
                if (!out.add(canonical)) {
                    throw new IllegalArgumentException("IP address " + shown(ip) + " appears twice");
                }
            }
            return List.copyOf(out);
        }

        private static String shown(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
        }
    }
}
