package io.wimse4j.client;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicTrustManager;
import io.wimse4j.x509.tls.WimseTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both peers of a mutual-TLS connection hold WICs from the real Identity Server through
 * {@link IdentityServerWicSource} (9 s lifetime, so renewed over mutual TLS every 6 s), while four client
 * threads handshake for 20 s and the server's workload CA is rotated in the middle (published at once,
 * signing 2 s later). The peers' anchors follow the server's SPIFFE bundle through
 * {@link SpiffeX509TrustSource}. No request may fail, and leaves of both CAs must have been presented.
 */
class WicRenewalUnderTrafficTest {
    static final String CLIENT = "wimse://example.org/svc/client";
    static final String SERVER = "wimse://example.org/svc/server";
    static final TrustDomain TD = new TrustDomain(ServerHarness.TRUST_DOMAIN);
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    @Test
    void MT_7_wicsRenewedOverMutualTlsAndACaRotationUnderFourClientThreadsFailNoRequest() throws Exception {
        try (ServerHarness is = new ServerHarness(dir.resolve("state"), CLOCK, null,
                b -> b.wicTtl(Duration.ofSeconds(9)).jwksMaxAge(Duration.ofSeconds(1)).publishAhead(Duration.ofSeconds(2)))) {
            is.register(CLIENT, 600, null, "join_token", "wic");
            is.register(SERVER, 600, null, "join_token", "wic");
            // the peers' anchors: the server's SPIFFE bundle, fetched over HTTPS and refreshed every 200 ms or so
            HttpJwksTrustBundleSource bundles = HttpJwksTrustBundleSource.builder()
                    .trustDomain(TD, is.baseUri().resolve("/v1/trust-bundle/spiffe")).sslContext(is.clientTls())
                    .refreshInterval(Duration.ofMillis(200), Duration.ofMillis(200)).checkInterval(Duration.ofMillis(50))
                    .build();
            X509TrustSource trust = SpiffeX509TrustSource.of(bundles);
            Set<X509Certificate> clientLeaves = ConcurrentHashMap.newKeySet();
            List<String> refusals = new CopyOnWriteArrayList<>();
            WicTrustManager.Listener seen = new WicTrustManager.Listener() {
                @Override
                public void accepted(String role, VerifiedWic peer) {
                    clientLeaves.add(peer.leaf());
                }

                @Override
                public void refused(String role, Reason reason, String detail) {
                    refusals.add(role + " " + reason + ": " + detail);
                }
            };
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try (IdentityServerWicSource serverWic = source(is, SERVER);
                 IdentityServerWicSource clientWic = source(is, CLIENT);
                 SSLServerSocket listener = (SSLServerSocket) WimseTls.context(serverWic.keyManager(),
                         WicTrustManager.builder().trust(trust).clock(CLOCK).listener(seen).build())
                         .getServerSocketFactory().createServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
                List<X509Certificate> firstServerChain = serverWic.currentChain();
                clientWic.currentChain();
                listener.setSSLParameters(WimseTls.requireClientCertificates(listener.getSSLParameters()));
                pool.submit(() -> serve(listener, pool));
                SSLContext client = WimseTls.context(clientWic.keyManager(), WicTrustManager.builder().trust(trust).clock(CLOCK)
                        .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER))).build());

                AtomicInteger ok = new AtomicInteger();
                List<String> failures = new CopyOnWriteArrayList<>();
                long start = System.nanoTime();
                long end = start + 20_000_000_000L;
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread th = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                String line = request(client, listener.getLocalPort());
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
                    threads.add(th);
                }
                boolean rotated = false;
                while (System.nanoTime() < end) {
                    Thread.sleep(250);
                    if (!rotated && System.nanoTime() - start > 8_000_000_000L) {
                        is.rotateWorkloadCa();
                        rotated = true;
                    }
                }
                for (Thread th : threads) {
                    th.join();
                }
                List<X509Certificate> cas = X509TrustBundle.fromPem(TD, is.workloadCaPem()).anchors();
                long byOld = clientLeaves.stream().filter(l -> issuedBy(l, cas.get(0))).count();
                long byNew = clientLeaves.stream().filter(l -> issuedBy(l, cas.get(1))).count();
                assertThat(failures).as("failed requests").isEmpty();
                assertThat(refusals).as("refused peers").isEmpty();
                assertThat(ok.get()).as("requests in 20 s").isGreaterThan(100);
                assertThat(cas).as("old and new CA published during the overlap").hasSize(2);
                assertThat(byOld).as("client WICs of the old CA presented").isPositive();
                assertThat(byNew).as("client WICs of the new CA presented").isPositive();
                assertThat(serverWic.currentChain().get(0)).as("the server's WIC was renewed").isNotEqualTo(firstServerChain.get(0));
                System.out.println("WIC renewal and CA rotation under traffic (Identity Server): " + ok.get() + " requests, "
                        + failures.size() + " failed, " + clientLeaves.size() + " distinct client WICs seen (" + byOld
                        + " of the old CA, " + byNew + " of the new)");
            } finally {
                pool.shutdownNow();
                bundles.close();
            }
        }
    }

    private static IdentityServerWicSource source(ServerHarness is, String id) throws Exception {
        return IdentityServerWicSource.builder(is.baseUri(), WorkloadIdentifier.parse(id), InitialAttestation.joinToken(is.joinToken(id)))
                .serverCaPem(is.caCertFile()).clock(CLOCK).checkInterval(Duration.ofMillis(100)).build();
    }

    /** Signed by {@code ca}'s key (the server's CAs may share a subject name). */
    private static boolean issuedBy(X509Certificate leaf, X509Certificate ca) {
        try {
            leaf.verify(ca.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static void serve(SSLServerSocket listener, ExecutorService pool) {
        while (!listener.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) listener.accept();
                pool.submit(() -> {
                    try (s) {
                        s.startHandshake();
                        new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("ok");
                    } catch (IOException e) {
                        // counted by the client
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One request to 127.0.0.1: no DNS-ID check, the expected server identity instead (MT-4). */
    private static String request(SSLContext client, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
