package io.wimse4j.demo;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The server's TLS identity (SEC-1) read from PEM files with BouncyCastle's {@link PEMParser}: a
 * certificate chain (leaf first) and an unencrypted private key (PKCS#8, or a traditional
 * {@code EC}/{@code RSA PRIVATE KEY}), turned into an in-memory PKCS#12 {@link KeyStore} for
 * Jetty's {@code SslContextFactory.Server}. The key store password is random, per load, and never
 * leaves the process. Error messages name the file, never its content.
 *
 * @param keyStore the key store holding one private key entry with its chain
 * @param password the key store (and entry) password
 */
record PemTls(KeyStore keyStore, char[] password) {
    /** The alias of the key entry. */
    static final String ALIAS = "server";

    /** Reads {@code certFile} (one or more certificates) and {@code keyFile} (one private key). */
    static PemTls load(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IOException("the private key in " + keyFile + " does not belong to the first certificate in " + certFile);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
            return new PemTls(ks, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("the private key in " + keyFile + " does not fit the certificate in " + certFile
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether {@code key} signs what the leaf's public key verifies (a key file for another certificate is refused). */
    private static boolean matches(PrivateKey key, X509Certificate leaf) throws IOException {
        String alg = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IOException("unsupported TLS key type " + key.getAlgorithm() + " (EC, RSA or Ed25519)");
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new IOException(file + " must contain only PEM certificates, found " + o.getClass().getSimpleName());
                }
                chain.add(converter.getCertificate(holder));
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(file + " holds an unreadable certificate", e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + " contains no PEM certificate");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        Object o;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            o = parser.readObject();
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException(file + " holds an encrypted private key; give an unencrypted PEM key (owner-only file)");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair pair) {
            return pair.getPublicKeyInfo() != null ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        throw new IOException(file + " contains no PEM private key");
    }
}
