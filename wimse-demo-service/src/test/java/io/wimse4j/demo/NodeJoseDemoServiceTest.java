package io.wimse4j.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import io.wimse4j.testkit.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.demo.Workload.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An implementation independent of wimse4j on both ends of the caller: tokens minted by the npm
 * package {@code jose} and sent by node's built-in {@code fetch} over a real TLS connection (the
 * test CA handed to node through {@code NODE_EXTRA_CA_CERTS}), to a running demo service. The
 * genuine request is accepted and echoed; tampered variants each get their problem type.
 *
 * <p>Each case mints its own issuer key in its own trust domain ({@code tN.example}), so one
 * service trusts several trust domains at once (ID-3). Needs {@code node} and
 * {@code npm ci --prefix interop/node}: skipped without them, failing when {@code CI} is set.
 */
class NodeJoseDemoServiceTest {
    private static final String AUD = Workload.BASE + "/echo";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    static Path dir;

    private static Path harness;
    private static Path caPem;
    private static DemoService service;
    private static final List<Minted> MINTED = new ArrayList<>();

    /** One node-minted credential set: trust domain, subject, JWKS, WIT, a second WIT, the WPT. */
    private record Minted(String trustDomain, String sub, String jwks, String wit, String otherWit, String wpt, JsonNode headers) {
    }

    @BeforeAll
    static void mintAndStart() throws Exception {
        harness = findHarness();
        String missing = whatIsMissing(harness);
        if (!missing.isEmpty()) {
            throw Prerequisite.missing(missing + "; install the interop dependencies with: npm ci --prefix interop/node");
        }
        TestPki pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        caPem = pki.writeCaPem(dir);
        DemoService.Builder b = DemoService.builder().externalBaseUri(Workload.BASE).tls(pem.cert(), pem.key())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < Case.values().length; i++) {
            Minted m = mint(Case.values()[i], i);
            MINTED.add(m);
            b.trust(m.trustDomain(), m.jwks());
        }
        service = b.build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    /** What each case mints with node jose. */
    private enum Case { GOOD, REPLAYED, WRONG_AUDIENCE, WIT_SIGNATURE, WRONG_WTH, EXPIRED, WRONG_TYP,
        CURRENT_GOOD, CURRENT_FORGED, CURRENT_BOTH }

    private static Minted mint(Case c, int i) throws Exception {
        String td = "t" + i + ".example";
        String sub = "wimse://" + td + "/svc/node-caller";
        ObjectNode in = JSON.createObjectNode();
        in.put("issuerAlg", i % 2 == 0 ? "ES256" : "EdDSA");
        in.put("workloadAlg", i % 2 == 0 ? "EdDSA" : "ES256");
        in.put("sub", sub);
        in.put("iss", "https://issuer." + td);
        in.put("audience", c == Case.WRONG_AUDIENCE ? "https://other.example.org/echo" : AUD);
        in.put("now", c == Case.EXPIRED ? NOW.getEpochSecond() - 1800 : NOW.getEpochSecond());
        in.put("witTtl", 3600);
        in.put("wptTtl", 60);
        if (c == Case.WRONG_TYP) {
            in.put("wptTyp", "jwt");
        }
        if (c.name().startsWith("CURRENT_")) {
            in.put("transport", "authorization"); // node builds the request's headers: 'Authorization: WPT <wpt>'
        }
        JsonNode out = node("mint", in, null);
        assertThat(out.path("ok").asBoolean()).as("mint: %s", out).isTrue();
        return new Minted(td, sub, out.get("jwks").toString(), out.get("wit").asText(), out.get("otherWit").asText(),
                out.get("wpt").asText(), out.get("headers"));
    }

    /** Sends GET /echo with node's fetch, trusting the test CA; returns {status, contentType, body}. */
    private static JsonNode fetch(String wit, String wpt) throws Exception {
        ObjectNode headers = JSON.createObjectNode().put("Workload-Identity-Token", wit).put("Workload-Proof-Token", wpt);
        return fetch(headers);
    }

    /** Sends GET /echo with {@code headers} by node's fetch; returns {status, contentType, wwwAuthenticate, body}. */
    private static JsonNode fetch(JsonNode headers) throws Exception {
        ObjectNode in = JSON.createObjectNode();
        in.put("url", service.localUri() + "/echo");
        in.put("method", "GET");
        in.set("headers", headers);
        JsonNode out = node("send", in, caPem);
        assertThat(out.path("ok").asBoolean()).as("send: %s", out).isTrue();
        return out;
    }

    private static void assertProblem(JsonNode answer, Reason reason) {
        assertThat(answer.get("status").asInt()).as("%s", answer).isEqualTo(reason.httpStatus());
        assertThat(answer.get("contentType").asText()).isEqualTo("application/problem+json");
        JsonNode problem = Workload.json(answer.get("body").asText());
        assertThat(problem.get("code").asText()).isEqualTo(reason.code());
        assertThat(ProblemDetails.parse(answer.get("body").asText()).is(reason)).isTrue();
    }

    @Test
    void nodeJoseTokensSentByNodeFetchOverTlsAreAcceptedAndEchoed() throws Exception {
        Minted m = MINTED.get(Case.GOOD.ordinal());
        JsonNode answer = fetch(m.wit(), m.wpt());
        assertThat(answer.get("status").asInt()).as("%s", answer).isEqualTo(200);
        assertThat(answer.get("contentType").asText()).startsWith("application/json");
        JsonNode echo = Workload.json(answer.get("body").asText());
        assertThat(echo.get("workload").asText()).isEqualTo(m.sub());
        assertThat(echo.get("trust_domain").asText()).isEqualTo(m.trustDomain());
        assertThat(echo.get("method").asText()).isEqualTo("GET");
        assertThat(echo.get("path").asText()).isEqualTo("/echo");
    }

    @Test
    void P2_1_aNodeJoseRequestWithAuthorizationWptIsAcceptedOverTls() throws Exception {
        Minted m = MINTED.get(Case.CURRENT_GOOD.ordinal());
        assertThat(m.headers().get("Authorization").asText()).isEqualTo("WPT " + m.wpt());
        assertThat(m.headers().has("Workload-Proof-Token")).isFalse();
        JsonNode answer = fetch(m.headers());
        assertThat(answer.get("status").asInt()).as("%s", answer).isEqualTo(200);
        assertThat(Workload.json(answer.get("body").asText()).get("workload").asText()).isEqualTo(m.sub());
    }

    @Test
    void P2_4_aForgedAuthorizationWptAnswers401WithTheWptChallengeAndAProblem() throws Exception {
        Minted m = MINTED.get(Case.CURRENT_FORGED.ordinal());
        ObjectNode headers = ((ObjectNode) m.headers().deepCopy()).put("Authorization", "WPT " + RawJws.flipSignatureBit(m.wpt()));
        JsonNode answer = fetch(headers);
        assertThat(answer.get("status").asInt()).as("%s", answer).isEqualTo(401);
        assertThat(answer.get("wwwAuthenticate").asText()).isEqualTo("WPT");
        assertThat(answer.get("contentType").asText()).isEqualTo("application/problem+json");
        ProblemDetails problem = ProblemDetails.parse(answer.get("body").asText());
        assertThat(problem.is(Reason.BAD_SIGNATURE)).isTrue();
        assertThat(problem.status()).isEqualTo(401);
    }

    @Test
    void P2_2_aNodeJoseRequestCarryingBothTransportsIsRefusedWith400() throws Exception {
        Minted m = MINTED.get(Case.CURRENT_BOTH.ordinal());
        ObjectNode headers = ((ObjectNode) m.headers().deepCopy()).put("Workload-Proof-Token", m.wpt());
        JsonNode answer = fetch(headers);
        assertProblem(answer, Reason.TWO_PROOF_TRANSPORTS);
        assertThat(answer.get("wwwAuthenticate").isNull()).as("no challenge for a malformed request").isTrue();
    }

    @Test
    void V_9_theSameNodeRequestTwiceIsAReplay() throws Exception {
        Minted m = MINTED.get(Case.REPLAYED.ordinal());
        assertThat(fetch(m.wit(), m.wpt()).get("status").asInt()).isEqualTo(200);
        assertProblem(fetch(m.wit(), m.wpt()), Reason.REPLAY);
    }

    @Test
    void V_6_proofForAnotherAudienceIsRejected() throws Exception {
        Minted m = MINTED.get(Case.WRONG_AUDIENCE.ordinal());
        assertProblem(fetch(m.wit(), m.wpt()), Reason.AUDIENCE_MISMATCH);
    }

    @Test
    void V_4_modifiedWitSignatureIsRejected() throws Exception {
        Minted m = MINTED.get(Case.WIT_SIGNATURE.ordinal());
        assertProblem(fetch(RawJws.flipSignatureBit(m.wit()), m.wpt()), Reason.BAD_SIGNATURE);
    }

    @Test
    void V_8_proofMadeForAnotherWitIsRejected() throws Exception {
        Minted m = MINTED.get(Case.WRONG_WTH.ordinal());
        assertProblem(fetch(m.otherWit(), m.wpt()), Reason.WTH_MISMATCH);
    }

    @Test
    void V_7_expiredProofIsRejected() throws Exception {
        Minted m = MINTED.get(Case.EXPIRED.ordinal());
        assertProblem(fetch(m.wit(), m.wpt()), Reason.EXPIRED);
    }

    @Test
    void V_5_proofWithTheWrongTypIsRejected() throws Exception {
        Minted m = MINTED.get(Case.WRONG_TYP.ordinal());
        assertProblem(fetch(m.wit(), m.wpt()), Reason.WRONG_TYP);
    }

    // ---------------------------------------------------------------- running node

    private static JsonNode node(String subcommand, JsonNode input, Path extraCa) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", harness.resolve("interop.mjs").toString(), subcommand)
                .directory(harness.toFile());
        if (extraCa != null) {
            pb.environment().put("NODE_EXTRA_CA_CERTS", extraCa.toString());
        }
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("node interop.mjs " + subcommand + " did not finish within 60 s");
        }
        String stdout = new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        String stderr = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("interop.mjs %s exit code; stdout %s; stderr %s", subcommand, stdout, stderr).isZero();
        return JSON.readTree(stdout);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findHarness() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("interop").resolve("node");
            if (Files.isRegularFile(candidate.resolve("interop.mjs"))) {
                return candidate;
            }
        }
        return Path.of("interop", "node");
    }

    private static String whatIsMissing(Path harness) {
        if (!Files.isRegularFile(harness.resolve("interop.mjs"))) {
            return "interop/node/interop.mjs not found from " + Path.of("").toAbsolutePath();
        }
        if (!Files.isDirectory(harness.resolve("node_modules").resolve("jose"))) {
            return "interop/node/node_modules/jose is not installed";
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return "'node --version' failed";
            }
        } catch (IOException e) {
            return "'node' is not on the PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for node";
        }
        return "";
    }
}
