package io.wimse4j.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP(S) server on 127.0.0.1 serving JWKS documents the test controls, one per path,
 * and counting the requests it answers.
 */
final class JwksServer implements AutoCloseable {
    /** What one path answers. */
    static final class Doc {
        volatile int status = 200;
        volatile String body;
        volatile String cacheControl;
        volatile String etag;
        /** A {@code Location} header to send (with a 3xx {@code status}). */
        volatile String location;
        /** Send the body chunked, without Content-Length. */
        volatile boolean chunked;
        final AtomicInteger hits = new AtomicInteger();
        final AtomicInteger notModified = new AtomicInteger();
    }

    private final HttpServer server;
    private final Map<String, Doc> docs = new ConcurrentHashMap<>();

    /** An HTTPS server with {@code tls}, or plain HTTP when {@code tls} is null. */
    JwksServer(SSLContext tls) throws IOException {
        InetSocketAddress addr = new InetSocketAddress("127.0.0.1", 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(addr, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(addr, 0);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    Doc doc(String path) {
        return docs.computeIfAbsent(path, p -> new Doc());
    }

    URI uri(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Doc doc = docs.get(ex.getRequestURI().getPath());
            if (doc == null || doc.body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            doc.hits.incrementAndGet();
            if (doc.location != null) {
                ex.getResponseHeaders().add("Location", doc.location);
            }
            if (doc.cacheControl != null) {
                ex.getResponseHeaders().add("Cache-Control", doc.cacheControl);
            }
            if (doc.etag != null) {
                ex.getResponseHeaders().add("ETag", doc.etag);
                if (doc.etag.equals(ex.getRequestHeaders().getFirst("If-None-Match")) && doc.status == 200) {
                    doc.notModified.incrementAndGet();
                    ex.sendResponseHeaders(304, -1);
                    return;
                }
            }
            byte[] body = doc.body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            ex.sendResponseHeaders(doc.status, doc.chunked ? 0 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            } catch (IOException clientWentAway) {
                // the client stopped reading an oversized body
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
