package io.wimse4j.cli;

import io.wimse4j.server.internal.StateDir;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway TLS identity for the demo's receiving service: a self-signed P-256 certificate for
 * {@code localhost} and {@code 127.0.0.1}, valid for a day, written as PEM into an owner-only state
 * directory, and an {@link SSLContext} that trusts exactly that certificate (SEC-1: the caller still
 * validates the server's name).
 */
final class DemoTls {
    private final StateDir dir;
    private final String certPem;

    private DemoTls(StateDir dir, String certPem) {
        this.dir = dir;
        this.certPem = certPem;
    }

    /** Creates the key and certificate in {@code dir} ({@code tls-cert.pem}, {@code tls-key.pem}). */
    static DemoTls create(StateDir dir) throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        HeldCertificate held = HeldCertificate.builder().commonName("localhost").dnsName("localhost").ipAddress("127.0.0.1")
                .usages(WicUsage.SERVER).validityInterval(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))).build();
        String cert = held.certificatePem();
        dir.writeAtomically("tls-key.pem", held.privateKeyPem());
        dir.writeAtomically("tls-cert.pem", cert);
        return new DemoTls(dir, cert);
    }

    java.nio.file.Path certFile() {
        return dir.file("tls-cert.pem");
    }

    java.nio.file.Path keyFile() {
        return dir.file("tls-key.pem");
    }

    /** A client TLS context trusting only this certificate. */
    SSLContext clientContext() throws GeneralSecurityException, IOException {
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("demo-service", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
