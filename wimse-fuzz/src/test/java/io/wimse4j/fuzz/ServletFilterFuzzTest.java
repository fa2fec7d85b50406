package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.testkit.Fixture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * Fuzz target: the servlet filter's header handling ({@link WimseFilter} in a real Jetty 12 server, fed
 * through Jetty's in-memory {@link LocalConnector}, so Jetty's own HTTP parser runs and no socket slows
 * the fuzzer). The first input byte picks the mode: edit the {@code Workload-Identity-Token} or
 * {@code Workload-Proof-Token} value, or the {@code Authorization: WPT} value (P2-1), of a valid request;
 * or edit the whole request head. Oracle: the filter never answers 500 (an escaped exception); a request
 * whose credential values were edited is never let through to the servlet (200); the unedited seed is.
 * The replay cache accepts every proof so a forgery cannot hide behind {@code replay}.
 */
class ServletFilterFuzzTest {
    static final Fixture F = new Fixture();
    static final String WPT = F.wpt(ProofBindings.NONE);
    static final LocalConnector CONNECTOR;

    static {
        try {
            Server server = new Server();
            CONNECTOR = new LocalConnector(server);
            server.addConnector(CONNECTOR);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addFilter(new FilterHolder(WimseFilter.builder()
                    .verifier(F.verifier().replayCache((key, expiresAt) -> true).build())
                    .externalBaseUri(URI.create("https://api.example.org")).build()), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.setStatus(200);
                }
            }), "/*");
            server.setHandler(context);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        int choice = data.length == 0 ? 0 : (data[0] & 0xff) % 4;
        byte[] edits = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        String wit = choice == 0 ? Mutation.apply(F.wit, edits) : F.wit;
        String wpt = choice == 1 || choice == 2 ? Mutation.apply(WPT, edits) : WPT;
        String proofHeader = choice == 2 ? "Authorization: WPT " + wpt : "Workload-Proof-Token: " + wpt;
        String head = "GET /orders HTTP/1.1\r\nHost: api.example.org\r\nWorkload-Identity-Token: " + wit + "\r\n"
                + proofHeader + "\r\n";
        boolean mutated = !wit.equals(F.wit) || !wpt.equals(WPT);
        if (choice == 3) {
            String edited = Mutation.apply(head, edits);
            mutated = !edited.equals(head);
            head = edited;
        }
        String request = head + "Connection: close\r\n\r\n";
        String response = CONNECTOR.getResponse(request);
        if (response == null || response.isEmpty()) {
            return; // Jetty closed without an answer: its parser refused the bytes before the filter
        }
        int status = Integer.parseInt(response.substring(9, 12));
        if (status == 500) {
            throw new AssertionError("the filter answered 500");
        }
        if (status == 200 && mutated && choice != 3) {
            throw new AssertionError("an edited credential reached the servlet");
        }
        if (!mutated && status != 200) {
            throw new AssertionError("the valid seed request was refused: " + status);
        }
    }
}
