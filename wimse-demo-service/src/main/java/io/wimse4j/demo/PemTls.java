package io.wimse4j.demo;

import io.wimse4j.x509.Pem;
import io.wimse4j.x509.PemException;


import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * The server's TLS identity (SEC-1) read from PEM files with wimse-x509's strict {@link Pem}: a
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
        try {
            return Pem.readCertificates(file);
        } catch (PemException e) {
            throw new IOException(file + " contains no PEM certificate chain that can be read: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return Pem.readPrivateKey(file);
        } catch (PemException e) {
            throw new IOException(file + " contains no PEM private key that can be read: " + e.getMessage(), e);
        }
    }
}
