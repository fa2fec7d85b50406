package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.server.internal.StateDir;
import io.wimse4j.server.internal.WorkloadCa;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.x509.CertificateRequests;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The trust domain's workload CA: created on the first start in the state directory (key owner-only),
 * the same after a restart, separate from the server's TLS CA, published as PEM at
 * {@code GET /v1/x509-bundle.pem} and as an {@code x509-svid} entry of the SPIFFE bundle.
 */
class WorkloadCaTest {
    static final String SVC = "wimse://example.org/svc";
    static final TrustDomain TD = new TrustDomain(ServerHarness.TD);

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\"", null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    List<X509Certificate> issueChain() throws Exception {
        String csr = CertificateRequests.createPem(KeyType.EC_P256.generate(), WorkloadIdentifier.parse(SVC), List.of());
        HttpResponse<String> r = h.post("/v1/wic", "application/json", WicIssuanceTest.body(csr,
                WicIssuanceTest.joinToken(h.joinToken(SVC))), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Pem.certificates(json(r.body()).get("certificate_chain").textValue());
    }

    @Test
    void MT_1_theBundleEndpointServesTheWorkloadCaNotTheTlsCa() throws Exception {
        HttpResponse<String> r = h.get("/v1/x509-bundle.pem");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pem-certificate-chain");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        List<X509Certificate> anchors = Pem.certificates(r.body());
        assertThat(anchors).hasSize(1);
        X509Certificate ca = anchors.get(0);
        assertThat(ca.getBasicConstraints()).isEqualTo(0);
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ca.getSubjectX500Principal().getName()).contains("example.org workload CA");
        assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()))
                .isGreaterThanOrEqualTo(WorkloadCa.VALIDITY);
        assertThat(r.body()).isEqualTo(h.server().workloadCaPem());
        assertThat(ca).isNotEqualTo(Pem.certificate(h.server().caPem()));
        assertThat(h.send(HttpRequest.newBuilder(h.url("/v1/x509-bundle.pem")).POST(HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).isEqualTo(405);

        // a WIC validates against it, never against the TLS CA (MT-1: the trust domain's own anchors)
        List<X509Certificate> chain = issueChain();
        WicValidator tlsAnchors = WicValidator.builder().clock(h.clock).forClients()
                .trust(X509TrustSource.of(X509TrustBundle.fromPem(TD, h.server().caPem()))).build();
        assertThatThrownBy(() -> tlsAnchors.validate(chain)).isInstanceOf(io.wimse4j.core.error.WimseException.class);
    }

    @Test
    void KEY_1_theWorkloadCaSurvivesARestartAndItsKeyIsOwnerOnly() throws Exception {
        String before = h.get("/v1/x509-bundle.pem").body();
        List<X509Certificate> chain = issueChain();
        Path key = h.stateDir.resolve(WorkloadCa.KEY);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(StateDir.FILE_PERMS);
        assertThat(Files.getPosixFilePermissions(h.stateDir.resolve(WorkloadCa.CERT))).isEqualTo(StateDir.FILE_PERMS);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(h.stateDir.resolve("audit.log"))).doesNotContain("PRIVATE");

        h.restart();
        String after = h.get("/v1/x509-bundle.pem").body();
        assertThat(after).isEqualTo(before);
        // a WIC issued before the restart still validates against the bundle served after it
        WicValidator v = WicValidator.builder().clock(h.clock).forServers()
                .trust(X509TrustSource.of(X509TrustBundle.fromPem(TD, after))).build();
        assertThat(v.validate(chain).identifier().value()).isEqualTo(SVC);
        // and new ones are signed by the same CA
        assertThat(issueChain().get(1)).isEqualTo(Pem.certificate(before));
    }

    @Test
    void KEY_1_aCaCertificateWhoseKeyIsGoneRefusesTheStart() throws Exception {
        h.close();
        Files.delete(h.stateDir.resolve(WorkloadCa.KEY));
        assertThatThrownBy(h::start).hasMessageContaining(WorkloadCa.CERT);
        // a key without its certificate (a crash between the two writes) is replaced by a new CA
        Files.delete(h.stateDir.resolve(WorkloadCa.CERT));
        Files.writeString(h.stateDir.resolve(WorkloadCa.KEY), "stale");
        h.start();
        assertThat(Pem.certificates(h.get("/v1/x509-bundle.pem").body())).hasSize(1);
        assertThat(issueChain()).hasSize(2);
    }

    @Test
    void ALG_2_theSpiffeBundleHoldsTheWorkloadCaAsAnX509SvidEntry() throws Exception {
        HttpResponse<String> r = h.get(ServerHandler.SPIFFE_BUNDLE_PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = json(r.body());
        JsonNode x509 = null;
        int witKeys = 0;
        for (JsonNode k : doc.get("keys")) {
            if (k.get("use").textValue().equals("x509-svid")) {
                assertThat(x509).as("one x509-svid entry").isNull();
                x509 = k;
            } else {
                assertThat(k.get("use").textValue()).isEqualTo("wit-svid");
                witKeys++;
            }
        }
        assertThat(witKeys).isEqualTo(1);
        assertThat(x509).isNotNull();
        X509Certificate ca = Pem.certificate(h.server().workloadCaPem());
        // SPIFFE Trust Domain and Bundle 4.2.1: x5c holds exactly the CA certificate, the key is its key
        assertThat(x509.get("x5c")).hasSize(1);
        assertThat(Base64.getDecoder().decode(x509.get("x5c").get(0).textValue())).isEqualTo(ca.getEncoded());
        assertThat(x509.get("kty").textValue()).isEqualTo("EC");
        assertThat(x509.get("crv").textValue()).isEqualTo("P-256");
        assertThat(x509.has("x") && x509.has("y")).isTrue();
        assertThat(x509.has("kid")).isFalse();
        assertThat(x509.has("d")).isFalse();

        // core still reads the bundle, as WIT keys only (x509-svid entries are not WIT keys)
        TrustBundle asJwks = TrustBundle.fromJwks(TD, r.body());
        TrustBundle asSpiffe = TrustBundle.fromSpiffeBundle(TD, r.body());
        assertThat(asJwks.keys()).hasSize(1);
        assertThat(asSpiffe.keys()).hasSize(1);
        assertThat(asJwks.keys().get(0).keyId()).isEqualTo(asSpiffe.keys().get(0).keyId());

        // the same CA after a restart changes no sequence number
        long sequence = doc.get("spiffe_sequence").longValue();
        h.clock.advance(Duration.ofSeconds(5));
        h.restart();
        assertThat(json(h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body()).get("spiffe_sequence").longValue()).isEqualTo(sequence);
        assertThat(h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body()).isEqualTo(r.body());
    }
}
