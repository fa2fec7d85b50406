package io.wimse4j.demo;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.wimse4j.demo.Workload.assertEcho;
import static io.wimse4j.demo.Workload.assertProblem;
import static io.wimse4j.demo.Workload.request;
import static io.wimse4j.demo.Workload.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo service end to end over real sockets: a {@link SigningHttpClient} calls it over a real
 * TLS handshake (a test CA and leaf made with BouncyCastle, the client trusting only that CA) and
 * over explicit plain HTTP, and gets its identifier echoed; the very same request sent again is a
 * replay (V-9).
 */
class DemoServiceTest {
    @TempDir
    Path dir;

    private final Workload w = new Workload();
    private DemoService service;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void SEC_1_tlsCallIsEchoedAndItsReplayRejected() throws Exception {
        TestPki pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        service = w.service().tls(pem.cert(), pem.key()).build().start();
        assertThat(service.localUri().getScheme()).isEqualTo("https");
        SigningHttpClient client = w.client(service, pki.clientContext());

        HttpResponse<String> get = send(client, request(service, "/echo").GET().build());
        assertEcho(get, "GET", "/echo");
        assertThat(get.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));

        HttpResponse<String> post = send(client, request(service, "/echo?x=1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":1}")).build());
        assertEcho(post, "POST", "/echo");

        // The same WIT + WPT headers once more: the proof's jti was used (V-9).
        HttpRequest again = Workload.sameHeadersAgain(get);
        // the client signs with the wpt-02 transport: the proof is in Authorization, and a replay is a
        // credential failure answered 401 with the WPT challenge (P2-4)
        assertThat(again.headers().firstValue("Authorization")).isEqualTo(get.request().headers().firstValue("Authorization"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("WPT "));
        assertProblem(send(Workload.http(pki.clientContext()), again), Reason.REPLAY, 401);
    }

    @Test
    void SEC_1_aClientNotTrustingTheServerCaCannotConnect() throws Exception {
        TestPki pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        service = w.service().tls(pem.cert(), pem.key()).build().start();
        SigningHttpClient stranger = w.client(service, TestPki.create().clientContext());
        assertThatThrownBy(() -> send(stranger, request(service, "/echo").GET().build()))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e).isInstanceOfAny(SSLHandshakeException.class)
                        .hasMessageContaining("PKIX"));
    }

    @Test
    void SEC_1_theClientValidatesTheServerName() throws Exception {
        TestPki pki = TestPki.createFor("other.example.org");
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        service = w.service().tls(pem.cert(), pem.key()).build().start();
        // Trusted CA, but the certificate does not name 127.0.0.1: the handshake fails, no token is sent.
        assertThatThrownBy(() -> send(w.client(service, pki.clientContext()), request(service, "/echo").GET().build()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void insecureHttpCallIsEchoedAndItsReplayRejected() throws Exception {
        service = w.service().insecureHttp().build().start();
        assertThat(service.localUri().getScheme()).isEqualTo("http");
        assertThat(service.localUri().getHost()).isEqualTo("127.0.0.1");
        SigningHttpClient client = w.client(service, null);

        HttpResponse<String> r = send(client, request(service, "/echo").GET().build());
        assertEcho(r, "GET", "/echo");
        assertProblem(send(Workload.http(null), Workload.sameHeadersAgain(r)), Reason.REPLAY, 401);
    }

    @Test
    void V_6_proofForTheLocalAddressInsteadOfTheExternalBaseUriIsRejected() throws Exception {
        service = w.service().insecureHttp().build().start();
        String local = service.localUri() + "/echo";
        HttpResponse<String> r = send(Workload.http(null), request(service, "/echo")
                .header("Workload-Identity-Token", w.f.wit)
                .header("Workload-Proof-Token", w.f.wpt(local, io.wimse4j.core.wpt.ProofBindings.NONE)).GET().build());
        assertProblem(r, Reason.AUDIENCE_MISMATCH);
    }

    @Test
    void unsignedRequestIsRejectedWithMissingWit() throws Exception {
        service = w.service().insecureHttp().build().start();
        // no credential at all: 401 with the wpt-02 challenge (P2-4)
        assertProblem(send(Workload.http(null), request(service, "/echo").GET().build()), Reason.MISSING_WIT, 401);
    }

    @Test
    void withoutTheFilterTheEchoHasNoCaller() throws Exception {
        service = w.service().insecureHttp().withoutFilterForBenchmarkOnly().build().start();
        HttpResponse<String> r = send(Workload.http(null), request(service, "/echo").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Workload.json(r.body()).get("workload").isNull()).isTrue();
        assertThat(Workload.json(r.body()).get("path").asText()).isEqualTo("/echo");
    }

    @Test
    void otherPathsAreNotFoundOnceAuthenticated() throws Exception {
        service = w.service().insecureHttp().build().start();
        HttpResponse<String> r = send(w.client(service, null), request(service, "/other").GET().build());
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
