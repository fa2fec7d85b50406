package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code POST /v1/wit} over real HTTPS: the join-token and WIT-renewal methods and every refusal. */
class IssuanceTest {
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wit\"", "\"wit_ttl_seconds\":240");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    WitVerifier verifierFromServedJwks() throws Exception {
        HttpResponse<String> jwks = h.get("/.well-known/jwks.json");
        assertThat(jwks.statusCode()).isEqualTo(200);
        TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain("example.org"), jwks.body());
        return WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(h.clock).build();
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(r.body());
        assertThat(p.get("code").textValue()).as(r.body()).isEqualTo(code);
        assertThat(p.get("status").intValue()).isEqualTo(status);
        // the one reader accepts it: a wimse4j problem whose type is the type of its code
        assertThat(ProblemDetails.parse(r.body()).code()).isEqualTo(code);
        assertThat(p.get("title").textValue()).isNotBlank();
        assertThat(p.get("detail").textValue()).isNotBlank();
    }

    @Test
    void WIT_1_to_8_joinTokenIssuesWitThatVerifiesAgainstServedJwks() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String token = h.joinToken(SVC);
        HttpResponse<String> r = h.issueWithJoinToken(key, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r.body());
        assertThat(body.get("subject").textValue()).isEqualTo(SVC);

        VerifiedWit wit = verifierFromServedJwks().verify(body.get("wit").textValue());
        assertThat(wit.subject().value()).isEqualTo(SVC);
        assertThat(wit.jwtId()).hasValue(body.get("jti").textValue());
        assertThat(wit.expiresAt().toString()).isEqualTo(body.get("expires_at").textValue());
        assertThat(wit.expiresAt()).isEqualTo(wit.issuedAt().orElseThrow().plusSeconds(240));
        assertThat(wit.issuer()).hasValue(ServerHarness.BASE);
        assertThat(wit.confirmationKey().toMap()).isEqualTo(key.publicJwk().toMap());
        assertThat(wit.confirmationAlgorithm()).isEqualTo(JwsAlgorithm.EdDSA);
        String activeKid = json(h.admin("GET", "/admin/v1/keys", null).body()).get("keys").get(0).get("kid").textValue();
        String header = new String(java.util.Base64.getUrlDecoder().decode(body.get("wit").textValue().split("\\.")[0]));
        assertThat(json(header).get("kid").textValue()).isEqualTo(activeKid);
        assertThat(json(header).get("typ").textValue()).isEqualTo("wit+jwt");
    }

    @Test
    void jwksIsServedWithCacheControlAndEveryKeyHasKidAlgUse() throws Exception {
        HttpResponse<String> r = h.get("/.well-known/jwks.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        JsonNode keys = json(r.body()).get("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("kid").textValue()).isNotBlank();
        assertThat(keys.get(0).get("alg").textValue()).isEqualTo("ES256");
        assertThat(keys.get(0).get("use").textValue()).isEqualTo("sig");
        assertThat(keys.get(0).has("d")).isFalse();
    }

    @Test
    void renewalWithWitAndWptIssuesANewWitForTheSameIdentifier() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit1 = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        HttpResponse<String> r = h.renew(wit1, k1, k2);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        VerifiedWit wit2 = verifierFromServedJwks().verify(json(r.body()).get("wit").textValue());
        assertThat(wit2.subject().value()).isEqualTo(SVC);
        assertThat(wit2.confirmationKey().toMap()).isEqualTo(k2.publicJwk().toMap());
    }

    @Test
    void V_9_renewalReplayingTheSameWptIsRefused() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit1 = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        var creds = io.wimse4j.core.wpt.WorkloadCredentials.of(wit1, k1.signer());
        String wpt = io.wimse4j.core.wpt.WptCreator.create(h.clock, Duration.ofSeconds(60))
                .create(creds, ServerHarness.AUDIENCE, io.wimse4j.core.wpt.ProofBindings.NONE);
        Map<String, String> headers = Map.of("Workload-Identity-Token", wit1, "Workload-Proof-Token", wpt);
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertThat(h.post("/v1/wit", "application/json", ServerHarness.body(k2, h.proof(k2, c -> { }), "{\"method\":\"wit\"}"),
                headers).statusCode()).isEqualTo(200);
        WorkloadKeyPair k3 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(k3, h.proof(k3, c -> { }), "{\"method\":\"wit\"}"),
                headers), 400, "replay");
    }

    @Test
    void V_1_renewalWithoutWptIsRefusedWithCoreReason() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit1 = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> r = h.post("/v1/wit", "application/json", ServerHarness.body(k2, h.proof(k2, c -> { }), "{\"method\":\"wit\"}"),
                Map.of("Workload-Identity-Token", wit1));
        // no proof in either transport: a credential failure, answered with the wpt-02 challenge (P2-4)
        assertProblem(r, 401, "missing-wpt");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("WPT");
    }

    @Test
    void P2_1_renewalAcceptsTheWptInEitherTransport() throws Exception {
        for (WptTransport transport : WptTransport.values()) {
            WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            String wit1 = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
            HttpResponse<String> r = h.renew(wit1, k1, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), transport);
            assertThat(r.statusCode()).as(transport + ": " + r.body()).isEqualTo(200);
            assertThat(json(r.body()).get("wit").textValue()).isNotEqualTo(wit1);
        }
    }

    private HttpResponse<String> renewWithThiefsProof(String wit, WorkloadKeyPair thief, WptTransport transport) throws Exception {
        long now = h.clock.instant().getEpochSecond();
        String wpt = JwsWriter.sign(thief.signer(), "wpt+jwt", StrictJson.mapper().createObjectNode()
                .put("aud", ServerHarness.AUDIENCE).put("iat", now).put("exp", now + 60).put("jti", JwsWriter.randomJwtId())
                .put("wth", io.wimse4j.core.internal.Hashes.tokenHash(wit)));
        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        return h.post("/v1/wit", "application/json", ServerHarness.body(next, h.proof(next, c -> { }), "{\"method\":\"wit\"}"),
                Map.of("Workload-Identity-Token", wit, transport.headerName(), transport.headerValue(wpt)));
    }

    @Test
    void P2_4_aRenewalRefusedUnderAuthorizationAnswers401WithTheWptChallenge() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit1 = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        WorkloadKeyPair thief = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA); // holds the WIT, not its key
        HttpResponse<String> forged = renewWithThiefsProof(wit1, thief, WptTransport.AUTHORIZATION);
        assertProblem(forged, 401, "bad-signature");
        assertThat(forged.headers().firstValue("WWW-Authenticate")).hasValue("WPT");
        HttpResponse<String> seed = renewWithThiefsProof(wit1, thief, WptTransport.WORKLOAD_PROOF_TOKEN);
        assertProblem(seed, 400, "bad-signature");
        assertThat(seed.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void V_6_renewalWithWptForAnotherAudienceIsRefused() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit1 = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        var creds = io.wimse4j.core.wpt.WorkloadCredentials.of(wit1, k1.signer());
        String wpt = io.wimse4j.core.wpt.WptCreator.create(h.clock, Duration.ofSeconds(60))
                .create(creds, "https://127.0.0.1/v1/wit", io.wimse4j.core.wpt.ProofBindings.NONE);
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(k2, h.proof(k2, c -> { }), "{\"method\":\"wit\"}"),
                Map.of("Workload-Identity-Token", wit1, "Workload-Proof-Token", wpt)), 400, "audience-mismatch");
    }

    @Test
    void ID_3_witFromAnotherIssuerIsRefusedForRenewal() throws Exception {
        // a WIT for the same identifier, signed by a key that is not the server's
        var fixture = new io.wimse4j.testkit.Fixture();
        WorkloadKeyPair foreign = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        var issuer = io.wimse4j.core.wit.WitIssuer.builder().signer(foreign.signer()).trustDomain(new TrustDomain("example.org"))
                .clock(h.clock).defaultTtl(java.time.Duration.ofMinutes(5)).build(); // within the server's lifetime cap
        String wit = issuer.issue(io.wimse4j.core.id.WorkloadIdentifier.parse(SVC), fixture.workloadKey.publicJwk()).token();
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(h.renew(wit, fixture.workloadKey, k2), 400, "unknown-key");
    }

    @Test
    void joinTokenOfADeletedRegistrationIsRevoked() throws Exception {
        // deleting the registration revokes its outstanding join tokens (the security review's
        // SecurityReviewTest shows why: a re-registration must not revive them)
        String token = h.joinToken(SVC);
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=" + SVC, null).statusCode()).isEqualTo(204);
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
    }

    @Test
    void renewalOfAnIdentifierNoLongerRegisteredIsRefused() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=" + SVC, null).statusCode()).isEqualTo(204);
        assertProblem(h.renew(wit, k1, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)), 400, "unregistered-identifier");
    }

    @Test
    void reusedJoinTokenIsRefused() throws Exception {
        String token = h.joinToken(SVC);
        assertThat(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).statusCode()).isEqualTo(200);
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
    }

    @Test
    void unknownAndExpiredJoinTokensAreRefused() throws Exception {
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), "bm90LWEtdG9rZW4"), 400, "join-token-invalid");
        String token = h.joinToken(SVC);
        h.clock.advance(Duration.ofSeconds(601));
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
    }

    @Test
    void refusedRequestDoesNotUseUpTheJoinToken() throws Exception {
        String token = h.joinToken(SVC);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String badProof = h.proof(key, c -> c.put("aud", "https://elsewhere.example/v1/wit"));
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(key, badProof,
                "{\"method\":\"join_token\",\"token\":\"" + token + "\"}"), Map.of()), 400, "invalid-proof");
        assertThat(h.issueWithJoinToken(key, token).statusCode()).isEqualTo(200);
    }

    @Test
    void proofSubForAnotherIdentifierIsRefused() throws Exception {
        h.register("wimse://example.org/other", "\"join_token\"", null);
        String token = h.joinToken(SVC);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String proof = h.proof(key, c -> c.put("sub", "wimse://example.org/other"));
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(key, proof,
                "{\"method\":\"join_token\",\"token\":\"" + token + "\"}"), Map.of()), 400, "attestation-failed");
    }

    @Test
    void methodNotAllowedForIdentifierIsRefused() throws Exception {
        h.register("wimse://example.org/join-only", "\"join_token\"", null);
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = json(h.issueWithJoinToken(k1, h.joinToken("wimse://example.org/join-only")).body()).get("wit").textValue();
        assertProblem(h.renew(wit, k1, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)), 400, "method-not-allowed-for-identifier");
    }

    @Test
    void unknownAttestationMethodIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(key, h.proof(key, c -> { }),
                "{\"method\":\"tpm\"}"), Map.of()), 400, "unknown-attestation-method");
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        assertProblem(h.post("/v1/wit", "application/json", "{\"public_jwk\":", Map.of()), 400, "malformed-request");
        assertProblem(h.post("/v1/wit", "application/json", "{\"proof\":\"a\",\"proof\":\"b\"}", Map.of()), 400, "malformed-request");
        assertProblem(h.post("/v1/wit", "application/json", "[]", Map.of()), 400, "malformed-request");
        assertProblem(h.post("/v1/wit", "application/json", "{\"public_jwk\":{},\"proof\":\"x\",\"attestation\":{\"method\":\"wit\"},\"extra\":1}",
                Map.of()), 400, "malformed-request");
    }

    @Test
    void oversizedBodyIsRefusedWith413() throws Exception {
        String big = "{\"pad\":\"" + "a".repeat(ServerConfig.MAX_BODY_BYTES) + "\"}";
        assertProblem(h.post("/v1/wit", "application/json", big, Map.of()), 413, "request-too-large");
    }

    @Test
    void wrongContentTypeIsRefusedWith415() throws Exception {
        HttpResponse<String> r = h.post("/v1/wit", "text/plain", "{}", Map.of());
        assertProblem(r, 415, "unsupported-media-type");
        // refused before its body was read: the server closes the connection instead of reusing it
        assertThat(r.headers().firstValue("Connection")).hasValue("close");
        assertProblem(h.post("/v1/wit", "application/x-www-form-urlencoded", "a=b", Map.of()), 415, "unsupported-media-type");
    }

    @Test
    void badPopSignatureIsRefused() throws Exception {
        String token = h.joinToken(SVC);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        WorkloadKeyPair other = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String proofByOther = h.proof(other, c -> { });
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(key, proofByOther,
                "{\"method\":\"join_token\",\"token\":\"" + token + "\"}"), Map.of()), 400, "invalid-proof");
    }

    @Test
    void proofWithWrongTypExpiredOrTooLongIsRefused() throws Exception {
        String token = h.joinToken(SVC);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        var claims = StrictJson.mapper().createObjectNode().put("aud", ServerHarness.AUDIENCE)
                .put("iat", h.clock.instant().getEpochSecond()).put("exp", h.clock.instant().getEpochSecond() + 60)
                .put("jti", JwsWriter.randomJwtId());
        String wrongTyp = JwsWriter.sign(key.signer(), "wpt+jwt", claims);
        String expired = h.proof(key, c -> c.put("iat", c.get("iat").longValue() - 400).put("exp", c.get("iat").longValue() - 400 + 60));
        String tooLong = h.proof(key, c -> c.put("exp", c.get("iat").longValue() + 301));
        String shortJti = h.proof(key, c -> c.put("jti", "abc"));
        for (String proof : new String[]{wrongTyp, expired, tooLong, shortJti}) {
            assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(key, proof,
                    "{\"method\":\"join_token\",\"token\":\"" + token + "\"}"), Map.of()), 400, "invalid-proof");
        }
    }

    @Test
    void WIT_8_privateOrAlgLessPublicKeyIsRefused() throws Exception {
        String token = h.joinToken(SVC);
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String att = "{\"method\":\"join_token\",\"token\":\"" + token + "\"}";
        String priv = "{\"public_jwk\":" + key.privateJwkJson() + ",\"proof\":\"" + h.proof(key, c -> { }) + "\",\"attestation\":" + att + "}";
        assertProblem(h.post("/v1/wit", "application/json", priv, Map.of()), 400, "invalid-public-key");
        var noAlg = (com.fasterxml.jackson.databind.node.ObjectNode) json(key.publicJwk().toJson());
        noAlg.remove("alg");
        String body = "{\"public_jwk\":" + noAlg + ",\"proof\":\"" + h.proof(key, c -> { }) + "\",\"attestation\":" + att + "}";
        assertProblem(h.post("/v1/wit", "application/json", body, Map.of()), 400, "invalid-public-key");
    }

    @Test
    void WIT_8_aPublicKeyForAnRsaProofIsRefusedBecauseVerifiersRefuseRsaProofsByDefault() throws Exception {
        WorkloadKeyPair rsa = WorkloadKeyPair.generate(JwsAlgorithm.RS256);
        String att = "{\"method\":\"join_token\",\"token\":\"" + h.joinToken(SVC) + "\"}";
        var r = h.post("/v1/wit", "application/json", ServerHarness.body(rsa, h.proof(rsa, c -> { }), att), Map.of());
        assertProblem(r, 400, "invalid-public-key");
        assertThat(r.body()).contains("ES256, ES384, EdDSA");
        // the same request with an ES256 key is issued: the refusal is the algorithm's alone
        WorkloadKeyPair ec = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String att2 = "{\"method\":\"join_token\",\"token\":\"" + h.joinToken(SVC) + "\"}";
        assertThat(h.post("/v1/wit", "application/json", ServerHarness.body(ec, h.proof(ec, c -> { }), att2), Map.of())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void replayedPopJtiIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String proof = h.proof(key, c -> { });
        String t1 = h.joinToken(SVC);
        String t2 = h.joinToken(SVC);
        assertThat(h.post("/v1/wit", "application/json", ServerHarness.body(key, proof,
                "{\"method\":\"join_token\",\"token\":\"" + t1 + "\"}"), Map.of()).statusCode()).isEqualTo(200);
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(key, proof,
                "{\"method\":\"join_token\",\"token\":\"" + t2 + "\"}"), Map.of()), 400, "proof-replayed");
    }

    @Test
    void problemsNeverEchoTheJoinToken() throws Exception {
        String token = h.joinToken(SVC);
        h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token);
        HttpResponse<String> r = h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token);
        assertProblem(r, 400, "join-token-invalid");
        assertThat(r.body()).doesNotContain(token);
    }

    @Test
    void witVerifierRejectsTamperedIssuedWit() throws Exception {
        String wit = json(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), h.joinToken(SVC)).body())
                .get("wit").textValue();
        String tampered = wit.substring(0, wit.length() - 4) + (wit.endsWith("AAAA") ? "BBBB" : "AAAA");
        WitVerifier v = verifierFromServedJwks();
        assertThatThrownBy(() -> v.verify(tampered)).isInstanceOf(WimseException.class)
                .satisfies(e -> assertThat(((WimseException) e).reason()).isIn(Reason.BAD_SIGNATURE, Reason.BAD_ENCODING));
    }
}
