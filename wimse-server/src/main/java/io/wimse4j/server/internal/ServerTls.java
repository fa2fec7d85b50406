package io.wimse4j.server.internal;

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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server's own TLS PKI, bootstrapped on first start: a CA (P-256, 10 years) and a server
 * certificate it signs (P-256, 1 year, SANs {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the
 * configured DNS names). Stored in the state directory as {@code ca.pem}, {@code ca-key.pem},
 * {@code server.pem}, {@code server-key.pem} (owner-only, atomic). The server certificate is
 * re-issued when it is missing, expires within 30 days or lacks a configured name.
 */
public final class ServerTls {
    /** The CA certificate file (the TLS trust anchor clients need). */
    public static final String CA_CERT = "ca.pem";
    private static final String CA_KEY = "ca-key.pem";
    private static final String SERVER_CERT = "server.pem";
    private static final String SERVER_KEY = "server-key.pem";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCert;
    private final X509Certificate serverCert;
    private final PrivateKey serverKey;
    private final String caPem;

    private ServerTls(X509Certificate caCert, X509Certificate serverCert, PrivateKey serverKey, String caPem) {
        this.caCert = caCert;
        this.serverCert = serverCert;
        this.serverKey = serverKey;
        this.caPem = caPem;
    }

    /** Loads the PKI from {@code state}, creating what is missing. */
    public static ServerTls bootstrap(StateDir state, List<String> dnsNames, Clock clock) throws IOException {
        try {
            Instant now = clock.instant();
            X509Certificate ca;
            KeyPair caKeys;
            Optional<String> caPemFile = state.readString(CA_CERT);
            Optional<String> caKeyFile = state.readString(CA_KEY);
            if (caPemFile.isPresent() && caKeyFile.isPresent()) {
                ca = parseCert(caPemFile.get());
                caKeys = new KeyPair(ca.getPublicKey(), parseKey(caKeyFile.get()));
            } else {
                caKeys = newKeyPair();
                X500Name name = new X500Name("CN=wimse4j Identity Server CA " + Long.toHexString(RANDOM.nextLong()));
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
                        Date.from(now.plus(Duration.ofDays(3650))), name, caKeys.getPublic());
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
                ca = sign(b, caKeys.getPrivate());
                state.writeAtomically(CA_KEY, pem(caKeys.getPrivate()));
                state.writeAtomically(CA_CERT, pem(ca));
                state.writeAtomically(SERVER_CERT, "");
            }
            Set<String> wanted = new LinkedHashSet<>(List.of("localhost"));
            wanted.addAll(dnsNames);
            Optional<String> certFile = state.readString(SERVER_CERT).filter(s -> !s.isBlank());
            Optional<String> keyFile = state.readString(SERVER_KEY);
            if (certFile.isPresent() && keyFile.isPresent()) {
                X509Certificate cert = parseCert(certFile.get());
                if (cert.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(30)))
                        && dnsNamesOf(cert).containsAll(wanted) && isIssuedBy(cert, ca)) {
                    return new ServerTls(ca, cert, parseKey(keyFile.get()), pem(ca));
                }
            }
            KeyPair serverKeys = newKeyPair();
            List<GeneralName> sans = new ArrayList<>();
            wanted.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
            sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=localhost"), serverKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate cert = sign(b, caKeys.getPrivate());
            state.writeAtomically(SERVER_KEY, pem(serverKeys.getPrivate()));
            state.writeAtomically(SERVER_CERT, pem(cert));
            return new ServerTls(ca, cert, serverKeys.getPrivate(), pem(ca));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create or load the TLS certificates", e);
        }
    }

    /** The CA certificate. */
    public X509Certificate caCertificate() {
        return caCert;
    }

    /** The CA certificate, PEM. */
    public String caPem() {
        return caPem;
    }

    /** The server certificate. */
    public X509Certificate serverCertificate() {
        return serverCert;
    }

    /** An in-memory key store with the server key and chain, protected by {@code password}. */
    public KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKey, password, new java.security.cert.Certificate[]{serverCert, caCert});
        return ks;
    }

    /** A trust store holding only {@code caPem}: what a client needs to trust this server. */
    public static KeyStore trustStore(String caPem) throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("wimse-ca", parseCert(caPem));
        return ts;
    }

    private static boolean isIssuedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Set<String> dnsNamesOf(X509Certificate cert) throws GeneralSecurityException {
        Set<String> out = new HashSet<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(GeneralName.dNSName).equals(san.get(0))) {
                    out.add((String) san.get(1));
                }
            }
        }
        return out;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (o instanceof PrivateKey k) {
                w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)); // PKCS#8 "PRIVATE KEY"
            } else {
                w.writeObject(o);
            }
        }
        return sw.toString();
    }

    /** Parses one PEM certificate. */
    public static X509Certificate parseCert(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey parseKey(String pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo pki) {
                return conv.getPrivateKey(pki);
            }
            throw new IOException("not a private key PEM");
        }
    }
}
