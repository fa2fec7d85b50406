package io.wimse4j.server;

import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API: bearer admin token required, registrations, join tokens, keys; plus health and metrics. */
class AdminApiTest {
    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void adminWithoutTokenIs401() throws Exception {
        for (String[] call : new String[][]{{"GET", "/admin/v1/registrations"}, {"GET", "/admin/v1/keys"},
                {"POST", "/admin/v1/keys/rotate"}}) {
            HttpResponse<String> r = h.adminWith(null, call[0], call[1], null);
            assertProblem(r, 401, "admin-unauthorized");
        }
        assertProblem(h.adminWith(null, "POST", "/admin/v1/registrations",
                "{\"id\":\"wimse://example.org/x\",\"attestation\":[\"join_token\"]}"), 401, "admin-unauthorized");
        assertThat(json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")).isEmpty();
    }

    @Test
    void adminWithWrongTokenIs401() throws Exception {
        String right = h.adminToken();
        String wrong = right.substring(0, right.length() - 1) + (right.endsWith("A") ? "B" : "A");
        assertProblem(h.adminWith("Bearer " + wrong, "GET", "/admin/v1/keys", null), 401, "admin-unauthorized");
        assertProblem(h.adminWith("Basic " + right, "GET", "/admin/v1/keys", null), 401, "admin-unauthorized");
        assertProblem(h.adminWith("Bearer ", "GET", "/admin/v1/keys", null), 401, "admin-unauthorized");
        assertThat(h.adminWith("Bearer " + right, "GET", "/admin/v1/keys", null).statusCode()).isEqualTo(200);
    }

    @Test
    void registrationLifecycle() throws Exception {
        String body = "{\"id\":\"wimse://example.org/svc\",\"attestation\":[\"join_token\",\"wit\"],\"wit_ttl_seconds\":600}";
        HttpResponse<String> created = h.admin("POST", "/admin/v1/registrations", body);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created.body()).get("wit_ttl_seconds").intValue()).isEqualTo(600);
        assertProblem(h.admin("POST", "/admin/v1/registrations", body), 409, "registration-exists");
        assertThat(json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")).hasSize(1);
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=wimse://example.org/svc", null).statusCode()).isEqualTo(204);
        assertProblem(h.admin("DELETE", "/admin/v1/registrations?id=wimse://example.org/svc", null), 404, "registration-not-found");
    }

    @Test
    void WIC_3_dnsNamesOfARegistrationAreShownAndKeptAcrossARestart() throws Exception {
        HttpResponse<String> created = h.admin("POST", "/admin/v1/registrations", "{\"id\":\"wimse://example.org/web\","
                + "\"attestation\":[\"join_token\"],\"dns_names\":[\"web.example.org\",\"web.internal\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created.body()).get("dns_names").toString()).isEqualTo("[\"web.example.org\",\"web.internal\"]");
        h.register("wimse://example.org/plain", "\"join_token\"", "\"dns_names\":[]");
        h.restart();
        var all = json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations");
        assertThat(all.get(0).get("dns_names").toString()).isEqualTo("[\"web.example.org\",\"web.internal\"]");
        assertThat(all.get(1).has("dns_names")).as("no names, no member").isFalse();
        HttpResponse<String> notArray = h.admin("POST", "/admin/v1/registrations",
                "{\"id\":\"wimse://example.org/other\",\"attestation\":[\"join_token\"],\"dns_names\":\"web.example.org\"}");
        assertProblem(notArray, 400, "malformed-request");
        assertThat(json(notArray.body()).get("detail").textValue()).isEqualTo("'dns_names' must be an array of DNS names");
    }

    /** One refused {@code dns_names} value (the array's contents) and the problem's detail. */
    record DnsRow(String names, String detail) {
        @Override
        public String toString() {
            return names.length() > 40 ? names.substring(0, 40) + "..." : names;
        }
    }

    static Stream<DnsRow> badDnsNames() {
        String many = IntStream.rangeClosed(0, 32).mapToObj(i -> "\"n" + i + ".example.org\"").collect(Collectors.joining(","));
        return Stream.of(
                new DnsRow("\"Web.example.org\"", "'dns_names': DNS name Web.example.org may hold only lower-case letters, digits, '-' and '.'"),
                new DnsRow("\"*.example.org\"", "'dns_names': DNS name *.example.org may hold only lower-case letters, digits, '-' and '.'"),
                new DnsRow("\"web.example.org.\"", "'dns_names': DNS name web.example.org. has an empty label or one longer than 63 characters"),
                new DnsRow("\"10.0.0.1\"", "'dns_names': DNS name 10.0.0.1 ends in an all-digit label (an IP address is not a DNS name)"),
                new DnsRow("\"\"", "'dns_names': DNS name  must have 1..253 characters"),
                new DnsRow("\"a.example.org\",\"a.example.org\"", "'dns_names': DNS name a.example.org appears twice"),
                new DnsRow("1", "'dns_names' must be an array of DNS names"),
                new DnsRow(many, "'dns_names' has at most 32 names"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDnsNames")
    void WIC_3_aRegistrationWithABadDnsNameIsRefused(DnsRow row) throws Exception {
        HttpResponse<String> r = h.admin("POST", "/admin/v1/registrations",
                "{\"id\":\"wimse://example.org/web\",\"attestation\":[\"join_token\"],\"dns_names\":[" + row.names() + "]}");
        assertProblem(r, 400, "malformed-request");
        assertThat(json(r.body()).get("detail").textValue()).isEqualTo(row.detail());
        assertThat(json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")).isEmpty();
    }

    @Test
    void ID_3_registrationOutsideTrustDomainIsRefused() throws Exception {
        assertProblem(h.admin("POST", "/admin/v1/registrations",
                "{\"id\":\"wimse://evil.example/svc\",\"attestation\":[\"join_token\"]}"), 400, "identifier-outside-trust-domain");
    }

    @Test
    void registrationWithUnknownMethodIsRefused() throws Exception {
        assertProblem(h.admin("POST", "/admin/v1/registrations",
                "{\"id\":\"wimse://example.org/svc\",\"attestation\":[\"magic\"]}"), 400, "malformed-request");
    }

    @Test
    void joinTokenForUnregisteredIdentifierIsRefused() throws Exception {
        assertProblem(h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"wimse://example.org/nobody\",\"ttl_seconds\":60}"),
                404, "registration-not-found");
    }

    @Test
    void joinTokenForARegistrationThatDoesNotAllowJoinTokensIsRefused() throws Exception {
        h.register("wimse://example.org/renew-only", "\"wit\"", null);
        assertProblem(h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"wimse://example.org/renew-only\",\"ttl_seconds\":60}"),
                400, "method-not-allowed-for-identifier");
    }

    @Test
    void joinTokenRequestWithAnUnknownMemberIsRefusedNotDefaulted() throws Exception {
        h.register("wimse://example.org/svc", "\"join_token\"", null);
        HttpResponse<String> r = h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"wimse://example.org/svc\",\"ttl\":60}");
        assertProblem(r, 400, "malformed-request");
        assertThat(json(r.body()).get("detail").textValue()).contains("'ttl'");
    }

    @Test
    void joinTokenHasAtLeast128BitsAndAnExpiry() throws Exception {
        h.register("wimse://example.org/svc", "\"join_token\"", null);
        var t = json(h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"wimse://example.org/svc\",\"ttl_seconds\":60}").body());
        assertThat(t.get("token").textValue().length()).isGreaterThanOrEqualTo(22);
        assertThat(t.get("expires_at").textValue()).isEqualTo(h.clock.instant().plusSeconds(60).toString());
    }

    @Test
    void healthAndMetrics() throws Exception {
        assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(json(h.get("/healthz").body()).get("status").textValue()).isEqualTo("ok");
        h.register("wimse://example.org/svc", "\"join_token\"", null);
        h.issueWithJoinToken(io.wimse4j.core.key.WorkloadKeyPair.generate(io.wimse4j.core.jose.JwsAlgorithm.EdDSA),
                h.joinToken("wimse://example.org/svc"));
        h.issueWithJoinToken(io.wimse4j.core.key.WorkloadKeyPair.generate(io.wimse4j.core.jose.JwsAlgorithm.EdDSA), "nope-nope-nope");
        String metrics = h.get("/metrics").body();
        assertThat(metrics).contains("wimse_issuance_total{result=\"issued\"} 1.0")
                .contains("wimse_issuance_total{result=\"join-token-invalid\"} 1.0")
                .contains("wimse_issuance_seconds_count 2");
    }

    @Test
    void caPemIsServedAndIsTheTrustAnchorTheClientUses() throws Exception {
        HttpResponse<String> r = h.get("/ca.pem");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-pem-file");
        assertThat(r.body()).startsWith("-----BEGIN CERTIFICATE-----").isEqualTo(h.server().caPem());
    }

    @Test
    void unknownPathIs404Problem() throws Exception {
        assertProblem(h.get("/nope"), 404, "not-found");
    }
}
