package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the Identity Server found or ruled out by the security review: entitlement of the
 * identifier issued, the binding of the proof of possession, single use of join tokens under
 * concurrency, body limits without {@code Content-Length}, and admin-API exposure.
 */
class SecurityReviewTest {
    static final String SVC = "wimse://example.org/svc";
    static final String OTHER = "wimse://example.org/other";

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wit\"", null);
        h.register(OTHER, "\"join_token\",\"wit\"", null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private HttpResponse<String> issue(WorkloadKeyPair key, String proof, String token) throws Exception {
        return h.post("/v1/wit", "application/json",
                ServerHarness.body(key, proof, "{\"method\":\"join_token\",\"token\":\"" + token + "\"}"), Map.of());
    }

    @Test
    void joinTokenOfADeletedRegistrationDoesNotComeBackWithAReRegistration() throws Exception {
        String token = h.joinToken(SVC);
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=" + SVC, null).statusCode()).isEqualTo(204);
        // the identifier is registered again later (possibly for another owner, another policy)
        h.register(SVC, "\"join_token\"", null);
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
    }

    @Test
    void joinTokenUsedByParallelRequestsIssuesExactlyOneWit() throws Exception {
        String token = h.joinToken(SVC);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
                String proof = h.proof(key, c -> { });
                Callable<HttpResponse<String>> call = () -> {
                    go.await();
                    return issue(key, proof, token);
                };
                futures.add(pool.submit(call));
            }
            go.countDown();
            int ok = 0;
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertProblem(r, 400, "join-token-invalid");
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void joinTokenForOneIdentifierWithProofSubOfAnotherIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String token = h.joinToken(SVC);
        assertProblem(issue(key, h.proof(key, c -> c.put("sub", OTHER)), token), 400, "attestation-failed");
        // the refusal did not use the token up
        assertThat(h.issueWithJoinToken(key, token).statusCode()).isEqualTo(200);
    }

    @Test
    void renewalOfOneIdentifierAskingForAnotherIsRefused() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        var creds = io.wimse4j.core.wpt.WorkloadCredentials.of(wit, k1.signer());
        String wpt = io.wimse4j.core.wpt.WptCreator.create(h.clock, java.time.Duration.ofSeconds(60))
                .create(creds, ServerHarness.AUDIENCE, io.wimse4j.core.wpt.ProofBindings.NONE);
        HttpResponse<String> r = h.post("/v1/wit", "application/json",
                ServerHarness.body(k2, h.proof(k2, c -> c.put("sub", OTHER)), "{\"method\":\"wit\"}"),
                Map.of("Workload-Identity-Token", wit, "Workload-Proof-Token", wpt));
        assertProblem(r, 400, "attestation-failed");
    }

    @Test
    void proofForTheAddressTheClientUsedInsteadOfTheConfiguredBaseUriIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String hostAud = h.url("/v1/wit").toString();
        assertProblem(issue(key, h.proof(key, c -> c.put("aud", hostAud)), h.joinToken(SVC)), 400, "invalid-proof");
        assertProblem(issue(key, h.proof(key, c -> c.putArray("aud").add(ServerHarness.AUDIENCE).add("https://x")),
                h.joinToken(SVC)), 400, "invalid-proof");
    }

    @Test
    void proofIssuedFarInTheFutureIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        long later = h.clock.instant().getEpochSecond() + 86_400;
        assertProblem(issue(key, h.proof(key, c -> c.put("iat", later).put("exp", later + 60)), h.joinToken(SVC)),
                400, "invalid-proof");
    }

    @Test
    void proofWithShortJtiOrSignedByAnotherKeyOrAlgIsRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String token = h.joinToken(SVC);
        assertProblem(issue(key, h.proof(key, c -> c.put("jti", "a".repeat(21))), token), 400, "invalid-proof");
        WorkloadKeyPair other = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(issue(key, h.proof(other, c -> { }), token), 400, "invalid-proof");
        WorkloadKeyPair es = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        assertProblem(issue(key, h.proof(es, c -> { }), token), 400, "invalid-proof");
    }

    @Test
    void chunkedBodyWithoutContentLengthIsCutAtTheLimit() throws Exception {
        byte[] big = ("{\"x\":\"" + "a".repeat(ServerConfig.MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(h.url("/v1/wit")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertProblem(h.send(request), 413, "request-too-large");
        HttpRequest admin = HttpRequest.newBuilder(h.url("/admin/v1/registrations"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + h.adminToken())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertProblem(h.send(admin), 413, "request-too-large");
    }

    @Test
    void duplicateMembersAreRefused() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String token = h.joinToken(SVC);
        String body = ServerHarness.body(key, h.proof(key, c -> { }), "{\"method\":\"join_token\",\"token\":\"" + token + "\"}");
        String dup = body.substring(0, body.length() - 1) + ",\"proof\":\"x\"}";
        assertProblem(h.post("/v1/wit", "application/json", dup, Map.of()), 400, "malformed-request");
    }

    @Test
    void everyAdminPathNeedsTheTokenAndNoOutputCarriesPrivateKeyMembers() throws Exception {
        for (String[] mp : new String[][]{{"GET", "/admin/v1/keys"}, {"POST", "/admin/v1/keys/rotate"},
                {"GET", "/admin/v1/registrations"}, {"GET", "/admin/v1/nope"}, {"DELETE", "/admin/x"},
                {"GET", "/admin/v1/keys/../registrations"}}) {
            HttpResponse<String> r = h.adminWith(null, mp[0], mp[1], null);
            assertThat(r.statusCode()).as(mp[1]).isIn(400, 401);
            if (r.statusCode() == 401) {
                assertProblem(r, 401, "admin-unauthorized");
            }
            assertProblem(h.adminWith("Bearer ", mp[0], mp[1], null), r.statusCode(),
                    r.statusCode() == 401 ? "admin-unauthorized" : json(r.body()).get("code").textValue());
        }
        h.admin("POST", "/admin/v1/keys/rotate", null);
        for (String path : new String[]{"/admin/v1/keys", "/.well-known/jwks.json"}) {
            String body = path.startsWith("/admin") ? h.admin("GET", path, null).body() : h.get(path).body();
            JsonNode keys = json(body).get("keys");
            assertThat(keys).hasSize(2);
            for (JsonNode k : keys) {
                for (String m : io.wimse4j.core.internal.JwkKeys.PRIVATE_MEMBERS) {
                    assertThat(k.has(m)).as(path + " " + m).isFalse();
                }
            }
        }
    }

    @Test
    void aGuessableAdminTokenInTheStateDirectoryRefusesToStart() throws Exception {
        // an operator "resetting" the token by hand to something short: the admin API must not open with it
        h.server().close();
        java.nio.file.Files.writeString(h.stateDir.resolve(AdminToken.FILE), "changeme\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.start())
                .isInstanceOf(java.io.IOException.class).hasMessageContaining(AdminToken.FILE)
                .hasMessageNotContaining("changeme");
    }

    @Test
    void WIT_7_publicJwkWithCertificateOrUrlMembersIsRefused() throws Exception {
        // the server would otherwise sign, inside cnf.jwk, an X.509 chain or URL the workload chose
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String token = h.joinToken(SVC);
        for (String extra : new String[]{"\"x5u\":\"https://evil.example/chain.pem\"", "\"x5c\":[\"MIIB\"]",
                "\"x5t#S256\":\"" + "A".repeat(43) + "\"", "\"jku\":\"https://evil.example/jwks\""}) {
            String jwk = key.publicJwk().toJson();
            jwk = jwk.substring(0, jwk.length() - 1) + "," + extra + "}";
            String body = "{\"public_jwk\":" + jwk + ",\"proof\":\"" + h.proof(key, c -> { })
                    + "\",\"attestation\":{\"method\":\"join_token\",\"token\":\"" + token + "\"}}";
            HttpResponse<String> r = h.post("/v1/wit", "application/json", body, Map.of());
            assertProblem(r, 400, "invalid-public-key");
        }
        assertThat(h.issueWithJoinToken(key, token).statusCode()).isEqualTo(200);
    }

    @Test
    void WIT_5_witLifetimeIsTheRegistrationsCappedByTheMaximum() throws Exception {
        h.register("wimse://example.org/long", "\"join_token\"", "\"wit_ttl_seconds\":999999");
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = json(h.issueWithJoinToken(key, h.joinToken("wimse://example.org/long")).body()).get("wit").textValue();
        JsonNode claims = json(new String(java.util.Base64.getUrlDecoder().decode(wit.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims.get("exp").longValue() - claims.get("iat").longValue()).isEqualTo(600); // harness max 10 min
        String plain = json(h.issueWithJoinToken(key, h.joinToken(SVC)).body()).get("wit").textValue();
        JsonNode c2 = json(new String(java.util.Base64.getUrlDecoder().decode(plain.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(c2.get("exp").longValue() - c2.get("iat").longValue()).isEqualTo(300); // harness default 5 min
    }

    @Test
    void aSecondServerOnTheSameStateDirectoryRefusesToStart() throws Exception {
        // two instances on one state directory each keep their own copy of the join tokens: a token
        // used on one would still be valid on the other
        String token = h.joinToken(SVC);
        ServerConfig config = ServerConfig.builder(ServerHarness.TD).baseUri(java.net.URI.create(ServerHarness.BASE))
                .port(0).stateDir(h.stateDir).insecureHttp(true).build();
        IdentityServer second = IdentityServer.builder(config).clock(h.clock).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("in use");
        } finally {
            second.close();
        }
        // the first server is unaffected, and after it stops the directory can be opened again
        assertThat(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).statusCode()).isEqualTo(200);
        h.restart();
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
    }

    @Test
    void aMintedJoinTokenIsNeverStoredByCaches() throws Exception {
        HttpResponse<String> r = h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"" + SVC + "\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void adminRefusalsAndIssuanceProblemsAreNeverStoredByCachesEither() throws Exception {
        HttpResponse<String> unauthorized = h.send(HttpRequest.newBuilder(h.url("/admin/v1/registrations")).GET().build());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        HttpResponse<String> notFound = h.admin("DELETE", "/admin/v1/registrations?id=" + java.net.URLEncoder.encode(
                "wimse://example.org/nobody", java.nio.charset.StandardCharsets.UTF_8), null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Cache-Control")).hasValue("no-store");
        HttpResponse<String> malformed = h.post("/v1/wit", "application/json", "{}", java.util.Map.of());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void oversizedHeadersAreRefusedBeforeAnyHandling() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(h.url("/v1/wit")).header("Content-Type", "application/json")
                .header("Workload-Identity-Token", "a".repeat(64 * 1024))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(h.send(request).statusCode()).isEqualTo(431);
    }

    @Test
    void badlyEncodedAdminQueryIsAClientError() throws Exception {
        assertProblem(h.admin("DELETE", "/admin/v1/registrations?id=%C3%28%FF", null), 400, "malformed-request");
        // and never reached without the token
        assertProblem(h.adminWith(null, "DELETE", "/admin/v1/registrations?id=%C3%28%FF", null), 401, "admin-unauthorized");
    }

    @Test
    void aWitIssuedBeforeTheRegistrationWasDeletedCannotRenewTheNewRegistration() throws Exception {
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();
        // the workload is decommissioned; a minute later the identifier is registered again
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=" + SVC, null).statusCode()).isEqualTo(204);
        h.clock.advance(java.time.Duration.ofSeconds(60));
        h.register(SVC, "\"join_token\",\"wit\"", null);
        assertProblem(h.renew(wit, k1, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)), 400, "attestation-failed");
        // also after a restart (the registration time is kept on disk)
        h.restart();
        assertProblem(h.renew(wit, k1, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)), 400, "attestation-failed");
        // a WIT issued under the new registration renews
        WorkloadKeyPair k2 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String fresh = json(h.issueWithJoinToken(k2, h.joinToken(SVC)).body()).get("wit").textValue();
        assertThat(h.renew(fresh, k2, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)).statusCode()).isEqualTo(200);
    }
}
