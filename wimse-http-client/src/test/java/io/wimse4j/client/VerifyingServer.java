package io.wimse4j.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real HTTP server on 127.0.0.1, port 0, that verifies every request with a {@link RequestVerifier}
 * and answers 200 with the caller's workload identifier or 400 with the {@code Reason} name. The
 * target URI comes from the configured base, never from {@code Host}.
 */
final class VerifyingServer implements AutoCloseable {
    private final HttpServer server;
    private final String base;
    private final RequestVerifier verifier;
    private final UnaryOperator<Map<String, List<String>>> rewrite;
    final AtomicInteger requests = new AtomicInteger();
    final List<VerifiedCaller> callers = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();

    VerifyingServer(RequestVerifier verifier) throws IOException {
        this(verifier, UnaryOperator.identity());
    }

    /** {@code rewrite} changes the received headers before verification (simulates a tampering hop). */
    VerifyingServer(RequestVerifier verifier, UnaryOperator<Map<String, List<String>>> rewrite) throws IOException {
        this.verifier = verifier;
        this.rewrite = rewrite;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Map<String, List<String>> received = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> received.put(k, new ArrayList<>(v)));
            Map<String, List<String>> headers = rewrite.apply(received);
            HttpRequestFacts.Builder facts = HttpRequestFacts.builder(ex.getRequestMethod(),
                    URI.create(base + ex.getRequestURI().getRawPath()));
            headers.forEach((k, vs) -> vs.forEach(v -> facts.header(k, v)));
            int status;
            String body;
            try {
                VerifiedCaller caller = verifier.verify(facts.build());
                callers.add(caller);
                status = 200;
                body = caller.workload().value();
            } catch (WimseException e) {
                status = 400;
                body = e.reason().name();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
