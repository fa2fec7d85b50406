package io.wimse4j.demo;

import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * A test CA and a TLS server leaf for {@code localhost} / {@code 127.0.0.1}, made in code with
 * BouncyCastle (no checked-in key material), written as PEM files, and an {@link SSLContext} that
 * trusts only this CA.
 */
public final class TestPki {
    private final KeyPair caKey;
    private final X509Certificate ca;
    private final KeyPair leafKey;
    private final X509Certificate leaf;

    private TestPki(KeyPair caKey, X509Certificate ca, KeyPair leafKey, X509Certificate leaf) {
        this.caKey = caKey;
        this.ca = ca;
        this.leafKey = leafKey;
        this.leaf = leaf;
    }

    /** A new CA (P-256) and a leaf for {@code localhost} and {@code 127.0.0.1} it signed, valid from an hour ago for a day. */
    public static TestPki create() {
        return create(b -> b.dnsName("localhost").ipAddress("127.0.0.1"));
    }

    /** A new CA and a leaf whose only name is the DNS name {@code dnsName}. */
    public static TestPki createFor(String dnsName) {
        return create(b -> b.dnsName(dnsName));
    }

    /** Built with wimse-x509's {@link HeldCertificate}: the CA, then a serverAuth leaf with {@code names}. */
    private static TestPki create(java.util.function.UnaryOperator<HeldCertificate.Builder> names) {
        Instant now = Instant.now();
        HeldCertificate ca = HeldCertificate.builder().commonName("wimse4j test CA").certificateAuthority(0)
                .validityInterval(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))).build();
        HeldCertificate leaf = names.apply(HeldCertificate.builder().commonName("localhost").usages(WicUsage.SERVER)
                .validityInterval(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))).signedBy(ca)).build();
        return new TestPki(ca.keyPair(), ca.certificate(), leaf.keyPair(), leaf.certificate());
    }

    /** The CA certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** Writes the leaf certificate followed by the CA ({@code server.crt.pem}) and the leaf key ({@code server.key.pem}, rw-------) into {@code dir}. */
    public ServerPem writeServerPem(Path dir) {
        Path cert = dir.resolve("server.crt.pem");
        Path key = dir.resolve("server.key.pem");
        writeAtomically(cert, pem(leaf) + pem(ca), false);
        writeAtomically(key, pem(pkcs8(leafKey)), true);
        return new ServerPem(cert, key);
    }

    /** Writes the leaf key in the traditional OpenSSL form ({@code BEGIN EC PRIVATE KEY}, rw-------) as {@code name}. */
    public Path writeTraditionalKeyPem(Path dir, String name) {
        Path key = dir.resolve(name);
        java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey) leafKey.getPrivate();
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(leafKey.getPublic().getEncoded());
        try {
            byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(), spki.getPublicKeyData(),
                    spki.getAlgorithm().getParameters()).getEncoded();
            writeAtomically(key, pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", der)), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    private static Object pkcs8(KeyPair key) {
        try {
            return new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key.getPrivate(), null).generate();
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CA certificate as {@code ca.crt.pem} into {@code dir}. */
    public Path writeCaPem(Path dir) {
        Path file = dir.resolve("ca.crt.pem");
        writeAtomically(file, pem(ca), false);
        return file;
    }

    /** The certificate and key files. */
    public record ServerPem(Path cert, Path key) {
    }

    /** A TLS context trusting only this CA. */
    public SSLContext clientContext() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static void writeAtomically(Path file, String text, boolean ownerOnly) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--")));
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "TestPki[" + ca.getSubjectX500Principal() + " -> " + leaf.getSubjectX500Principal() + ", key "
                + caKey.getPublic().getAlgorithm() + "]";
    }
}
