package io.wimse4j.resilience.faults;

import com.sun.net.httpserver.HttpServer;
import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 5 of issue 15: the trust-bundle endpoint a verifier follows ({@link HttpJwksTrustBundleSource},
 * ID-3) misbehaves while two threads verify WITs back to back. The endpoint, a real HTTP server on
 * loopback, serves in turn: the issuer's key A; garbage (a 500, HTML, truncated JSON, a private key, an
 * empty body); a hang (headers sent, then the body stalls for a minute); key A again after the staleness
 * limit has passed; and a flip to key B only. Asserted per phase, for every verification: while the
 * endpoint fails (garbage or hang) the last good bundle is used, WITs of A verify and B's are
 * {@code UNKNOWN_KEY}; once the last good bundle is older than {@code maxStaleness} both fail closed with
 * {@code UNTRUSTED_TRUST_DOMAIN}; after the flip B's verify and A's are {@code UNKNOWN_KEY} (the refresh
 * thread was not left stuck by the hang). The source's clock is a {@link MutableClock}, so staleness
 * takes no wall time.
 */
class TrustBundleEndpointFaultTest {
    enum Mode { KEY_A, GARBAGE, HANG, KEY_B }

    private final Fixture f = new Fixture();
    private final MutableClock clock = new MutableClock(Fixture.NOW);
    private final WorkloadKeyPair keyB = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    private volatile Mode mode = Mode.KEY_A;
    private final AtomicInteger hits = new AtomicInteger();
    private final Map<Mode, AtomicInteger> hitsByMode = new ConcurrentHashMap<>();
    private HttpServer server;
    private HttpJwksTrustBundleSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static final String[] GARBAGE = {"<html>oops</html>", "{\"keys\":[{\"kty\":\"EC\"", "", "not json", "{\"keys\":"};

    private void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/jwks.json", exchange -> {
            Mode m = mode;
            int n = hits.incrementAndGet();
            hitsByMode.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet();
            try (exchange) {
                switch (m) {
                    case KEY_A, KEY_B -> send(exchange, 200, "{\"keys\":[" + (m == Mode.KEY_A ? f.issuerKey : keyB).publicJwk().toJson() + "]}");
                    case GARBAGE -> {
                        if (n % 3 == 0) {
                            send(exchange, 500, "{\"error\":\"internal\"}");
                        } else if (n % 3 == 1) {
                            send(exchange, 200, "{\"keys\":[" + f.workloadKey.privateJwkJson() + "]}");
                        } else {
                            send(exchange, 200, GARBAGE[n % GARBAGE.length]);
                        }
                    }
                    default -> {
                        exchange.getResponseHeaders().set("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, 0); // chunked
                        OutputStream out = exchange.getResponseBody();
                        out.write("{\"keys\":[".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        });
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Test
    void ID_3_aMisbehavingBundleEndpointKeepsTheLastGoodBundleUntilItIsStaleThenFailsClosed() throws Exception {
        serve();
        source = HttpJwksTrustBundleSource.builder()
                .trustDomain(f.trustDomain, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json"))
                .allowInsecureHttp(true).clock(clock).checkInterval(Duration.ofMillis(20))
                .refreshInterval(Duration.ofSeconds(30), Duration.ofMinutes(5)).maxStaleness(Duration.ofMinutes(10))
                .requestTimeout(Duration.ofSeconds(1)).build();
        assertThat(source.awaitInitialLoad(Duration.ofSeconds(20))).isTrue();
        WitVerifier verifier = WitVerifier.builder().trust(source).clock(f.clock).build();
        String witA = f.wit;
        String witB = WitIssuer.builder().signer(keyB.signer()).trustDomain(f.trustDomain).issuer("https://issuer.example.org")
                .clock(f.clock).build().issue(f.workload, f.workloadKey.publicJwk()).token();

        // phase name -> "A:outcome" / "B:outcome" -> count
        Map<String, Map<String, AtomicLong>> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>("KEY_A");
        List<Thread> verifiers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread v = new Thread(() -> {
                while (running.get()) {
                    for (String which : new String[] {"A", "B"}) {
                        String p = phase.get();
                        String outcome;
                        try {
                            verifier.verify(which.equals("A") ? witA : witB);
                            outcome = "ok";
                        } catch (WimseException e) {
                            outcome = e.reason().name();
                        }
                        if (!p.equals(phase.get())) {
                            p = "transition"; // the phase changed during this verification
                        }
                        outcomes.computeIfAbsent(p, k -> new ConcurrentHashMap<>())
                                .computeIfAbsent(which + ":" + outcome, k -> new AtomicLong()).incrementAndGet();
                    }
                }
            }, "verifier-" + t);
            v.start();
            verifiers.add(v);
        }
        try {
            Thread.sleep(300);
            enter(phase, "transition", Mode.GARBAGE);
            int before = hits.get();
            clock.advance(Duration.ofSeconds(45)); // the refresh is due; failures retry every 30 s
            phase.set("GARBAGE");
            for (int i = 0; i < 6; i++) {
                int target = before + i + 1;
                await(() -> hits.get() >= target);
                clock.advance(Duration.ofSeconds(31));
            }
            enter(phase, "transition", Mode.HANG);
            int hangs = hitsByMode.getOrDefault(Mode.HANG, new AtomicInteger()).get();
            clock.advance(Duration.ofSeconds(31));
            phase.set("HANG");
            await(() -> hitsByMode.getOrDefault(Mode.HANG, new AtomicInteger()).get() > hangs);
            Thread.sleep(1500); // longer than the request timeout: the fetch is abandoned, verification goes on
            clock.advance(Duration.ofSeconds(31));
            Thread.sleep(500);

            enter(phase, "transition", Mode.GARBAGE);
            clock.set(Fixture.NOW.plus(Duration.ofMinutes(11))); // the last good bundle is now too old
            Thread.sleep(100);
            phase.set("STALE");
            Thread.sleep(500);

            enter(phase, "transition", Mode.KEY_B);
            clock.advance(Duration.ofSeconds(31));
            await(() -> {
                try {
                    verifier.verify(witB);
                    return true;
                } catch (WimseException notYet) {
                    return false;
                }
            });
            phase.set("KEY_B");
            Thread.sleep(500);
        } finally {
            running.set(false);
            for (Thread v : verifiers) {
                v.join(10_000);
            }
        }

        assertThat(only(outcomes, "KEY_A")).containsOnlyKeys("A:ok", "B:UNKNOWN_KEY");
        assertThat(only(outcomes, "GARBAGE")).containsOnlyKeys("A:ok", "B:UNKNOWN_KEY");
        assertThat(only(outcomes, "HANG")).containsOnlyKeys("A:ok", "B:UNKNOWN_KEY");
        assertThat(only(outcomes, "STALE")).containsOnlyKeys("A:UNTRUSTED_TRUST_DOMAIN", "B:UNTRUSTED_TRUST_DOMAIN");
        assertThat(only(outcomes, "KEY_B")).containsOnlyKeys("A:UNKNOWN_KEY", "B:ok");
        assertThat(outcomes.getOrDefault("transition", Map.of()).keySet()).as("outcomes between phases")
                .allMatch(k -> k.endsWith(":ok") || k.endsWith(":UNKNOWN_KEY") || k.endsWith(":UNTRUSTED_TRUST_DOMAIN"));
        assertThat(hitsByMode.get(Mode.GARBAGE).get()).isGreaterThanOrEqualTo(6);

        long total = outcomes.values().stream().flatMap(m -> m.values().stream()).mapToLong(AtomicLong::get).sum();
        FaultReport.line("trust-bundle endpoint: garbage, hang, stale, key flip (under 2 verifying threads)",
                total + " verifications; endpoint hits " + new TreeMap<>(hitsByMode) + "; per phase " + summary(outcomes));
    }

    private void enter(java.util.concurrent.atomic.AtomicReference<String> phase, String name, Mode next) {
        phase.set(name);
        mode = next;
    }

    private static Map<String, AtomicLong> only(Map<String, Map<String, AtomicLong>> outcomes, String phase) {
        Map<String, AtomicLong> m = outcomes.get(phase);
        assertThat(m).as("verifications in phase %s", phase).isNotNull().isNotEmpty();
        return m;
    }

    private static String summary(Map<String, Map<String, AtomicLong>> outcomes) {
        StringBuilder sb = new StringBuilder();
        for (String p : List.of("KEY_A", "GARBAGE", "HANG", "STALE", "KEY_B")) {
            sb.append(p).append(' ').append(new TreeMap<>(outcomes.getOrDefault(p, Map.of()))).append("; ");
        }
        return sb.toString().trim();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached within 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
