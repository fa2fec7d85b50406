package io.wimse4j.examples;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;

/**
 * A real Jetty 12 on 127.0.0.1 (port 0) with a filter in front of a servlet that answers
 * {@code <principal name>|<auth type>}, as {@code wimse-servlet}'s {@code WimseFilterSocketTest} does.
 */
final class JettyHarness implements AutoCloseable {
    private final Server server = new Server();
    private final int port;

    /** The application behind the filter: it reads the caller the filter exposes. */
    static final class WhoAmIServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.getInputStream().readAllBytes(); // read the body, so the connection stays reusable
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().print(req.getUserPrincipal().getName() + "|" + req.getAuthType());
        }
    }

    JettyHarness(Filter filter) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new WhoAmIServlet()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} followed by the path and query of {@code external}. */
    URI local(URI external) {
        return URI.create("http://127.0.0.1:" + port + external.getRawPath()
                + (external.getRawQuery() == null ? "" : "?" + external.getRawQuery()));
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop Jetty", e);
        }
    }
}
