package io.wimse4j.resilience.load;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.demo.DemoService;
import io.wimse4j.demo.TestPki;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicKeyManager;
import io.wimse4j.x509.tls.WicTrustManager;
import io.wimse4j.x509.tls.WimseTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo service ({@link DemoService}, its {@code WimseFilter} and echo servlet on Jetty) under sustained
 * concurrent load over real TLS sockets on loopback, one credential kind per test, each driven by
 * {@link LoadSettings#threads()} client threads (8 by default, each its own workload
 * {@code wimse://example.org/svc/caller-<i>}) for {@link LoadSettings#duration()}: WIT + WPT in the wpt-02
 * {@code Authorization: WPT} transport (P2-1) and in the seed drafts' {@code Workload-Proof-Token} header,
 * HTTP Message Signatures with the WIT (HS-8: every nonce fresh, checked against the replay cache), and
 * mutual TLS with a Workload Identity Certificate (WIC-4). Proofs are made on the system clock, each request
 * with a fresh one (V-9: every one goes through the replay cache). Asserted: every answer is 200 naming the
 * caller (zero unexpected outcomes, transport failures included). Reported, not asserted: latency
 * percentiles and the heap ({@link LoadReport}).
 */
class DemoServiceLoadTest {
    static final int THREADS = LoadSettings.threads();
    static final Duration DURATION = LoadSettings.duration();
    static final int WARM_UP = 100;

    static Callers callers;
    static TestPki pki;
    static DemoService service;
    static HttpClient http;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        callers = new Callers(THREADS, Clock.systemUTC());
        service = DemoService.builder().trust(callers.bundle()).externalBaseUri(Echo.BASE).tls(pem.cert(), pem.key())
                .build().start();
        http = Echo.http(pki.clientContext());
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void P2_1_wptInTheAuthorizationHeaderUnderLoad() throws Exception {
        wpt(WptTransport.AUTHORIZATION, "WIT + WPT, Authorization: WPT (wpt-02)");
    }

    @Test
    void V_9_wptInTheSeedDraftHeaderUnderLoad() throws Exception {
        wpt(WptTransport.WORKLOAD_PROOF_TOKEN, "WIT + WPT, Workload-Proof-Token (seed)");
    }

    private void wpt(WptTransport transport, String kind) throws Exception {
        SigningHttpClient[] clients = new SigningHttpClient[THREADS];
        for (int t = 0; t < THREADS; t++) {
            RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(callers.credentials.get(t)))
                    .proofCreator(WptCreator.create(Clock.systemUTC(), Duration.ofSeconds(60)))
                    .audience(u -> Echo.BASE + u.getRawPath()).transport(transport).build();
            clients[t] = SigningHttpClient.builder().httpClient(http).signer(signer).build();
        }
        LoadRun.Result r = LoadRun.run(kind, THREADS, DURATION, WARM_UP, (t, seq) -> {
            HttpRequest req = Echo.request(service.localUri(), seq);
            long t0 = System.nanoTime();
            HttpResponse<String> resp = clients[t].send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            long ns = System.nanoTime() - t0;
            if (resp.request().headers().firstValue(transport.headerName()).isEmpty()) {
                return LoadRun.Sample.unexpected(ns, "the proof was not sent in " + transport.headerName());
            }
            return Echo.judge(ns, resp, Callers.id(t));
        });
        assertAllEchoed(r, "the signer makes a WPT per request (client side, included)");
    }

    @Test
    void HS_8_httpMessageSignaturesUnderLoad() throws Exception {
        HttpSignatureVerifier responses = HttpSignatureVerifier.builder().trust(io.wimse4j.core.key.TrustBundleSet.of(callers.bundle()))
                .build();
        SigningHttpClient[] clients = new SigningHttpClient[THREADS];
        for (int t = 0; t < THREADS; t++) {
            HttpSignatureSigner signer = HttpSignatureSigner.builder(CredentialSource.fixed(callers.credentials.get(t)))
                    .audience(u -> Echo.BASE + u.getRawPath()).build();
            clients[t] = SigningHttpClient.builder().httpClient(http).httpSignatures(signer, responses).build();
        }
        LoadRun.Result r = LoadRun.run("HTTP Message Signatures (RFC 9421) + WIT", THREADS, DURATION, WARM_UP, (t, seq) -> {
            HttpRequest req = Echo.request(service.localUri(), seq);
            long t0 = System.nanoTime();
            HttpResponse<String> resp = clients[t].send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            long ns = System.nanoTime() - t0;
            if (resp.request().headers().firstValue("Signature-Input").isEmpty()) {
                return LoadRun.Sample.unexpected(ns, "the request was not signed");
            }
            return Echo.judge(ns, resp, Callers.id(t));
        });
        assertAllEchoed(r, "signature per request, Content-Digest on POSTs (client side, included)");
    }

    @Test
    void WIC_4_mutualTlsWithAWicUnderLoad(@TempDir Path dir) throws Exception {
        HeldCertificate ca = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
        String serverId = "wimse://example.org/svc/echo";
        HeldCertificate server = HeldCertificate.builder().uri(serverId).dnsName("localhost").usages(WicUsage.SERVER)
                .signedBy(ca).build();
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.of(Callers.TD, List.of(ca.certificate())));
        Path cert = Files.writeString(dir.resolve("server.pem"), server.chainPem());
        Path key = Files.createFile(dir.resolve("server.key.pem"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, server.privateKeyPem());
        HttpClient[] clients = new HttpClient[THREADS];
        for (int t = 0; t < THREADS; t++) {
            HeldCertificate wic = HeldCertificate.builder().uri(Callers.id(t)).usages(WicUsage.CLIENT).signedBy(ca).build();
            WicTrustManager serverTrust = WicTrustManager.builder().trust(trust).clock(Clock.systemUTC())
                    .expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(serverId))).build();
            clients[t] = Echo.http(WimseTls.context(WicKeyManager.of(wic.keyPair().getPrivate(), wic.chain(), Clock.systemUTC()),
                    serverTrust));
        }
        try (DemoService mtls = DemoService.builder().externalBaseUri(Echo.BASE).tls(cert, key).mutualTls(trust).build().start()) {
            LoadRun.Result r = LoadRun.run("mutual TLS with a WIC", THREADS, DURATION, WARM_UP, (t, seq) -> {
                HttpRequest req = Echo.request(mtls.localUri(), seq);
                long t0 = System.nanoTime();
                HttpResponse<String> resp = clients[t].send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return Echo.judge(System.nanoTime() - t0, resp, Callers.id(t));
            });
            long handshakes = mtls.handshakes().count("accepted client");
            assertAllEchoed(r, "kept-alive connections: " + handshakes + " client handshakes accepted");
            assertThat(mtls.handshakes().counts()).as("no handshake refused or failed").containsOnlyKeys("accepted client");
            assertThat(handshakes).isBetween((long) THREADS, r.requests() + (long) WARM_UP * THREADS);
        }
    }

    static void assertAllEchoed(LoadRun.Result r, String note) {
        LoadReport.add(r, note);
        assertThat(r.unexpected()).as("unexpected outcomes, first: %s", r.firstUnexpected()).isZero();
        assertThat(r.requests()).as("requests made").isGreaterThanOrEqualTo(r.threads());
        assertThat(r.outcomes()).as("outcomes").containsOnlyKeys("200");
        assertThat(r.outcome("200")).isEqualTo(r.requests());
    }
}
