package io.wimse4j.x509.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Continuous mutual-TLS traffic for the renewal and rotation tests: a server socket answering
 * {@code ok} after each handshake, and client threads dialling {@code localhost} (endpoint
 * identification on) in a loop while the test changes certificates and anchors once a second.
 */
final class TlsTraffic implements AutoCloseable {
    /** Called about once a second on the test's thread while the clients run; {@code second} counts from 1. */
    @FunctionalInterface
    interface Step {
        void at(int second) throws Exception;
    }

    /** What the clients saw: answered requests, failed ones with their causes, and the steps taken. */
    record Result(int ok, int failed, List<String> failures, int steps) {
    }

    private final SSLServerSocket server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    private TlsTraffic(SSLServerSocket server) {
        this.server = server;
        pool.submit(this::accept);
    }

    /** A server requiring client certificates (MT-2) with {@code context}, on an ephemeral loopback port. */
    static TlsTraffic serve(SSLContext context) throws IOException {
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 100, InetAddress.getLoopbackAddress());
        s.setSSLParameters(WimseTls.requireClientCertificates(s.getSSLParameters()));
        return new TlsTraffic(s);
    }

    private void accept() {
        while (!server.isClosed()) {
            SSLSocket s;
            try {
                s = (SSLSocket) server.accept();
            } catch (IOException e) {
                return;
            }
            pool.submit(() -> {
                try (s) {
                    s.startHandshake();
                    new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("ok");
                } catch (IOException e) {
                    // counted on the client side
                }
            });
        }
    }

    /** One request: a handshake and the server's line; throws when either fails. */
    String request(SSLContext client) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /**
     * Runs {@code threads} clients with {@code client} for {@code duration}, calling {@code step} once a
     * second until two seconds before the end (so the last change meets traffic too).
     */
    Result drive(SSLContext client, int threads, Duration duration, Step step) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        String line = request(client);
                        if ("ok".equals(line)) {
                            ok.incrementAndGet();
                        } else {
                            failures.add("answer " + line);
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            });
            th.start();
            clients.add(th);
        }
        int steps = 0;
        try {
            while (System.nanoTime() < end - 2_000_000_000L) {
                Thread.sleep(1000);
                step.at(++steps);
            }
        } finally {
            for (Thread th : clients) {
                th.join();
            }
        }
        return new Result(ok.get(), failures.size(), List.copyOf(failures), steps);
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
