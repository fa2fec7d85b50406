package io.wimse4j.demo;

import io.wimse4j.redis.RedisReplayCache;
import io.wimse4j.x509.tls.HandshakeCounter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * The Jetty server of a {@link DemoService}, assembled but not started: one connector (TLS through
 * {@link TlsConnector}, mutual TLS counted by the {@link HandshakeCounter}, or plain HTTP when asked),
 * the {@link io.wimse4j.servlet.WimseFilter} of {@link ServiceFilter} unless the benchmark's baseline
 * leaves it out, and the echo servlet at {@link DemoService#ECHO_PATH}.
 */
final class ServiceServer {
    /**
     * Request header limit: room for a WIT and a WPT at the verifier's own limit (8192 characters
     * each) plus ordinary headers, so that an oversized token meets {@code TOKEN_TOO_LARGE} in the
     * verifier rather than a bare 431 from Jetty.
     */
    static final int REQUEST_HEADER_SIZE = 32 * 1024;

    private ServiceServer() {
    }

    /** The server for {@code config}; {@code redisOpened} is told of the Redis replay cache once opened. */
    static Server assemble(DemoService.Config config, HandshakeCounter handshakes, Consumer<RedisReplayCache> redisOpened) {
        Server s = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(REQUEST_HEADER_SIZE);
        ServerConnector c = config.tls() != null
                ? TlsConnector.create(s, http, config.tls(), config.clientTrust(), config.clientAuthorizer(), handshakes, config.clock())
                : new ServerConnector(s, new HttpConnectionFactory(http));
        c.setHost(config.bindAddress());
        c.setPort(config.port());
        s.addConnector(c);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (config.filter()) {
            context.addFilter(new FilterHolder(ServiceFilter.create(config, redisOpened)), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new EchoServlet()), DemoService.ECHO_PATH);
        s.setHandler(context);
        return s;
    }
}
