package io.wimse4j.x509.tls;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaf renewal under continuous traffic (MT-7, KEY-4): four client threads handshake with a server for
 * 20 s while both the server's and the clients' certificates are renewed (a new key each time) every
 * second; no request may fail, and the renewed certificates must be the ones in use.
 */
class RenewalUnderTrafficTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
    static final String SERVER_ID = "wimse://example.org/svc/server";
    static final String CLIENT_ID = "wimse://example.org/svc/client";

    static HeldCertificate server() {
        return HeldCertificate.builder().uri(SERVER_ID).dnsName("localhost").usages(WicUsage.SERVER).signedBy(CA).build();
    }

    static HeldCertificate client() {
        return HeldCertificate.builder().uri(CLIENT_ID).usages(WicUsage.CLIENT).signedBy(CA).build();
    }

    @Test
    void MT_7_leavesRenewedEverySecondUnderFourClientThreadsFailNoRequest() throws Exception {
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.of(new TrustDomain("example.org"), List.of(CA.certificate())));
        HeldCertificate first = server();
        WicKeyManager serverKeys = WicKeyManager.of(first.keyPair().getPrivate(), first.chain(), CLOCK);
        Set<X509Certificate> clientLeavesSeen = ConcurrentHashMap.newKeySet();
        WicTrustManager serverTrust = WicTrustManager.builder().trust(trust).clock(CLOCK).listener(new WicTrustManager.Listener() {
            @Override
            public void accepted(String role, io.wimse4j.x509.VerifiedWic peer) {
                clientLeavesSeen.add(peer.leaf());
            }

            @Override
            public void refused(String role, io.wimse4j.core.error.Reason reason, String detail) {
            }
        }).build();
        SSLContext serverContext = WimseTls.context(serverKeys, serverTrust);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            server.setSSLParameters(WimseTls.requireClientCertificates(server.getSSLParameters()));
            pool.submit(() -> {
                while (!server.isClosed()) {
                    try {
                        SSLSocket s = (SSLSocket) server.accept();
                        pool.submit(() -> {
                            try (s) {
                                s.startHandshake();
                                new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("ok");
                            } catch (Exception e) {
                                // counted on the client side
                            }
                        });
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            HeldCertificate c0 = client();
            WicKeyManager clientKeys = WicKeyManager.of(c0.keyPair().getPrivate(), c0.chain(), CLOCK);
            SSLContext clientContext = WimseTls.context(clientKeys, WicTrustManager.builder().trust(trust).clock(CLOCK)
                    .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER_ID))).build());
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            long end = System.nanoTime() + 20_000_000_000L;
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        try (SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                            SSLParameters p = s.getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS");
                            s.setSSLParameters(p);
                            s.setSoTimeout(10_000);
                            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                            if ("ok".equals(line)) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                failures.add("answer " + line);
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            failures.add(e.toString());
                        }
                    }
                });
                th.start();
                clients.add(th);
            }
            int renewals = 0;
            while (System.nanoTime() < end - 2_000_000_000L) { // the last renewal leaves a second of traffic or more
                Thread.sleep(1000);
                HeldCertificate s = server();
                serverKeys.update(s.keyPair().getPrivate(), s.chain());
                HeldCertificate c = client();
                clientKeys.update(c.keyPair().getPrivate(), c.chain());
                renewals++;
            }
            for (Thread th : clients) {
                th.join();
            }
            assertThat(failures).as("failed requests").isEmpty();
            assertThat(failed.get()).isZero();
            assertThat(ok.get()).as("requests in 20 s").isGreaterThan(100);
            assertThat(renewals).isGreaterThanOrEqualTo(14);
            // resumed TLS sessions keep the certificate of their first handshake, so not every renewal is seen
            assertThat(clientLeavesSeen).as("the renewed client certificates were the ones presented")
                    .hasSizeGreaterThan(renewals / 2);
            System.out.println("renewal under traffic: " + ok.get() + " requests, " + failed.get() + " failed, "
                    + renewals + " renewals of each side, " + clientLeavesSeen.size() + " distinct client certificates seen");
        } finally {
            pool.shutdownNow();
        }
    }
}
