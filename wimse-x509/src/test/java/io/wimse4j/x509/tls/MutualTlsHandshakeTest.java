package io.wimse4j.x509.tls;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.x509.TestCertsAccess;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real TLS 1.3 handshakes on loopback through {@link WimseTls}: both sides authenticated by WIC (MT-1,
 * MT-2, MT-4, WIC-4), each broken client certificate refused in the handshake with its reason reported to
 * the server's listener, and a renewed certificate served without a restart (MT-7).
 */
class MutualTlsHandshakeTest {
    static final Clock CLOCK = Fixture.fixedClock();
    static final TestCertsAccess.Pki PKI = TestCertsAccess.pki();
    static final TrustDomain EXAMPLE = new TrustDomain("example.org");
    static final String CLIENT_ID = "wimse://example.org/svc/client";
    static final String SERVER_ID = "wimse://example.org/svc/server";

    /** What the server's trust manager reported. */
    final List<String> serverEvents = new CopyOnWriteArrayList<>();
    SSLServerSocket server;

    static X509TrustSource trust() {
        try {
            return X509TrustSource.of(X509TrustBundle.of(EXAMPLE, List.of(PKI.exampleCa())),
                    X509TrustBundle.of(new TrustDomain("other.org"), List.of(PKI.otherCa())));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A listener recording "accepted|refused role identifier|reason" into {@code events}. */
    static WicTrustManager.Listener recording(List<String> events) {
        return new WicTrustManager.Listener() {
            @Override
            public void accepted(String role, VerifiedWic peer) {
                events.add("accepted " + role + " " + peer.identifier());
            }

            @Override
            public void refused(String role, Reason reason, String detail) {
                events.add("refused " + role + " " + reason);
            }
        };
    }

    /** Starts a server presenting its WIC, requiring client WICs, authorizing with {@code authorizer}. */
    WicKeyManager startServer(CallerAuthorizer authorizer) throws Exception {
        TestCertsAccess.Leaf leaf = PKI.server(SERVER_ID, "localhost");
        WicKeyManager keys = WicKeyManager.of(leaf.keys().getPrivate(), leaf.chain(), CLOCK);
        WicTrustManager tm = WicTrustManager.builder().trust(trust()).clock(CLOCK).authorizeClients(authorizer)
                .listener(recording(serverEvents)).build();
        SSLContext ctx = WimseTls.context(keys, tm);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSSLParameters(WimseTls.requireClientCertificates(server.getSSLParameters()));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                    X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                    String uri = (String) peer.getSubjectAlternativeNames().iterator().next().get(1);
                    new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("hello " + uri);
                } catch (Exception e) {
                    // a refused handshake: the client sees it
                }
            }
        }, "tls-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return keys;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Connects as {@code client} to "localhost" with HTTPS endpoint identification and reads the greeting. */
    String call(WicKeyManager client, WicTrustManager trust) throws Exception {
        SSLContext ctx = WimseTls.context(client, trust);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setProtocols(new String[] {"TLSv1.3"});
            s.setSSLParameters(p);
            s.setSoTimeout(5000);
            s.startHandshake();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IOException("the server closed the connection: the handshake was refused");
            }
            return line;
        }
    }

    static WicTrustManager clientTrust(List<String> events) {
        return WicTrustManager.builder().trust(trust()).clock(CLOCK).listener(recording(events)).build();
    }

    static WicKeyManager keys(TestCertsAccess.Leaf leaf) {
        return WicKeyManager.of(leaf.keys().getPrivate(), leaf.chain(), CLOCK);
    }

    @Test
    void MT_2_bothSidesAuthenticateByWicAndTheServerSeesTheClientsIdentifier() throws Exception {
        startServer(CallerAuthorizer.memberOf(EXAMPLE));
        List<String> clientEvents = new CopyOnWriteArrayList<>();
        assertThat(call(keys(PKI.client(CLIENT_ID)), clientTrust(clientEvents))).isEqualTo("hello " + CLIENT_ID);
        assertThat(serverEvents).containsExactly("accepted client " + CLIENT_ID);
        assertThat(clientEvents).containsExactly("accepted server " + SERVER_ID);
    }

    /** A refused client certificate and the reason the server reports. */
    record Refusal(String name, Function<TestCertsAccess.Pki, TestCertsAccess.Leaf> client, Reason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("MT-1 a client WIC signed by another trust domain's CA → UNKNOWN_KEY",
                        p -> p.clientSignedByOther(CLIENT_ID), Reason.UNKNOWN_KEY),
                new Refusal("WIC-2 a client certificate with two URI SANs → INVALID_CERTIFICATE",
                        p -> p.clientWithTwoUris(CLIENT_ID, "wimse://example.org/svc/second"), Reason.INVALID_CERTIFICATE),
                new Refusal("MT-7 an expired client WIC → EXPIRED", p -> p.expiredClient(CLIENT_ID), Reason.EXPIRED),
                new Refusal("MT-3 a client WIC without clientAuth → INVALID_CERTIFICATE", p -> p.server(CLIENT_ID, "client.example.org"),
                        Reason.INVALID_CERTIFICATE),
                new Refusal("WIC-4 a client the authorizer does not allow → PEER_NOT_AUTHORIZED",
                        p -> p.client("wimse://example.org/svc/intruder"), Reason.PEER_NOT_AUTHORIZED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void MT_1_aBrokenClientCertificateIsRefusedInTheHandshakeWithItsReason(Refusal r) throws Exception {
        startServer(CallerAuthorizer.id(WorkloadIdentifier.parse(CLIENT_ID)));
        TestCertsAccess.Leaf leaf = r.client().apply(PKI);
        // the client's own clock at the certificate's start: it still offers what the server refuses
        WicKeyManager client = WicKeyManager.of(leaf.keys().getPrivate(), leaf.chain(),
                Clock.fixed(leaf.chain().get(0).getNotBefore().toInstant(), ZoneOffset.UTC));
        assertThatThrownBy(() -> call(client, clientTrust(new CopyOnWriteArrayList<>()))).isInstanceOf(IOException.class);
        assertThat(serverEvents).containsExactly("refused client " + r.reason());
    }

    @Test
    void MT_2_aClientWithoutACertificateIsRefused() throws Exception {
        startServer(CallerAuthorizer.any());
        WicKeyManager none = new WicKeyManager(CLOCK);
        assertThatThrownBy(() -> call(none, clientTrust(new CopyOnWriteArrayList<>()))).isInstanceOf(IOException.class);
        assertThat(serverEvents).noneMatch(e -> e.startsWith("accepted"));
    }

    @Test
    void MT_4_theClientChecksTheServersExpectedIdentity() throws Exception {
        startServer(CallerAuthorizer.any());
        WicKeyManager client = keys(PKI.client(CLIENT_ID));
        List<String> events = new CopyOnWriteArrayList<>();
        WicTrustManager wrongServer = WicTrustManager.builder().trust(trust()).clock(CLOCK)
                .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse("wimse://example.org/svc/other")))
                .listener(recording(events)).build();
        assertThatThrownBy(() -> call(client, wrongServer)).isInstanceOf(IOException.class);
        assertThat(events).containsExactly("refused server " + Reason.PEER_NOT_AUTHORIZED);
        WicTrustManager rightServer = WicTrustManager.builder().trust(trust()).clock(CLOCK)
                .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER_ID))).build();
        assertThat(call(client, rightServer)).isEqualTo("hello " + CLIENT_ID);
    }

    /** Connects as {@code client} to 127.0.0.1 (no DNS-ID check possible) and reads the greeting. */
    String callByAddress(WicKeyManager client, WicTrustManager trust) throws Exception {
        SSLContext ctx = WimseTls.context(client, trust);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
            s.setSoTimeout(5000);
            s.startHandshake();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IOException("the server closed the connection: the handshake was refused");
            }
            return line;
        }
    }

    @Test
    void ID_4_aClientDiallingAnAddressExpectsTheServerItsIdentifierMappingNames() throws Exception {
        startServer(CallerAuthorizer.any());
        WicKeyManager client = keys(PKI.client(CLIENT_ID));
        java.net.URI handle = java.net.URI.create("https://127.0.0.1:" + server.getLocalPort());
        WorkloadIdentifier serverId = WorkloadIdentifier.parse(SERVER_ID);
        WorkloadIdentifier other = WorkloadIdentifier.parse("wimse://example.org/svc/other");
        java.util.function.Function<WorkloadIdentifier, WicTrustManager> mapping = id -> WicTrustManager.builder().trust(trust())
                .clock(CLOCK).expectServers(h -> h.equals(handle) && id != null ? java.util.Optional.of(id) : java.util.Optional.empty())
                .listener(recording(serverEventsOf(id == null ? null : id.value()))).build();
        assertThat(callByAddress(client, mapping.apply(serverId))).isEqualTo("hello " + CLIENT_ID);
        List<String> wrong = serverEventsOf(other.value());
        assertThatThrownBy(() -> callByAddress(client, mapping.apply(other))).isInstanceOf(IOException.class);
        assertThat(wrong).containsExactly("refused server " + Reason.PEER_NOT_AUTHORIZED);
        List<String> unknown = serverEventsOf(null);
        assertThatThrownBy(() -> callByAddress(client, mapping.apply(null))).as("a handle the mapping does not know")
                .isInstanceOf(IOException.class);
        assertThat(unknown).containsExactly("refused server " + Reason.PEER_NOT_AUTHORIZED);
        // without any expected identity, an address cannot be checked at all (MT-4)
        List<String> none = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> callByAddress(client, clientTrust(none))).isInstanceOf(IOException.class);
        assertThat(none).containsExactly("refused server " + Reason.PEER_NOT_AUTHORIZED);
    }

    private final java.util.Map<String, List<String>> eventsByExpectation = new java.util.concurrent.ConcurrentHashMap<>();

    private List<String> serverEventsOf(String id) {
        return eventsByExpectation.computeIfAbsent(String.valueOf(id), k -> new CopyOnWriteArrayList<>());
    }

    @Test
    void MT_7_resumedSessionsAreKeptForFiveMinutesOnly() {
        SSLContext ctx = WimseTls.context(keys(PKI.client(CLIENT_ID)), clientTrust(new CopyOnWriteArrayList<>()));
        assertThat(ctx.getServerSessionContext().getSessionTimeout()).isEqualTo(WimseTls.SESSION_TIMEOUT_SECONDS).isEqualTo(300);
        assertThat(ctx.getClientSessionContext().getSessionTimeout()).isEqualTo(300);
    }

    @Test
    void MT_4_aServerWhoseCertificateDoesNotNameTheDialledHostIsRefused() throws Exception {
        TestCertsAccess.Leaf leaf = PKI.server(SERVER_ID, "elsewhere.example.org");
        WicKeyManager serverKeys = startServer(CallerAuthorizer.any());
        serverKeys.update(leaf.keys().getPrivate(), leaf.chain());
        List<String> events = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> call(keys(PKI.client(CLIENT_ID)), clientTrust(events))).isInstanceOf(IOException.class);
        assertThat(events).containsExactly("refused server " + Reason.PEER_NOT_AUTHORIZED);
    }

    @Test
    void MT_7_aRenewedCertificateIsServedToTheNextHandshakeWithoutARestart() throws Exception {
        WicKeyManager serverKeys = startServer(CallerAuthorizer.any());
        X509Certificate first = serverKeys.currentLeaf();
        WicKeyManager client = keys(PKI.client(CLIENT_ID));
        assertThat(call(client, clientTrust(new CopyOnWriteArrayList<>()))).isEqualTo("hello " + CLIENT_ID);
        TestCertsAccess.Leaf renewed = PKI.server(SERVER_ID, "localhost");
        serverKeys.update(renewed.keys().getPrivate(), renewed.chain());
        assertThat(serverKeys.currentLeaf()).isNotEqualTo(first).isEqualTo(renewed.chain().get(0));
        List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        WicTrustManager recordingClient = WicTrustManager.builder().trust(trust()).clock(CLOCK).listener(new WicTrustManager.Listener() {
            @Override
            public void accepted(String role, VerifiedWic peer) {
                seen.add(peer.leaf());
            }

            @Override
            public void refused(String role, Reason reason, String detail) {
                seen.clear();
            }
        }).build();
        assertThat(call(client, recordingClient)).isEqualTo("hello " + CLIENT_ID);
        assertThat(seen).containsExactly(renewed.chain().get(0));
    }

    @Test
    void KEY_3_anExpiredCredentialIsNeverOffered() {
        TestCertsAccess.Leaf leaf = PKI.client(CLIENT_ID);
        Instant after = leaf.chain().get(0).getNotAfter().toInstant().plusSeconds(1);
        WicKeyManager expired = WicKeyManager.of(leaf.keys().getPrivate(), leaf.chain(), Clock.fixed(after, ZoneOffset.UTC));
        assertThat(expired.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(keys(leaf).chooseClientAlias(new String[] {"EC"}, null, null)).startsWith("wic-");
        KeyPair rsa = TestCertsAccess.rsaKey();
        assertThatThrownBy(() -> expired.update(rsa.getPrivate(), leaf.chain())).isInstanceOf(IllegalArgumentException.class);
    }
}
