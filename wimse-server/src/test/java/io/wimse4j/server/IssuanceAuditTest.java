package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each stage of an issuance (body, proof, attestation, the checks of the attested identifier, the
 * proof's single use, the WIT) refuses with its problem code and writes its audit line: the method
 * once the body named a known one, the {@code sub} once an attestation succeeded, a {@code jti}
 * only for an issued WIT. One row per refusal.
 */
class IssuanceAuditTest {
    static final String SVC = "wimse://example.org/svc";
    static final String JOIN_ONLY = "wimse://example.org/join-only";
    static final String GONE = "wimse://example.org/gone";
    static final String OTHER = "wimse://example.org/other";

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wit\"", null);
        h.register(JOIN_ONLY, "\"join_token\"", null);
        h.register(GONE, "\"join_token\",\"wit\"", null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @FunctionalInterface
    interface Request {
        HttpResponse<String> send() throws Exception;
    }

    /** One refusal: the request, its problem code (or {@code issued}), and the audit line's method and sub. */
    record Row(String name, Request request, String result, String method, String sub) {
    }

    JsonNode lastAuditLine() throws Exception {
        List<String> lines = Files.readAllLines(h.stateDir.resolve("audit.log"));
        return json(lines.get(lines.size() - 1));
    }

    HttpResponse<String> issue(WorkloadKeyPair key, String proof, String attestation) throws Exception {
        return h.post("/v1/wit", "application/json", ServerHarness.body(key, proof, attestation), Map.of());
    }

    String joinAttestation(String id) throws Exception {
        return "{\"method\":\"join_token\",\"token\":\"" + h.joinToken(id) + "\"}";
    }

    String witOf(String id, WorkloadKeyPair key) throws Exception {
        HttpResponse<String> r = h.issueWithJoinToken(key, h.joinToken(id));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body()).get("wit").textValue();
    }

    @Test
    void everyStageRefusesWithItsProblemAndAuditsWhatItKnew() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        WorkloadKeyPair joinOnlyKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String joinOnlyWit = witOf(JOIN_ONLY, joinOnlyKey);
        WorkloadKeyPair goneKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String goneWit = witOf(GONE, goneKey);
        String replayedProof = h.proof(key, c -> { });

        List<Row> rows = List.of(
                new Row("not JSON", () -> h.post("/v1/wit", "application/json", "nope", Map.of()),
                        "malformed-request", "-", null),
                new Row("unknown method", () -> issue(key, h.proof(key, c -> { }), "{\"method\":\"x509\"}"),
                        "unknown-attestation-method", "-", null),
                new Row("proof for another audience",
                        () -> issue(key, h.proof(key, c -> c.put("aud", "https://elsewhere/v1/wit")), joinAttestation(SVC)),
                        "invalid-proof", "join_token", null),
                new Row("no join token", () -> issue(key, h.proof(key, c -> { }), "{\"method\":\"join_token\"}"),
                        "malformed-request", "join_token", null),
                new Row("unknown join token",
                        () -> issue(key, h.proof(key, c -> { }), "{\"method\":\"join_token\",\"token\":\"nope\"}"),
                        "join-token-invalid", "join_token", null),
                new Row("renewal without a WIT", () -> issue(key, h.proof(key, c -> { }), "{\"method\":\"wit\"}"),
                        "missing-wit", "wit", null),
                new Row("kubernetes not configured",
                        () -> issue(key, h.proof(key, c -> { }), "{\"method\":\"kubernetes\",\"token\":\"t\"}"),
                        "attestation-failed", "kubernetes", null),
                new Row("proof names another identifier",
                        () -> issue(key, h.proof(key, c -> c.put("sub", OTHER)), joinAttestation(SVC)),
                        "attestation-failed", "join_token", SVC),
                new Row("method not allowed for the identifier",
                        () -> h.renew(joinOnlyWit, joinOnlyKey, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)),
                        "method-not-allowed-for-identifier", "wit", JOIN_ONLY),
                new Row("issued", () -> issue(key, replayedProof, joinAttestation(SVC)), "issued", "join_token", SVC),
                new Row("proof replayed", () -> issue(key, replayedProof, joinAttestation(SVC)),
                        "proof-replayed", "join_token", SVC),
                new Row("identifier no longer registered", () -> {
                    h.admin("DELETE", "/admin/v1/registrations?id=" + GONE, null);
                    return h.renew(goneWit, goneKey, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA));
                }, "unregistered-identifier", "wit", GONE),
                new Row("WIT of an earlier registration", () -> {
                    h.clock.advance(java.time.Duration.ofSeconds(1));
                    h.register(GONE, "\"join_token\",\"wit\"", null);
                    return h.renew(goneWit, goneKey, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA));
                }, "attestation-failed", "wit", GONE));

        for (Row row : rows) {
            HttpResponse<String> r = row.request().send();
            JsonNode line = lastAuditLine();
            if (row.result().equals("issued")) {
                assertThat(r.statusCode()).as(row.name() + ": " + r.body()).isEqualTo(200);
                assertThat(line.get("jti").textValue()).as(row.name()).isEqualTo(json(r.body()).get("jti").textValue());
            } else {
                // a renewal with no WIT or no proof is a credential failure without a transport: 401 with the
                // wpt-02 challenge (P2-4); every other refusal of the issuance is 400
                assertProblem(r, row.result().startsWith("missing-") ? 401 : 400, row.result());
                assertThat(line.get("jti").isNull()).as(row.name()).isTrue();
            }
            assertThat(line.get("result").textValue()).as(row.name()).isEqualTo(row.result());
            assertThat(line.get("method").textValue()).as(row.name()).isEqualTo(row.method());
            if (row.sub() == null) {
                assertThat(line.get("sub").isNull()).as(row.name()).isTrue();
            } else {
                assertThat(line.get("sub").textValue()).as(row.name()).isEqualTo(row.sub());
            }
        }
    }
}
