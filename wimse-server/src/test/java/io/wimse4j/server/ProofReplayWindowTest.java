package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.server.testing.TestServiceAccountVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * V-9 / C2-5 for the Identity Server's proof of possession: a proof is accepted while now is before
 * {@code exp} + leeway, and its {@code jti} is remembered until then. A request checked just before
 * that instant whose attestation takes longer (a remote TokenReview, say) reaches the replay cache
 * after the first use's entry may be gone: such a request must be refused, as core's
 * {@code RequestVerifier} does, or a captured issuance request (Kubernetes evidence can be presented
 * again) is accepted twice.
 */
class ProofReplayWindowTest {
    static final String SVC = "wimse://example.org/payments";

    @TempDir
    Path tmp;
    ServerHarness h;
    TestServiceAccountVerifier cluster;
    /** How long the cluster takes to answer; the harness clock moves by this much inside each verification. */
    volatile Duration attestationTime = Duration.ZERO;

    @BeforeEach
    void start() throws Exception {
        var holder = new TestServiceAccountVerifier[1];
        h = new ServerHarness(tmp.resolve("state"), b -> { }, jwt -> {
            h.clock.advance(attestationTime);
            return holder[0].verify(jwt);
        });
        cluster = new TestServiceAccountVerifier(h.clock);
        holder[0] = cluster;
        h.register(SVC, "\"kubernetes\"", "\"kubernetes\":{\"namespace\":\"prod\",\"service_account\":\"payments\"}");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aProofWhoseJtiWasUsedIsRefusedEvenWhenItExpiresWhileTheRequestIsChecked() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        // exp = now + 60, leeway 60 s: accepted until now + 120 (exclusive), jti remembered until then
        String body = ServerHarness.body(key, h.proof(key, c -> { }),
                "{\"method\":\"kubernetes\",\"token\":\"" + cluster.token("prod", "payments") + "\"}");
        HttpResponse<String> first = h.post("/v1/wit", "application/json", body, Map.of());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        // the same request again, checked one second before the proof expires, attested in three
        h.clock.advance(Duration.ofSeconds(119));
        attestationTime = Duration.ofSeconds(3);
        assertProblem(h.post("/v1/wit", "application/json", body, Map.of()), 400, "invalid-proof");
    }
}
