package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALG-1 for the Identity Server, over real HTTPS: a workload registers (first issuance with a join
 * token) and renews with an {@code Ed25519}-named public key exactly as with an {@code EdDSA} one,
 * the issued WIT's {@code cnf.jwk.alg} is the name the workload chose, the two names never stand in
 * for each other in the proof of possession or the renewal's WPT (V-3), and a server configured with
 * {@code key-alg Ed25519} signs and publishes under that name. One rule per named row; the core's
 * rows are {@code wimse-core}'s {@code AlgorithmRulesTest}.
 */
class AlgorithmRulesServerTest {
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    static Path tmp;
    /** A server signing with its default, ES256. */
    static ServerHarness es256Server;
    /** A server configured with {@code key-alg Ed25519}. */
    static ServerHarness ed25519Server;

    @BeforeAll
    static void start() throws Exception {
        es256Server = new ServerHarness(tmp.resolve("es256"));
        es256Server.register(SVC, "\"join_token\",\"wit\"", null);
        ed25519Server = new ServerHarness(tmp.resolve("ed25519"), b -> b.keyAlgorithm(JwsAlgorithm.Ed25519), null);
        ed25519Server.register(SVC, "\"join_token\",\"wit\"", null);
    }

    @AfterAll
    static void stop() {
        if (es256Server != null) {
            es256Server.close();
        }
        if (ed25519Server != null) {
            ed25519Server.close();
        }
    }

    /** One check against the running servers; it fails the row by throwing. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    record Row(String name, Check check) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void ALG_1_theIdentityServer(Row row) throws Exception {
        row.check().run();
    }

    static List<Row> rows() {
        return List.of(
                new Row("ALG-1 join-token issuance for a public_jwk with alg Ed25519 → 200, cnf.jwk.alg Ed25519, "
                        + "verified with the served JWKS", () -> {
                    WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    VerifiedWit wit = issued(es256Server, key);
                    assertThat(wit.confirmationAlgorithm()).isEqualTo(JwsAlgorithm.Ed25519);
                    assertThat(wit.confirmationKey().toMap()).isEqualTo(key.publicJwk().toMap()).containsEntry("alg", "Ed25519");
                }),
                new Row("ALG-1 join-token issuance for a public_jwk with alg EdDSA → 200, cnf.jwk.alg EdDSA (unchanged)", () -> {
                    WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
                    assertThat(issued(es256Server, key).confirmationAlgorithm()).isEqualTo(JwsAlgorithm.EdDSA);
                }),
                new Row("ALG-1 renewal with an Ed25519 WIT and an Ed25519 WPT, for a new Ed25519 key → 200", () -> {
                    WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    String wit1 = issued(es256Server, k1).token();
                    WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    HttpResponse<String> r = es256Server.renew(wit1, k1, k2);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    VerifiedWit wit2 = verifier(es256Server).verify(json(r.body()).get("wit").textValue());
                    assertThat(wit2.confirmationKey().toMap()).isEqualTo(k2.publicJwk().toMap());
                }),
                new Row("ALG-1 renewal of an Ed25519 WIT with an EdDSA-named WPT from the same key → 400 alg-mismatch (V-3)", () -> {
                    WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    String wit1 = issued(es256Server, k1).token();
                    // WorkloadCredentials refuses to pair an EdDSA signer with this WIT, so the proof is made by hand
                    WorkloadKeyPair asEdDsa = renamed(k1, "EdDSA");
                    assertThatThrownBy(() -> WorkloadCredentials.of(wit1, asEdDsa.signer()))
                            .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALG_MISMATCH));
                    String wpt = handMadeWpt(es256Server, wit1, asEdDsa);
                    assertThat(part(wpt, 0).get("alg").textValue()).isEqualTo("EdDSA");
                    WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    assertProblem(es256Server.post("/v1/wit", "application/json",
                            ServerHarness.body(k2, es256Server.proof(k2, c -> { }), "{\"method\":\"wit\"}"),
                            Map.of("Workload-Identity-Token", wit1, "Workload-Proof-Token", wpt)), 400, Reason.ALG_MISMATCH.code());
                    // the same hand-made proof under the WIT's own name is accepted: only the name differed
                    WorkloadKeyPair k3 = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    assertThat(es256Server.post("/v1/wit", "application/json",
                            ServerHarness.body(k3, es256Server.proof(k3, c -> { }), "{\"method\":\"wit\"}"),
                            Map.of("Workload-Identity-Token", wit1, "Workload-Proof-Token", handMadeWpt(es256Server, wit1, k1)))
                            .statusCode()).isEqualTo(200);
                }),
                new Row("ALG-1 proof of possession with alg EdDSA for a public_jwk declaring Ed25519 (the same key) → 400 "
                        + "invalid-proof (ALG_MISMATCH)", () -> {
                    WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    String proof = es256Server.proof(renamed(key, "EdDSA"), c -> { });
                    HttpResponse<String> r = es256Server.post("/v1/wit", "application/json", ServerHarness.body(key, proof,
                            "{\"method\":\"join_token\",\"token\":\"" + es256Server.joinToken(SVC) + "\"}"), Map.of());
                    assertProblem(r, 400, "invalid-proof");
                    assertThat(json(r.body()).get("detail").textValue()).contains("EdDSA").contains("Ed25519");
                }),
                new Row("ALG-1 public_jwk of a P-256 key declaring alg Ed25519 → 400 invalid-public-key", () -> {
                    WorkloadKeyPair p256 = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
                    ObjectNode jwk = (ObjectNode) json(p256.publicJwk().toJson());
                    jwk.put("alg", "Ed25519");
                    String body = "{\"public_jwk\":" + jwk + ",\"proof\":\"" + es256Server.proof(p256, c -> { })
                            + "\",\"attestation\":{\"method\":\"join_token\",\"token\":\"" + es256Server.joinToken(SVC) + "\"}}";
                    assertProblem(es256Server.post("/v1/wit", "application/json", body, Map.of()), 400, "invalid-public-key");
                }),
                new Row("ALG-1 a server with key-alg Ed25519 publishes its key with alg Ed25519 and signs WITs with header "
                        + "alg Ed25519", () -> {
                    JsonNode keys = json(ed25519Server.get("/.well-known/jwks.json").body()).get("keys");
                    assertThat(keys).hasSize(1);
                    assertThat(keys.get(0).get("alg").textValue()).isEqualTo("Ed25519");
                    assertThat(keys.get(0).get("kty").textValue()).isEqualTo("OKP");
                    WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    VerifiedWit wit = issued(ed25519Server, key);
                    assertThat(part(wit.token(), 0).get("alg").textValue()).isEqualTo("Ed25519");
                    assertThat(part(wit.token(), 0).get("kid").textValue()).isEqualTo(keys.get(0).get("kid").textValue());
                }),
                new Row("ALG-1 the Ed25519 server's WITs are refused by a verifier whose witAlgorithms lack Ed25519 → "
                        + "UNSUPPORTED_ALG", () -> {
                    String wit = issued(ed25519Server, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)).token();
                    WitVerifier eddsaOnly = WitVerifier.builder().trust(trust(ed25519Server)).clock(ed25519Server.clock)
                            .algorithms(java.util.EnumSet.of(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA)).build();
                    Fixture.assertRejected(() -> eddsaOnly.verify(wit), Reason.UNSUPPORTED_ALG);
                }),
                new Row("ALG-1 ConfigLoader reads key-alg Ed25519", () ->
                        assertThat(ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "key-alg", "Ed25519"))
                                .keyAlgorithm()).isEqualTo(JwsAlgorithm.Ed25519)),
                new Row("ALG-1 ConfigLoader refuses key-alg ed25519 (names are case-sensitive)", () ->
                        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "key-alg", "ed25519")))
                                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key-alg").hasMessageContaining("Ed25519")),
                new Row("ALG-1 ServerConfig still refuses RS256 as the WIT signing algorithm", () ->
                        assertThatThrownBy(() -> ServerConfig.builder("example.org").keyAlgorithm(JwsAlgorithm.RS256).build())
                                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519")));
    }

    // ---------------------------------------------------------------- helpers

    /** Issues a WIT for {@code key} with a fresh join token and verifies it with the server's own JWKS. */
    private static VerifiedWit issued(ServerHarness h, WorkloadKeyPair key) throws Exception {
        HttpResponse<String> r = h.issueWithJoinToken(key, h.joinToken(SVC));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String wit = json(r.body()).get("wit").textValue();
        assertThat(part(wit, 1).path("cnf").path("jwk").path("alg").textValue()).isEqualTo(key.algorithm().jwaName());
        return verifier(h).verify(wit);
    }

    private static TrustBundleSet trust(ServerHarness h) throws Exception {
        HttpResponse<String> jwks = h.get("/.well-known/jwks.json");
        assertThat(jwks.statusCode()).isEqualTo(200);
        return TrustBundleSet.of(TrustBundle.fromJwks(new TrustDomain(ServerHarness.TD), jwks.body()));
    }

    private static WitVerifier verifier(ServerHarness h) throws Exception {
        return WitVerifier.builder().trust(trust(h)).clock(h.clock).build();
    }

    /** The same private key under another {@code alg} name. */
    private static WorkloadKeyPair renamed(WorkloadKeyPair key, String alg) throws Exception {
        ObjectNode jwk = (ObjectNode) json(key.privateJwkJson());
        jwk.put("alg", alg);
        return WorkloadKeyPair.fromPrivateJwk(jwk.toString(), null);
    }

    /** A renewal WPT for {@code wit} signed by {@code signer}, its header {@code alg} the signer's name. */
    private static String handMadeWpt(ServerHarness h, String wit, WorkloadKeyPair signer) {
        long now = h.clock.instant().getEpochSecond();
        ObjectNode header = StrictJson.mapper().createObjectNode().put("alg", signer.algorithm().jwaName()).put("typ", "wpt+jwt");
        ObjectNode claims = StrictJson.mapper().createObjectNode().put("aud", ServerHarness.AUDIENCE).put("iat", now)
                .put("exp", now + 60).put("jti", JwsWriter.randomJwtId()).put("wth", Hashes.tokenHash(wit));
        return RawJws.signRaw(signer.signer(), header.toString(), claims.toString());
    }

    private static JsonNode part(String compact, int index) {
        return json(new String(Base64.getUrlDecoder().decode(compact.split("\\.")[index]), StandardCharsets.UTF_8));
    }
}
