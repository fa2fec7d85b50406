package io.wimse4j.server;

import io.wimse4j.server.internal.DeferredClientTrust;
import io.wimse4j.server.internal.ServerTls;
import io.wimse4j.server.internal.WorkloadCa;
import org.eclipse.jetty.server.ConnectionFactory;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The Identity Server's Jetty connectors: the main one (HTTPS with the server's TLS certificate, a
 * client certificate asked for but never required, or plain HTTP with {@code insecure-http}), and with
 * {@code admin-listen} the admin API's own loopback connector, named {@value ServerHandler#ADMIN_CONNECTOR},
 * with the same TLS certificate (no client certificate asked for) or plain HTTP alike.
 */
final class Listeners {
    private Listeners() {
    }

    /** Adds and opens the main connector; answers it (its local port is bound). */
    static ServerConnector openMain(Server server, ServerConfig config, ServerTls tls, WorkloadCa.Authorities workloadCa)
            throws Exception {
        ServerConnector connector = new ServerConnector(server, factories(config, tls, workloadCa, true));
        connector.setHost(config.bind());
        connector.setPort(config.port());
        server.addConnector(connector);
        connector.open();
        return connector;
    }

    /** Adds and opens the admin connector at {@code address} (loopback, checked by {@link ServerConfig}). */
    static ServerConnector openAdmin(Server server, ServerConfig config, ServerTls tls, WorkloadCa.Authorities workloadCa,
                                     InetSocketAddress address) throws Exception {
        ServerConnector connector = new ServerConnector(server, factories(config, tls, workloadCa, false));
        connector.setName(ServerHandler.ADMIN_CONNECTOR);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        connector.open();
        return connector;
    }

    private static ConnectionFactory[] factories(ServerConfig config, ServerTls tls, WorkloadCa.Authorities workloadCa,
                                                 boolean wantClientAuth) throws GeneralSecurityException, IOException {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        if (config.insecureHttp()) {
            return new ConnectionFactory[] {new HttpConnectionFactory(http)};
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(sslContext(tls, workloadCa));
        // a client certificate is asked for, never required: the current WIC of a renewal over
        // mutual TLS, validated by the 'wic' attestation method (DeferredClientTrust)
        ssl.setWantClientAuth(wantClientAuth);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http)};
    }

    /** The HTTPS context: the server's TLS certificate, and client certificates deferred to the {@code wic} method. */
    private static SSLContext sslContext(ServerTls tls, WorkloadCa.Authorities workloadCa)
            throws GeneralSecurityException, IOException {
        char[] password = randomPassword();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(tls.keyStore(password), password);
        Arrays.fill(password, '\0');
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {new DeferredClientTrust(workloadCa::certificates)},
                new SecureRandom());
        return context;
    }

    private static char[] randomPassword() {
        SecureRandom r = new SecureRandom();
        char[] c = new char[24];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return c;
    }
}
