package io.wimse4j.demo;

import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.x509.tls.HandshakeCounter;
import io.wimse4j.x509.tls.WicTrustManager;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.time.Clock;

/**
 * The demo service's TLS connector (SEC-1). Without client trust: Jetty's own context over the
 * {@link PemTls} key store. With client trust (mutual TLS, MT-1, MT-2): the same key store (the
 * server's certificate is whatever {@code --tls-cert} holds, a WIC or not, served by the JDK's key
 * manager), a {@link WicTrustManager} validating the client's chain per trust domain in the
 * handshake, and client certificates required ({@code setNeedClientAuth(true)}): a client without a
 * certificate, or with one no configured trust domain's CA issued, never completes the handshake;
 * both are counted by the {@link HandshakeCounter} (refusals by reason through the trust manager,
 * handshakes failed without a certificate through Jetty's {@link SslHandshakeListener}).
 */
final class TlsConnector {
    private TlsConnector() {
    }

    /** A connector of {@code s} serving {@code tls}, requiring WIC client certificates when {@code clientTrust} is set. */
    static ServerConnector create(Server s, HttpConfiguration http, PemTls tls, X509TrustSource clientTrust,
                                  CallerAuthorizer clients, HandshakeCounter listener, Clock clock) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        if (clientTrust == null) {
            ssl.setKeyStore(tls.keyStore());
            ssl.setKeyStorePassword(new String(tls.password()));
            ssl.setKeyManagerPassword(new String(tls.password()));
        } else {
            ssl.setSslContext(mutualTlsContext(tls, clientTrust, clients, listener, clock));
            ssl.setNeedClientAuth(true); // MT-2
        }
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients address the service by IP on loopback (no SNI); the certificate is still checked by them.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, "http/1.1");
        if (clientTrust != null) {
            // handshakes that fail before the trust manager (no client certificate, MT-2) are counted too
            tlsFactory.addBean(new SslHandshakeListener() {
                @Override
                public void handshakeFailed(Event event, Throwable failure) {
                    listener.handshakeFailed(failure);
                }
            });
        }
        return new ServerConnector(s, tlsFactory, new HttpConnectionFactory(http));
    }

    /** The key store's key and chain, and a {@link WicTrustManager} for clients of {@code clientTrust}. */
    static SSLContext mutualTlsContext(PemTls tls, X509TrustSource clientTrust, CallerAuthorizer clients,
                                       WicTrustManager.Listener listener, Clock clock) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(tls.keyStore(), tls.password());
            WicTrustManager.Builder trust = WicTrustManager.builder().trust(clientTrust).clock(clock).authorizeClients(clients);
            if (listener != null) {
                trust.listener(listener);
            }
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), new TrustManager[] {trust.build()}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}
