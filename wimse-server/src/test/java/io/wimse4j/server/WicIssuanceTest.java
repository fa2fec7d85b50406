package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.x509.CertificateRequests;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.VerifiedWic;
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
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code POST /v1/wic} over real HTTPS: WICs from CSRs after a join token or a WIT renewal, and the refusals. */
class WicIssuanceTest {
    static final String SVC = "wimse://example.org/svc";
    static final String OTHER = "wimse://example.org/other";
    static final String WEB = "wimse://example.org/web";
    static final String WIC_AUDIENCE = ServerHarness.BASE + "/v1/wic";
    static final String MALFORMED = "malformed-request";

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wit\"", null);
        h.register(OTHER, "\"join_token\"", null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static String body(String csr, String attestationJson) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("csr", csr);
        o.set("attestation", json(attestationJson));
        return o.toString();
    }

    static String joinToken(String token) {
        return "{\"method\":\"join_token\",\"token\":\"" + token + "\"}";
    }

    HttpResponse<String> issue(String csr, String attestationJson) throws Exception {
        return h.post("/v1/wic", "application/json", body(csr, attestationJson), Map.of());
    }

    static String pemCsr(KeyPair keys, String id, List<String> dnsNames) throws WimseException {
        return CertificateRequests.createPem(keys, WorkloadIdentifier.parse(id), dnsNames);
    }

    WicValidator validator(boolean clients) throws Exception {
        HttpResponse<String> bundle = h.get("/v1/x509-bundle.pem");
        assertThat(bundle.statusCode()).isEqualTo(200);
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.fromPem(new TrustDomain(ServerHarness.TD), bundle.body()));
        WicValidator.Builder b = WicValidator.builder().trust(trust).clock(h.clock);
        return (clients ? b.forClients() : b.forServers()).build();
    }

    @Test
    void WIC_1_to_3_joinTokenIssuesAWicThatValidatesForClientsAndServers() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        HttpResponse<String> r = issue(pemCsr(keys, SVC, List.of()), joinToken(h.joinToken(SVC)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = json(r.body());
        List<X509Certificate> chain = Pem.certificates(body.get("certificate_chain").textValue());
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(chain.get(1)).isEqualTo(Pem.certificate(h.server().workloadCaPem()));

        for (boolean clients : new boolean[] {true, false}) {
            VerifiedWic wic = validator(clients).validate(chain);
            assertThat(wic.identifier().value()).isEqualTo(SVC);
            assertThat(wic.dnsNames()).as("this registration grants no DNS name").isEmpty();
        }
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(body.get("subject").textValue()).isEqualTo(SVC);
        assertThat(body.get("serial").textValue()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(body.get("expires_at").longValue()).isEqualTo(leaf.getNotAfter().toInstant().getEpochSecond())
                .isEqualTo(h.clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
        assertThat(body.get("not_before").longValue()).isEqualTo(leaf.getNotBefore().toInstant().getEpochSecond());

        // audited and counted, without the certificate
        List<String> audit = Files.readAllLines(h.stateDir.resolve("audit.log"));
        JsonNode line = json(audit.get(audit.size() - 1));
        assertThat(line.get("credential").textValue()).isEqualTo("wic");
        assertThat(line.get("result").textValue()).isEqualTo("issued");
        assertThat(line.get("sub").textValue()).isEqualTo(SVC);
        assertThat(line.get("method").textValue()).isEqualTo("join_token");
        assertThat(line.has("presented_serial")).as("only a wic attestation presents a WIC").isFalse();
        assertThat(line.get("serial").textValue()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(String.join("\n", audit)).doesNotContain("BEGIN");
        assertThat(h.get("/metrics").body()).contains("wimse_wic_issuance_total{result=\"issued\"} 1.0")
                .contains("wimse_wic_issuance_seconds");
    }

    @Test
    void MT_7_aBase64DerCsrIsAcceptedAndTheLifetimeIsTheConfiguredOne() throws Exception {
        h.close();
        h = new ServerHarness(tmp.resolve("state"), b -> b.wicTtl(Duration.ofMinutes(10)), null);
        KeyPair keys = KeyType.EC_P256.generate();
        String der = Base64.getEncoder().encodeToString(CertificateRequests.create(keys, WorkloadIdentifier.parse(SVC), List.of()));
        HttpResponse<String> r = issue(der, joinToken(h.joinToken(SVC)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        X509Certificate leaf = Pem.certificates(json(r.body()).get("certificate_chain").textValue()).get(0);
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(validator(true).validate(Pem.certificates(json(r.body()).get("certificate_chain").textValue()))
                .identifier().value()).isEqualTo(SVC);
    }

    @Test
    void WIC_2_aCsrForAnotherIdentifierIsRefusedAndTheJoinTokenStaysUsable() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        String token = h.joinToken(SVC);
        assertProblem(issue(pemCsr(keys, OTHER, List.of()), joinToken(token)), 400, Reason.INVALID_IDENTIFIER.code());
        // nothing was used up by the refusal
        HttpResponse<String> r = issue(pemCsr(keys, SVC, List.of()), joinToken(token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void WIC_3_aCsrAskingForADnsNameNotGrantedIsRefused() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        assertProblem(issue(pemCsr(keys, SVC, List.of("svc.example.org")), joinToken(h.joinToken(SVC))), 400,
                Reason.INVALID_CLAIM.code());
    }

    @Test
    void WIC_3_theRegistrationsDnsNamesAreGrantedAndACsrMayAskForThemButNoOther() throws Exception {
        h.register(WEB, "\"join_token\"", "\"dns_names\":[\"web.example.org\",\"web.internal\"]");
        for (List<String> asked : List.<List<String>>of(List.of("web.internal"), List.of(), List.of("web.example.org", "web.internal"))) {
            KeyPair keys = KeyType.EC_P256.generate();
            HttpResponse<String> r = issue(pemCsr(keys, WEB, asked), joinToken(h.joinToken(WEB)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<X509Certificate> chain = Pem.certificates(json(r.body()).get("certificate_chain").textValue());
            // the registration decides: every granted name, whatever subset the CSR asked for
            assertThat(chain.get(0).getSubjectAlternativeNames()).as("asked " + asked).containsExactly(
                    List.of(6, WEB), List.of(2, "web.example.org"), List.of(2, "web.internal"));
            VerifiedWic wic = validator(false).validate(chain);
            assertThat(wic.identifier().value()).isEqualTo(WEB);
            assertThat(wic.dnsNames()).containsExactly("web.example.org", "web.internal");
        }
        // a name the registration does not grant, also beside granted ones; the join token stays usable
        String token = h.joinToken(WEB);
        for (List<String> asked : List.<List<String>>of(List.of("other.example.org"), List.of("web.example.org", "svc.example.org"))) {
            HttpResponse<String> refused = issue(pemCsr(KeyType.EC_P256.generate(), WEB, asked), joinToken(token));
            assertProblem(refused, 400, Reason.INVALID_CLAIM.code());
            assertThat(json(refused.body()).get("detail").textValue()).isEqualTo("the CSR requests DNS name "
                    + asked.get(asked.size() - 1) + ", which is not granted (WIC-3)");
        }
        // another registration's names are not this one's
        assertProblem(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of("web.example.org")), joinToken(h.joinToken(SVC))),
                400, Reason.INVALID_CLAIM.code());
        assertThat(issue(pemCsr(KeyType.EC_P256.generate(), WEB, List.of("web.example.org")), joinToken(token)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aBadCsrIsRefusedAndUsesNothingUp() throws Exception {
        String token = h.joinToken(SVC);
        // not base64 nor PEM
        assertProblem(issue("not a csr!", joinToken(token)), 400, MALFORMED);
        // base64 without padding: only the canonical encoding
        assertProblem(issue("AAAA" + "AA", joinToken(token)), 400, MALFORMED);
        // base64 of no CSR
        assertProblem(issue(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}), joinToken(token)), 400,
                Reason.INVALID_KEY.code());
        // a CSR whose signature does not verify: no proof of possession
        byte[] der = CertificateRequests.create(KeyType.EC_P256.generate(), WorkloadIdentifier.parse(SVC), List.of());
        der[der.length - 1] ^= 0x01;
        assertProblem(issue(Base64.getEncoder().encodeToString(der), joinToken(token)), 400, Reason.INVALID_KEY.code());
        // a PEM block of another label
        assertProblem(issue(h.server().workloadCaPem(), joinToken(token)), 400, MALFORMED);
        // no csr, unknown members
        assertProblem(h.post("/v1/wic", "application/json", "{\"attestation\":" + joinToken(token) + "}", Map.of()), 400,
                MALFORMED);
        assertProblem(h.post("/v1/wic", "application/json", "{\"csr\":\"x\",\"public_jwk\":{},\"attestation\":"
                + joinToken(token) + "}", Map.of()), 400, MALFORMED);
        // still unused
        assertThat(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), joinToken(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void aJoinTokenIsUsedUpByAWicLikeByAWitAcrossRestarts() throws Exception {
        String token = h.joinToken(SVC);
        assertThat(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), joinToken(token)).statusCode()).isEqualTo(200);
        assertProblem(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), joinToken(token)), 400, "join-token-invalid");
        // one-time across both endpoints and restarts
        h.restart();
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
        String witToken = h.joinToken(SVC);
        assertThat(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), witToken).statusCode()).isEqualTo(200);
        assertProblem(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), joinToken(witToken)), 400, "join-token-invalid");
    }

    @Test
    void V_6_aWorkloadWithAWitGetsAWicWithAWptForTheWicEndpoint() throws Exception {
        WorkloadKeyPair witKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> w = h.issueWithJoinToken(witKey, h.joinToken(SVC));
        assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
        String wit = json(w.body()).get("wit").textValue();
        WorkloadCredentials creds = WorkloadCredentials.of(wit, witKey.signer());
        WptCreator wpts = WptCreator.create(h.clock, Duration.ofSeconds(60));
        KeyPair keys = KeyType.EC_P256.generate();
        String body = body(pemCsr(keys, SVC, List.of()), "{\"method\":\"wit\"}");

        HttpResponse<String> r = h.post("/v1/wic", "application/json", body, Map.of("Workload-Identity-Token", wit,
                "Authorization", WptTransport.AUTHORIZATION.headerValue(wpts.create(creds, WIC_AUDIENCE, ProofBindings.NONE))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(validator(false).validate(Pem.certificates(json(r.body()).get("certificate_chain").textValue()))
                .identifier().value()).isEqualTo(SVC);

        // a WPT for the WIT endpoint is not one for the WIC endpoint (V-6)
        HttpResponse<String> wrongAud = h.post("/v1/wic", "application/json", body, Map.of("Workload-Identity-Token", wit,
                "Workload-Proof-Token", wpts.create(creds, ServerHarness.AUDIENCE, ProofBindings.NONE)));
        assertProblem(wrongAud, 400, Reason.AUDIENCE_MISMATCH.code());
        // the method must be allowed by the registration
        HttpResponse<String> o = h.issueWithJoinToken(witKey, h.joinToken(OTHER));
        String otherWit = json(o.body()).get("wit").textValue();
        HttpResponse<String> notAllowed = h.post("/v1/wic", "application/json",
                body(pemCsr(keys, OTHER, List.of()), "{\"method\":\"wit\"}"), Map.of("Workload-Identity-Token", otherWit,
                        "Workload-Proof-Token", wpts.create(WorkloadCredentials.of(otherWit, witKey.signer()), WIC_AUDIENCE,
                                ProofBindings.NONE)));
        assertProblem(notAllowed, 400, "method-not-allowed-for-identifier");
    }

    @Test
    void refusalsAreProblemsAuditedAndCounted() throws Exception {
        assertProblem(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), "{\"method\":\"x509\"}"), 400,
                "unknown-attestation-method");
        assertProblem(issue(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), joinToken("nope")), 400, "join-token-invalid");
        assertProblem(h.post("/v1/wic", "text/plain", "{}", Map.of()), 415, "unsupported-media-type");
        HttpResponse<String> get = h.send(HttpRequest.newBuilder(h.url("/v1/wic")).GET().build());
        assertProblem(get, 405, "http-method-not-allowed");
        List<String> audit = Files.readAllLines(h.stateDir.resolve("audit.log"));
        JsonNode line = json(audit.get(audit.size() - 1));
        assertThat(line.get("credential").textValue()).isEqualTo("wic");
        assertThat(line.get("result").textValue()).isEqualTo("join-token-invalid");
        assertThat(line.has("serial")).isFalse();
        assertThat(h.get("/metrics").body()).contains("wimse_wic_issuance_total{result=\"join-token-invalid\"} 1.0");
        assertThatThrownBy(() -> validator(true).validate(List.of(Pem.certificate(h.server().workloadCaPem()))))
                .isInstanceOf(WimseException.class);
    }
}
