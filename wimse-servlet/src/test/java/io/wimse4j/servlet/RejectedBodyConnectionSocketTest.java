package io.wimse4j.servlet;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request the filter refuses is answered without its body being read (the body of an unauthenticated
 * request is never consumed). Jetty then cannot keep the connection for a next request when the body has
 * not all arrived, and closes it after the answer; the answer must say so ({@code Connection: close}, RFC 9112
 * section 9.6), or a client keeping connections alive sends its next request on a connection the server is
 * closing and fails with a transport error (found under load: the JDK client's "HTTP/1.1 header parser
 * received no bytes" after refused POSTs). Raw sockets, so that the body can be held back.
 */
class RejectedBodyConnectionSocketTest {
    private final Fixture f = new Fixture();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(WimseFilter.builder().verifier(f.verifier().build())
                .externalBaseUri(URI.create("https://api.example.org")).build()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getInputStream().readAllBytes();
                resp.setStatus(200);
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aRefusedRequestWhoseBodyIsStillOnTheWaySaysTheConnectionCloses() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            // the headers only: the 1000-byte body is held back, so the refusal comes before it
            out.write(("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = head(in);
            assertThat(head).startsWith("HTTP/1.1 401 ");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\ncontent-type: application/problem+json")
                    .contains("\r\nconnection: close");
            assertThat(new String(in.readNBytes(length(head)), StandardCharsets.UTF_8)).contains(Reason.MISSING_WIT.code());
            // and it does close: the body and a next request meet a closed connection, nothing more comes
            assertThat(closed(out, in)).isTrue();
        }
    }

    @Test
    void aRefusedRequestWithoutABodyKeepsTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 2; i++) { // the same connection twice
                out.write("GET /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = head(in);
                assertThat(head).startsWith("HTTP/1.1 401 ");
                assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
                assertThat(in.readNBytes(length(head))).hasSize(length(head));
            }
        }
    }

    @Test
    void anAcceptedRequestWithABodyKeepsTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nWorkload-Identity-Token: " + f.wit
                    + "\r\nWorkload-Proof-Token: " + f.wpt(ProofBindings.NONE)
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = head(in);
            assertThat(head).startsWith("HTTP/1.1 200 ");
            assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
            in.readNBytes(length(head));
            // the same connection answers the next request
            out.write("GET /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(head(in)).startsWith("HTTP/1.1 401 ");
        }
    }

    private static int length(String head) {
        String lower = head.toLowerCase(Locale.ROOT);
        return lower.contains("content-length: ") ? Integer.parseInt(lower.split("content-length: ")[1].split("\r\n")[0].trim()) : 0;
    }

    /** Sends the held-back body and a next request: true when the server had closed (broken pipe, reset or end of stream). */
    private static boolean closed(OutputStream out, InputStream in) throws IOException {
        try {
            out.write(new byte[1000]);
            out.write("GET /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** The status line and headers, up to the blank line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
