package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * identifier-03 in the Identity Server, over its real HTTPS socket: a registration (and every other admin call
 * naming an {@code id}) with an identifier that is not canonical is refused with 400 {@code malformed-request}
 * and a detail naming the fault, never normalized (ID3-2); the server's own trust domain is never an IP address
 * (ID3-5).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Identifier03ServerTest {
    static final String NOT_CANONICAL = "'id' is not a canonical workload identifier, and is never normalized (ID3-2)";

    @TempDir
    static Path tmp;
    ServerHarness h;

    @BeforeAll
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
    }

    @AfterAll
    void stop() {
        h.close();
    }

    /** One row: an identifier to register (trust domain example.org) and the detail its refusal names. */
    record Row(String name, String id, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> nonCanonical() {
        return Stream.of(
                new Row("ID3-2 wimse://Example.org/a (trust domain case) → 400", "wimse://Example.org/a", "character 'E' at index 0"),
                new Row("ID3-2 WIMSE://example.org/a (scheme case) → 400", "WIMSE://example.org/a", "scheme must be"),
                new Row("ID3-2 wimse://example.org/a/ (trailing slash) → 400", "wimse://example.org/a/", "a trailing '/' is not allowed"),
                new Row("ID3-2 wimse://example.org//a (repeated slash) → 400", "wimse://example.org//a", "an empty path segment"),
                new Row("ID3-2 wimse://example.org/./a (dot segment) → 400", "wimse://example.org/./a", "dot segments"),
                new Row("ID3-2 wimse://example.org/a%41 (percent-encoding) → 400", "wimse://example.org/a%41",
                        "percent-encoding is not allowed in the path"),
                new Row("ID3-2 wimse://example.org/a:b (a pchar, not unreserved) → 400", "wimse://example.org/a:b",
                        "character ':' is not allowed in a wimse path"),
                new Row("ID3-2 wimse://example.org (no path) → 400", "wimse://example.org", "needs a path of at least one"),
                new Row("ID3-2 wimse://example.org./a (trailing dot) → 400", "wimse://example.org./a", "must not end with a dot"),
                new Row("ID3-2 a leading space → 400, not trimmed", " wimse://example.org/a", "scheme must be"),
                new Row("ID3-2 wimse://10.0.0.1/a (an IP trust domain) → 400 before the trust-domain check", "wimse://10.0.0.1/a",
                        "an IP address is not allowed as a trust domain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonCanonical")
    void ID3_2_theIdentityServerRefusesToRegisterANonCanonicalIdentifier(Row row) throws Exception {
        ObjectNode body = StrictJson.mapper().createObjectNode().put("id", row.id());
        body.putArray("attestation").add("join_token");
        HttpResponse<String> r = h.admin("POST", "/admin/v1/registrations", body.toString());
        assertProblem(r, 400, "malformed-request");
        assertThat(json(r.body()).get("detail").textValue()).contains(NOT_CANONICAL).contains(row.detail());
        // nothing registered, under this spelling or a repaired one
        assertThat(json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")).isEmpty();
    }

    @Test
    void ID3_2_joinTokensAndDeregistrationRefuseANonCanonicalIdentifierAndTheCanonicalOneIsKeptExactly() throws Exception {
        h.register("wimse://example.org/Svc~1", "\"join_token\"", null);
        try {
            JsonNode listed = json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("id").textValue()).isEqualTo("wimse://example.org/Svc~1");

            HttpResponse<String> mint = h.admin("POST", "/admin/v1/join-tokens",
                    "{\"id\":\"wimse://example.org/Svc~1/\",\"ttl_seconds\":60}");
            assertProblem(mint, 400, "malformed-request");
            assertThat(json(mint.body()).get("detail").textValue()).contains(NOT_CANONICAL).contains("a trailing '/'");
            // another case of the path is another identifier (byte for byte), not a match
            assertProblem(h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"wimse://example.org/svc~1\",\"ttl_seconds\":60}"),
                    404, "registration-not-found");

            HttpResponse<String> delete = h.admin("DELETE", "/admin/v1/registrations?id="
                    + URLEncoder.encode("wimse://example.org/Svc%7E1", StandardCharsets.UTF_8), null);
            assertProblem(delete, 400, "malformed-request");
            assertThat(json(delete.body()).get("detail").textValue()).contains(NOT_CANONICAL).contains("percent-encoding");
            assertThat(json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")).hasSize(1);
        } finally {
            assertThat(h.admin("DELETE", "/admin/v1/registrations?id=wimse://example.org/Svc~1", null).statusCode()).isEqualTo(204);
        }
    }

    @Test
    void ID3_2_aStoredRegistrationThatIsNoCanonicalIdentifierIsLeftOutAtStart() throws Exception {
        h.register("wimse://example.org/kept", "\"join_token\"", null);
        String token = h.joinToken("wimse://example.org/kept");
        h.server().close();
        // as a version before identifier-03 could have written them: a percent-encoded path, a join token for it
        Path regs = h.stateDir.resolve("registrations.json");
        ObjectNode r = (ObjectNode) StrictJson.mapper().readTree(Files.readString(regs));
        ObjectNode old = r.withArray("registrations").addObject().put("id", "wimse://example.org/a%2Fb").put("registered_at", 0);
        old.putArray("attestation").add("join_token");
        Files.writeString(regs, r.toString());
        Path tokens = h.stateDir.resolve("join-tokens.json");
        ObjectNode t = (ObjectNode) StrictJson.mapper().readTree(Files.readString(tokens));
        t.withArray("tokens").addObject().put("hash", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .put("id", "wimse://example.org/a%2Fb").put("expires_at", h.clock.instant().getEpochSecond() + 600);
        Files.writeString(tokens, t.toString());

        h.start(); // starts: the stored identifier that is no longer valid is left out, the others kept
        try {
            JsonNode listed = json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("id").textValue()).isEqualTo("wimse://example.org/kept");
            assertThat(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).statusCode()).isEqualTo(200);
        } finally {
            h.admin("DELETE", "/admin/v1/registrations?id=wimse://example.org/kept", null);
        }
    }

    @Test
    void ID3_5_theIdentityServersTrustDomainIsNeverAnIpAddress() {
        assertThatThrownBy(() -> ServerConfig.builder("10.0.0.1")).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INVALID_IDENTIFIER);
            assertThat(e.detail()).contains("an IP address is not allowed as a trust domain");
        });
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "192.168.1.10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trust-domain").hasMessageContaining("an IP address is not allowed as a trust domain");
    }
}
