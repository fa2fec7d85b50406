package io.wimse4j.server;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.server.testing.TestServiceAccountVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code kubernetes} attestation method, with service-account tokens signed by a test cluster key. */
class KubernetesAttestationTest {
    static final String SVC = "wimse://example.org/payments";

    @TempDir
    Path tmp;
    ServerHarness h;
    TestServiceAccountVerifier cluster;

    @BeforeEach
    void start() throws Exception {
        var holder = new TestServiceAccountVerifier[1];
        Consumer<ServerConfig.Builder> none = b -> { };
        // the verifier must share the harness clock: create the harness first with a delegating verifier
        h = new ServerHarness(tmp.resolve("state"), none, jwt -> holder[0].verify(jwt));
        cluster = new TestServiceAccountVerifier(h.clock);
        holder[0] = cluster;
        h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
        h.register("wimse://example.org/other", "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"other\"}");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    HttpResponse<String> issue(WorkloadKeyPair key, String saToken, Consumer<com.fasterxml.jackson.databind.node.ObjectNode> proofClaims)
            throws Exception {
        return h.post("/v1/wit", "application/json", ServerHarness.body(key, h.proof(key, proofClaims),
                "{\"method\":\"kubernetes\",\"token\":\"" + saToken + "\"}"), Map.of());
    }

    @Test
    void serviceAccountTokenSelectsTheRegistration() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> r = issue(key, cluster.token("prod", "payments"), c -> c.put("sub", SVC));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain("example.org"), h.get("/.well-known/jwks.json").body());
        var wit = WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(h.clock).build()
                .verify(json(r.body()).get("wit").textValue());
        assertThat(wit.subject().value()).isEqualTo(SVC);
    }

    @Test
    void WIC_4_aServiceAccountTokenObtainsAWicForItsRegistration() throws Exception {
        java.security.KeyPair keys = io.wimse4j.x509.KeyType.EC_P256.generate();
        String csr = WicIssuanceTest.pemCsr(keys, SVC, java.util.List.of());
        HttpResponse<String> r = h.post("/v1/wic", "application/json", WicIssuanceTest.body(csr,
                "{\"method\":\"kubernetes\",\"token\":\"" + cluster.token("prod", "payments") + "\"}"), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var chain = io.wimse4j.x509.Pem.certificates(json(r.body()).get("certificate_chain").textValue());
        assertThat(chain.get(0).getPublicKey()).isEqualTo(keys.getPublic());
        var trust = io.wimse4j.x509.X509TrustSource.of(io.wimse4j.x509.X509TrustBundle.fromPem(new TrustDomain("example.org"),
                h.get("/v1/x509-bundle.pem").body()));
        assertThat(io.wimse4j.x509.WicValidator.builder().trust(trust).clock(h.clock).forClients().build().validate(chain)
                .identifier().value()).isEqualTo(SVC);
        // the service account of another registration cannot obtain this identifier's WIC (WIC-2)
        HttpResponse<String> other = h.post("/v1/wic", "application/json", WicIssuanceTest.body(
                WicIssuanceTest.pemCsr(io.wimse4j.x509.KeyType.EC_P256.generate(), SVC, java.util.List.of()),
                "{\"method\":\"kubernetes\",\"token\":\"" + cluster.token("prod", "other") + "\"}"), Map.of());
        assertProblem(other, 400, "invalid-identifier");
    }

    @Test
    void serviceAccountMappedToAnotherIdentifierIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(issue(key, cluster.token("prod", "other"), c -> c.put("sub", SVC)), 400, "attestation-failed");
    }

    @Test
    void unmappedServiceAccountIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(issue(key, cluster.token("dev", "payments"), c -> { }), 400, "unregistered-identifier");
    }

    @Test
    void tokenSignedByAnotherKeyOrForAnotherAudienceIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        WorkloadKeyPair rogue = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        assertProblem(issue(key, cluster.token(rogue, "prod", "payments", TestServiceAccountVerifier.AUDIENCE), c -> { }),
                400, "attestation-failed");
        assertProblem(issue(key, cluster.tokenForAudience("prod", "payments", "other-audience"), c -> { }),
                400, "attestation-failed");
    }

    @Test
    void kubernetesMethodNotAllowedByRegistrationIsRefused() throws Exception {
        h.register("wimse://example.org/joiner", "\"join_token\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"joiner\"}");
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(issue(key, cluster.token("prod", "joiner"), c -> { }), 400, "method-not-allowed-for-identifier");
    }

    @Test
    void ID_3_aRegistrationOutsideTheTrustDomainInTheStateIsRefusedAsSuch() throws Exception {
        // a state directory carried over from another trust domain (or edited by hand) maps a
        // service account to an identifier this server must never issue for
        h.server().close();
        java.nio.file.Files.writeString(h.stateDir.resolve(io.wimse4j.server.internal.RegistrationStore.FILE),
                "{\"registrations\":[{\"id\":\"wimse://evil.example/x\",\"attestation\":[\"kubernetes\"],"
                        + "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}}]}");
        h.start();
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(issue(key, cluster.token("prod", "payments"), c -> { }), 400, "identifier-outside-trust-domain");
    }
}
