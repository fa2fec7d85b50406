package io.wimse4j.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * An {@link SSLContext} that trusts exactly the CA certificates of a PEM file, such as the
 * Identity Server's {@code /ca.pem} (SEC-1: the client authenticates the server it fetches keys
 * and credentials from). Hostnames are still verified by the HTTP client.
 */
public final class TlsTrust {
    /** Largest PEM file read, in bytes. */
    static final int MAX_PEM_BYTES = 256 * 1024;

    private TlsTrust() {
    }

    /** A client context trusting only the certificates in {@code caPemFile}. */
    public static SSLContext fromCaPem(Path caPemFile) throws IOException, GeneralSecurityException {
        return fromCaPem(readPem(caPemFile));
    }

    /** The bytes of {@code caPemFile}, refused beyond {@link #MAX_PEM_BYTES}. */
    static byte[] readPem(Path caPemFile) throws IOException {
        if (Files.size(caPemFile) > MAX_PEM_BYTES) {
            throw new IOException(caPemFile + " is larger than " + MAX_PEM_BYTES + " bytes");
        }
        return Files.readAllBytes(caPemFile);
    }

    /** A client context trusting only the certificates in {@code pem}. */
    public static SSLContext fromCaPem(byte[] pem) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(pem), null);
        return context;
    }

    /** Trust managers trusting only the certificates in {@code pem}. */
    static TrustManager[] trustManagers(byte[] pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem));
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("the PEM holds no certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        int i = 0;
        for (Certificate cert : certs) {
            store.setCertificateEntry("ca-" + i++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }
}
