package io.wimse4j.benchmarks;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicKeyManager;
import io.wimse4j.x509.tls.WicTrustManager;
import io.wimse4j.x509.tls.WimseTls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * One full mutual-TLS 1.3 handshake in memory (two {@link SSLEngine}s, no socket, no session
 * resumption): {@code mtlsHandshakeWimse} through {@link WimseTls} ({@link WicKeyManager},
 * {@link WicTrustManager}: per-trust-domain anchors, URI SAN, EKU, the authorizer and the expected
 * server), against {@code mtlsHandshakeJdk}, the JDK's own key and PKIX trust managers over the same
 * keys and CA: the baseline of the ratio. Both engines are set up by the same {@link #handshake} (TLS
 * 1.3 only, the JDK's default cipher suites, groups and signature schemes, client authentication
 * required, no peer host so no resumption), so the managers are the only difference.
 *
 * <p>The two run <b>at the same time</b>, one thread each in one JMH group ({@code mtlsHandshake}) in
 * one fork: iteration {@code i} of both covers the same seconds of the machine's load and the same JIT
 * state. Run one after the other in two forks (as first written) they were measured 40 s or more apart
 * on a shared machine, in the middle of a warm-up that lasts longer than JMH's default here, and the
 * ratio moved from 0.55 to 1.25 between runs of the same code (docs/benchmarks.md, issue 11).
 */
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 8, time = 2)
public class MutualTlsHandshakeBenchmark extends BenchmarkDefaults {
    /** The group both benchmarks run in, one thread each. */
    static final String GROUP = "mtlsHandshake";

    /** wimse4j's client and server contexts, made once per trial (per thread). */
    @State(Scope.Thread)
    public static class WimseContexts {
        SSLContext server;
        SSLContext client;

        @Setup(Level.Trial)
        public void make(Credentials k) {
            Clock clock = Clock.systemUTC();
            server = WimseTls.context(WicKeyManager.of(k.server.keyPair().getPrivate(), k.server.chain(), clock),
                    WicTrustManager.builder().trust(k.trust).clock(clock).authorizeClients(CallerAuthorizer.memberOf(k.td)).build());
            client = WimseTls.context(WicKeyManager.of(k.client.keyPair().getPrivate(), k.client.chain(), clock),
                    WicTrustManager.builder().trust(k.trust).clock(clock)
                            .expectServer(CallerAuthorizer.memberOf(k.td)).build());
        }
    }

    /** The JDK's client and server contexts (SunX509 key manager, PKIX trust manager), made once per trial. */
    @State(Scope.Thread)
    public static class JdkContexts {
        SSLContext server;
        SSLContext client;

        @Setup(Level.Trial)
        public void make(Credentials k) throws Exception {
            server = jdk(k.server, k.ca.certificate());
            client = jdk(k.client, k.ca.certificate());
        }

        private static SSLContext jdk(HeldCertificate own, X509Certificate ca) throws Exception {
            char[] pw = "bench".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("own", own.keyPair().getPrivate(), pw, own.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return c;
        }
    }

    /** A CA of trust domain {@code example.org} (EC P-256) and a server and a client WIC it signed: both variants use these. */
    @State(Scope.Benchmark)
    public static class Credentials {
        final TrustDomain td = new TrustDomain("example.org");
        HeldCertificate ca;
        HeldCertificate server;
        HeldCertificate client;
        X509TrustSource trust;

        @Setup(Level.Trial)
        public void make() throws Exception {
            ca = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
            server = HeldCertificate.builder().uri("wimse://example.org/svc/server").dnsName("localhost")
                    .usages(WicUsage.SERVER).signedBy(ca).build();
            client = HeldCertificate.builder().uri("wimse://example.org/svc/client").usages(WicUsage.CLIENT).signedBy(ca).build();
            trust = X509TrustSource.of(X509TrustBundle.of(td, List.of(ca.certificate())));
        }
    }

    /** A mutual-TLS handshake through wimse4j's key and trust managers. */
    @Benchmark
    @Group(GROUP)
    @GroupThreads(1)
    public boolean mtlsHandshakeWimse(WimseContexts c) throws SSLException {
        return handshake(c.client, c.server);
    }

    /** The same handshake through the JDK's key and PKIX trust managers, at the same time: the baseline. */
    @Benchmark
    @Group(GROUP)
    @GroupThreads(1)
    public boolean mtlsHandshakeJdk(JdkContexts c) throws SSLException {
        return handshake(c.client, c.server);
    }

    /** Runs one TLS 1.3 handshake with client authentication between fresh engines; true when both finished. */
    static boolean handshake(SSLContext clientContext, SSLContext serverContext) throws SSLException {
        SSLEngine client = clientContext.createSSLEngine();
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200; round++) {
            step(client, empty, toServer, toClient, app);
            step(server, empty, toClient, toServer, app);
            if (done(client) && done(server)) {
                return true;
            }
        }
        throw new IllegalStateException("the handshake did not finish");
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** One engine's turn: run delegated tasks, wrap what it has to send, unwrap what it received. */
    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
        e.wrap(empty, out);
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult r = e.unwrap(in, app);
            app.clear();
            while ((task = e.getDelegatedTask()) != null) {
                task.run();
            }
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
    }
}
