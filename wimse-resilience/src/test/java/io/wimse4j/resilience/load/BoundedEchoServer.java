package io.wimse4j.resilience.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.EnumSet;
import java.util.Map;

/**
 * An echo service like the demo service's, assembled here because the demo service does not let its
 * replay and WIT caches be sized: Jetty 12 (ee10) over TLS on 127.0.0.1 (a test CA and a leaf for the
 * address, made with wimse-x509's {@link HeldCertificate}), {@link WimseFilter} with the given
 * {@link RequestVerifier}, and {@code GET}/{@code POST /echo} answering {@code {"workload": ...}}. The TLS
 * session caches of both sides hold at most {@link #TLS_SESSIONS} sessions.
 */
final class BoundedEchoServer implements AutoCloseable {
    private static final char[] PASSWORD = "load-test".toCharArray();
    /**
     * TLS sessions each side keeps (the JDK's default is 20,480 per context, for a day): small, as every cache of
     * the bounded run, since every refused POST costs a new connection ({@code Connection: close}).
     */
    static final int TLS_SESSIONS = 64;

    private final HeldCertificate ca = HeldCertificate.builder().commonName("load CA").certificateAuthority(0).build();
    private final Server server = new Server();
    private final ServerConnector connector;

    BoundedEchoServer(RequestVerifier verifier) throws Exception {
        HeldCertificate leaf = HeldCertificate.builder().commonName("127.0.0.1").ipAddress("127.0.0.1")
                .usages(WicUsage.SERVER).signedBy(ca).build();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", leaf.keyPair().getPrivate(), PASSWORD, leaf.chain().toArray(new Certificate[0]));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(ks);
        ssl.setKeyStorePassword(new String(PASSWORD));
        ssl.setKeyManagerPassword(new String(PASSWORD));
        ssl.setSslSessionCacheSize(TLS_SESSIONS);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // addressed by IP: no SNI
        http.addCustomizer(secure);
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setStopTimeout(2_000);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        WimseFilter filter = WimseFilter.builder().externalBaseUri(Echo.BASE).verifier(verifier).build();
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
        server.setHandler(context);
        server.start();
    }

    URI localUri() {
        return URI.create("https://127.0.0.1:" + connector.getLocalPort());
    }

    /** A client TLS context trusting only this server's CA. */
    SSLContext clientContext() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        c.getClientSessionContext().setSessionCacheSize(TLS_SESSIONS);
        return c;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Answers the verified caller (never a header or token). */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            echo(req, resp);
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.getInputStream().readNBytes(64 * 1024);
            echo(req, resp);
        }

        private static void echo(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Object caller = req.getAttribute(WimseFilter.CALLER_ATTRIBUTE);
            String workload = caller instanceof VerifiedCaller c ? c.workload().value() : null;
            byte[] body = JSON.writeValueAsBytes(Map.of("workload", workload == null ? "(none)" : workload));
            resp.setStatus(200);
            resp.setContentType("application/json");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }
}
