package io.wimse4j.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The agent's health endpoint: plain HTTP on the loopback interface only. {@code GET /healthz} answers
 * 200 when the credentials on disk are fresh (they load, the key is the WIT's, nothing expired), 503 with
 * the reason otherwise; the body is a small JSON object that never holds a token or key.
 */
final class AgentHealth implements AutoCloseable {
    private final HttpServer server;

    private final java.util.concurrent.ExecutorService threads;

    private AgentHealth(HttpServer server, java.util.concurrent.ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts the endpoint on {@code bind:port} (0: any free port), checking {@code files}. It answers only
     * whether the files are fresh and why not (paths and instants, never their content).
     */
    static AgentHealth start(String bind, int port, CredentialFiles files, Clock clock) throws IOException {
        // a client that opens a connection and stalls must not hold the probe: the JDK server's own limits
        // (read once, when its first server is made) and more than one thread answering
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "10");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "10");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), port), 8);
        server.createContext("/healthz", exchange -> answer(exchange, files, clock));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "wimse-agent-health");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.start();
        return new AgentHealth(server, threads);
    }

    /** The port bound. */
    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, CredentialFiles files, Clock clock) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{\"status\":\"method-not-allowed\"}");
                return;
            }
            if (!exchange.getRequestURI().getPath().equals("/healthz")) {
                send(exchange, 404, "{\"status\":\"not-found\"}");
                return;
            }
            Optional<String> stale = files.staleness(clock);
            if (stale.isEmpty()) {
                send(exchange, 200, "{\"status\":\"ok\"}");
            } else {
                send(exchange, 503, "{\"status\":\"stale\",\"detail\":" + jsonString(stale.get()) + "}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String jsonString(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "\"\"";
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
