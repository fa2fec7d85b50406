package io.wimse4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.client.FileCredentialSource;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.x509.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent with a Kubernetes projected service-account token file ({@code --k8s-token-file}, method
 * {@code kubernetes}) against a real {@code wimse server} configured with a test cluster's issuer, audience
 * and JWKS: one token file serves both the WIT and the WIC (it can be presented again, unlike a join token).
 */
class KubernetesAgentTest {
    static final String ID = "wimse://example.org/ns/prod/payments";
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String AUDIENCE = "wimse-identity-server";

    @TempDir
    Path tmp;
    IdentityServerFixture ids;
    RunningAgent agent;
    final WorkloadKeyPair clusterKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    Path tokenFile;

    @BeforeEach
    void start() throws Exception {
        Path jwks = tmp.resolve("cluster-jwks.json");
        Files.writeString(jwks, "{\"keys\":[" + clusterKey.publicJwk().toJson() + "]}");
        ids = new IdentityServerFixture(tmp.resolve("state"), "--kubernetes-issuer", ISSUER, "--kubernetes-audience", AUDIENCE,
                "--kubernetes-jwks-file", jwks.toString());
        Cli.Result r = ids.admin("register", "--id", ID, "--attestation", "kubernetes,wit,wic", "--wit-ttl", "600",
                "--k8s-namespace", "prod", "--k8s-service-account", "payments");
        assertThat(r.exit()).as(r.err()).isZero();
        tokenFile = tmp.resolve("sa-token");
        Files.writeString(tokenFile, saToken());
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        ids.stop();
    }

    /** A projected service-account token in the real format, signed by the test cluster. */
    String saToken() {
        long now = Instant.now().getEpochSecond();
        ObjectNode c = StrictJson.mapper().createObjectNode().put("iss", ISSUER)
                .put("sub", "system:serviceaccount:prod:payments").put("iat", now).put("nbf", now).put("exp", now + 600);
        c.putArray("aud").add(AUDIENCE);
        ObjectNode k8s = c.putObject("kubernetes.io");
        k8s.put("namespace", "prod");
        k8s.putObject("serviceaccount").put("name", "payments").put("uid", "6f0c4b8e-1d2a-4c59-9a55-7b1a8f3e2d10");
        k8s.putObject("pod").put("name", "payments-7d9f8c6b5-x2x4k").put("uid", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
        return JwsWriter.sign(clusterKey.signer(), "JWT", c);
    }

    @Test
    void witFetchWithAServiceAccountTokenFile() throws Exception {
        Cli.Result r = Cli.run("wit", "fetch", "--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--k8s-token-file", tokenFile.toString(), "--wit-file", tmp.resolve("wit.jwt").toString(),
                "--key-file", tmp.resolve("wit-key.jwk").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.OK);
        WorkloadCredentials c = FileCredentialSource.builder(tmp.resolve("wit.jwt"), tmp.resolve("wit-key.jwk")).build().current();
        assertThat(ids.verifyRequestSignedWith(c).workload().value()).isEqualTo(ID);
        assertThat(r.out() + r.err()).doesNotContain(Files.readString(tokenFile));
    }

    @Test
    void oneServiceAccountTokenFileServesTheWitAndTheWic() throws Exception {
        Path out = tmp.resolve("creds");
        agent = new RunningAgent("--server", ids.baseUri, "--server-ca", ids.ca().toString(), "--k8s-token-file", tokenFile.toString(),
                "--wic", "--id", ID, "--out-dir", out.toString());
        AgentCommandTest.await("the WIT and the WIC", Duration.ofSeconds(20),
                () -> Files.exists(out.resolve("wit.jwt")) && Files.exists(out.resolve("wic.pem")));
        WorkloadCredentials c = FileCredentialSource.builder(out.resolve("wit.jwt"), out.resolve("wit-key.jwk")).build().current();
        assertThat(c.subject().value()).isEqualTo(ID);
        assertThat(io.wimse4j.cli.WicInspectCommand.sans(Pem.readCertificates(out.resolve("wic.pem")).get(0), 6)).containsExactly(ID);
        assertThat(agent.out.toString() + agent.err).doesNotContain(Files.readString(tokenFile));
    }
}
