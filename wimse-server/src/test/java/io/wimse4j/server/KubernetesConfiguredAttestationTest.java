package io.wimse4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code kubernetes} attestation configured the way {@code wimse server} configures it: the
 * cluster's issuer, audience and JWKS file in {@link ServerConfig.KubernetesSettings}, checked by
 * {@link io.wimse4j.server.attest.KubernetesTokenVerifier} inside the running server, with projected
 * service-account tokens in the real format (the {@code kubernetes.io} claim).
 */
class KubernetesConfiguredAttestationTest {
    static final String ISSUER = "https://oidc.cluster.example";
    static final String AUDIENCE = "wimse-identity-server";
    static final String SVC = "wimse://example.org/payments";

    @TempDir
    Path tmp;
    ServerHarness h;
    final WorkloadKeyPair clusterKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);

    @BeforeEach
    void start() throws Exception {
        Path jwks = tmp.resolve("cluster-jwks.json");
        Files.writeString(jwks, "{\"keys\":[" + clusterKey.publicJwk().toJson() + "]}");
        h = new ServerHarness(tmp.resolve("state"),
                b -> b.kubernetes(new ServerConfig.KubernetesSettings(ISSUER, AUDIENCE, jwks)), null);
        h.register(SVC, "\"kubernetes\",\"wit\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    String saToken(WorkloadKeyPair signer, String ns, String sa, String audience) {
        long now = h.clock.instant().getEpochSecond();
        ObjectNode c = StrictJson.mapper().createObjectNode().put("iss", ISSUER)
                .put("sub", "system:serviceaccount:" + ns + ":" + sa).put("iat", now).put("nbf", now).put("exp", now + 600);
        c.putArray("aud").add(audience);
        ObjectNode k8s = c.putObject("kubernetes.io");
        k8s.put("namespace", ns);
        k8s.putObject("serviceaccount").put("name", sa).put("uid", "6f0c4b8e-1d2a-4c59-9a55-7b1a8f3e2d10");
        k8s.putObject("pod").put("name", sa + "-7d9f8c6b5-x2x4k").put("uid", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
        return JwsWriter.sign(signer.signer(), "JWT", c);
    }

    HttpResponse<String> issue(WorkloadKeyPair key, String token) throws Exception {
        return h.post("/v1/wit", "application/json", ServerHarness.body(key, h.proof(key, c -> c.put("sub", SVC)),
                "{\"method\":\"kubernetes\",\"token\":\"" + token + "\"}"), Map.of());
    }

    @Test
    void aProjectedServiceAccountTokenCheckedByTheConfiguredVerifierGetsAWit() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> r = issue(key, saToken(clusterKey, "prod", "payments", AUDIENCE));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain("example.org"), h.get("/.well-known/jwks.json").body());
        var wit = WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(h.clock).build()
                .verify(json(r.body()).get("wit").textValue());
        assertThat(wit.subject().value()).isEqualTo(SVC);
        assertThat(wit.confirmationKey().thumbprint()).isEqualTo(key.publicJwk().thumbprint());
    }

    @Test
    void aWitObtainedWithAServiceAccountTokenIsRenewedWithTheWitItself() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> first = issue(k1, saToken(clusterKey, "prod", "payments", AUDIENCE));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        HttpResponse<String> renewed = h.renew(json(first.body()).get("wit").textValue(), k1, k2);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain("example.org"), h.get("/.well-known/jwks.json").body());
        var wit = WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(h.clock).build()
                .verify(json(renewed.body()).get("wit").textValue());
        assertThat(wit.subject().value()).isEqualTo(SVC);
        assertThat(wit.confirmationKey().thumbprint()).isEqualTo(k2.publicJwk().thumbprint());
    }

    @Test
    void aTokenSignedByAnotherClusterIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        WorkloadKeyPair otherCluster = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        assertProblem(issue(key, saToken(otherCluster, "prod", "payments", AUDIENCE)), 400, "attestation-failed");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(issue(key, saToken(clusterKey, "prod", "payments", "https://kubernetes.default.svc")), 400,
                "attestation-failed");
    }
}
