package io.wimse4j.client;

import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;

/** A throw-away CA and a server certificate for 127.0.0.1 and localhost, built with wimse-x509's {@link HeldCertificate}. */
final class TestPki {
    private final HeldCertificate ca;
    private final HeldCertificate server;

    TestPki() {
        this(true);
    }

    /** With {@code forLoopback} false, the server certificate names only {@code other.example}. */
    TestPki(boolean forLoopback) {
        ca = HeldCertificate.builder().commonName("wimse4j test CA").certificateAuthority(0).duration(Duration.ofDays(1)).build();
        HeldCertificate.Builder leaf = HeldCertificate.builder().commonName("localhost").usages(WicUsage.SERVER)
                .duration(Duration.ofDays(1)).signedBy(ca);
        if (forLoopback) {
            leaf.ipAddress("127.0.0.1").dnsName("localhost");
        } else {
            leaf.dnsName("other.example");
        }
        server = leaf.build();
    }

    /** The CA certificate as PEM (what the Identity Server serves at {@code /ca.pem}). */
    byte[] caPem() {
        return ca.certificatePem().getBytes(StandardCharsets.US_ASCII);
    }

    /** The server side: the leaf key and chain. */
    SSLContext serverContext() throws Exception {
        char[] pw = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", server.keyPair().getPrivate(), pw, server.chain().toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context trusting only this CA, through the production helper. */
    SSLContext clientContext() throws Exception {
        return TlsTrust.fromCaPem(caPem());
    }
}
