package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.ProblemType;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter in front of a real Jetty 12 server on 127.0.0.1, called over a real socket. */
class WimseFilterSocketTest {
    private static final URI BASE = URI.create("https://api.example.org");
    private static final String CALLER = "wimse://example.org/svc/caller";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Fixture f = new Fixture();
    private Server server;
    private int port;

    /** Answers the principal name and the caller attribute. */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Object caller = req.getAttribute(WimseFilter.CALLER_ATTRIBUTE);
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().print(req.getUserPrincipal().getName() + "|"
                    + (caller instanceof VerifiedCaller vc ? vc.workload().value() + "|" + vc.trustDomain().name() : "none"));
        }
    }

    private void start(WimseFilter filter) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new EchoServlet()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    private void start(RequestVerifier verifier, AuthorizationPolicy policy) throws Exception {
        start(WimseFilter.builder().verifier(verifier).externalBaseUri(BASE).authorization(policy).build());
    }

    private void start(RequestVerifier verifier) throws Exception {
        start(verifier, AuthorizationPolicy.allowAll());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpRequest.Builder get(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
    }

    private HttpRequest.Builder signed(String pathAndQuery) {
        return get(pathAndQuery).header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt(ProofBindings.NONE));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Asserts an exact problem response (status, code, title) and returns its body. */
    private JsonNode assertProblem(HttpResponse<String> r, ProblemType expected) throws Exception {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(expected.status());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.get("code").asText()).as("code; body %s", r.body()).isEqualTo(expected.code());
        assertThat(json.get("status").asInt()).isEqualTo(expected.status());
        assertThat(json.get("title").asText()).isEqualTo(expected.title());
        assertThat(json.get("detail").isTextual()).isTrue();
        // the one reader accepts it: its type is the type of its code
        assertThat(ProblemDetails.parse(r.body()).is(expected)).isTrue();
        assertNoTokenIn(r.body());
        return json;
    }

    private void assertNoTokenIn(String text) {
        assertThat(text).doesNotContain(f.wit);
        for (String part : f.wit.split("\\.")) {
            assertThat(text).doesNotContain(part);
        }
    }

    @Test
    void acceptsAValidRequestAndExposesTheCaller() throws Exception {
        start(f.verifier().build());
        HttpResponse<String> r = send(signed("/orders?page=2"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(CALLER + "|" + CALLER + "|example.org");
    }

    @Test
    void forgedHostHeaderCannotChangeTheAudience() throws Exception {
        start(f.verifier().build());
        // A proof for the configured external URI passes whatever Host says.
        HttpResponse<String> ok = send(signed("/orders").header("Host", "evil.example.com")
                .header("X-Forwarded-Host", "evil.example.com"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

        // A proof made for the forged host is refused although Host matches it.
        HttpResponse<String> forged = send(get("/orders").header("Host", "evil.example.com")
                .header("X-Forwarded-Host", "evil.example.com")
                .header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt("https://evil.example.com/orders", ProofBindings.NONE)));
        assertProblem(forged, Reason.AUDIENCE_MISMATCH);
    }

    @Test
    void missingWpt() throws Exception {
        start(f.verifier().build());
        HttpResponse<String> r = send(get("/orders").header("Workload-Identity-Token", f.wit));
        // no proof in either transport: a credential failure, answered 401 with the wpt-02 challenge (P2-4)
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("WPT");
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.get("code").asText()).isEqualTo("missing-wpt");
        assertThat(json.get("status").asInt()).isEqualTo(401);
    }

    @Test
    void tamperedProof() throws Exception {
        start(f.verifier().build());
        String wpt = f.wpt(ProofBindings.NONE);
        HttpResponse<String> r = send(get("/orders").header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", RawJws.flipSignatureBit(wpt)));
        assertProblem(r, Reason.BAD_SIGNATURE);
        assertThat(r.body()).doesNotContain(wpt.substring(wpt.lastIndexOf('.') + 1));
        assertThat(r.body()).doesNotContain(wpt.substring(0, wpt.indexOf('.')));
    }

    @Test
    void replayedProof() throws Exception {
        start(f.verifier().build());
        String wpt = f.wpt(ProofBindings.NONE);
        HttpRequest.Builder once = get("/orders").header("Workload-Identity-Token", f.wit).header("Workload-Proof-Token", wpt);
        assertThat(send(once).statusCode()).isEqualTo(200);
        HttpResponse<String> again = send(get("/orders").header("Workload-Identity-Token", f.wit).header("Workload-Proof-Token", wpt));
        JsonNode json = assertProblem(again, Reason.REPLAY);
        assertThat(json.get("code").asText()).isEqualTo("replay");
    }

    @Test
    void replayCacheDownAnswers503() throws Exception {
        start(f.verifier().replayCache((key, until) -> {
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "replay store unreachable");
        }).build());
        HttpResponse<String> r = send(signed("/orders"));
        JsonNode json = assertProblem(r, Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json.get("detail").asText()).isEqualTo("replay store unreachable");
    }

    /** A representative subset of reasons, produced by real requests. */
    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of(Reason.MISSING_WIT, (Function<Fixture, List<String[]>>) f -> List.<String[]>of(h("X-Unrelated", "1"),
                        h("Workload-Proof-Token", f.wpt(ProofBindings.NONE)))),
                Arguments.of(Reason.REPEATED_HEADER, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", f.wpt(ProofBindings.NONE)),
                        h("Workload-Proof-Token", f.wpt(ProofBindings.NONE)))),
                Arguments.of(Reason.MALFORMED_TOKEN, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit), h("Workload-Proof-Token", "not-a-jwt"))),
                Arguments.of(Reason.WRONG_TYP, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", f.craftWpt(f.wit, hd -> hd.put("typ", "jwt"), Fixture.same())))),
                Arguments.of(Reason.EXPIRED, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", f.craftWpt(f.wit, Fixture.same(), c -> c
                                .put("iat", Fixture.NOW.getEpochSecond() - 3600).put("exp", Fixture.NOW.getEpochSecond() - 3000))))),
                Arguments.of(Reason.WTH_MISMATCH, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", f.craftWpt(f.wit, Fixture.same(), c -> c.put("wth", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))))),
                Arguments.of(Reason.WIT_AS_BEARER, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", f.wpt(ProofBindings.NONE)),
                        h("Authorization", "Bearer " + f.wit))),
                Arguments.of(Reason.ATH_MISSING, (Function<Fixture, List<String[]>>) f -> List.of(
                        h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", f.wpt(ProofBindings.NONE)),
                        h("Authorization", "Bearer some-access-token"))));
    }

    private static String[] h(String name, String value) {
        return new String[] {name, value};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectionsThroughTheSocket(Reason expected, Function<Fixture, List<String[]>> headers) throws Exception {
        start(f.verifier().build());
        HttpRequest.Builder req;
        List<String[]> sent = headers.apply(f);
        req = get("/orders");
        for (String[] hv : sent) {
            req.header(hv[0], hv[1]);
        }
        HttpResponse<String> r = send(req);
        assertProblem(r, expected);
        for (String[] hv : sent) {
            if (hv[1].length() > 8) {
                assertThat(r.body()).as("body echoes header %s", hv[0]).doesNotContain(hv[1]);
                for (String part : hv[1].split("[. ]")) {
                    if (part.length() > 8) {
                        assertThat(r.body()).doesNotContain(part);
                    }
                }
            }
        }
    }

    @Test
    void unexpectedVerifierFailureIsAuditedAndNotSwallowed() throws Exception {
        start(f.verifier().replayCache((key, until) -> {
            throw new IllegalStateException("boom");
        }).build());
        String probe = "/orders/internal" + System.nanoTime();
        HttpResponse<String> r = send(get(probe).header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt("https://api.example.org" + probe, ProofBindings.NONE)));
        assertThat(r.statusCode()).isEqualTo(500);
        assertNoTokenIn(r.body());
        List<String> lines = Files.readAllLines(Path.of("target", "servlet-test.log"), StandardCharsets.UTF_8);
        assertThat(lines).filteredOn(l -> l.contains("path=" + probe + " ")).containsExactly(
                "INFO " + WimseFilter.AUDIT_LOGGER + " - method=GET path=" + probe + " caller=- decision=reject reason=INTERNAL_ERROR auth=wimse");
    }

    @Test
    void allowedWorkloadPasses() throws Exception {
        start(f.verifier().build(), AuthorizationPolicy.builder().path("/orders").allowWorkloads(CALLER).add().build());
        HttpResponse<String> r = send(signed("/orders"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith(CALLER + "|");
    }

    @Test
    void otherWorkloadOfTheSameTrustDomainIsForbidden() throws Exception {
        start(f.verifier().build(), AuthorizationPolicy.builder()
                .path("/orders").allowWorkloads("wimse://example.org/svc/other").add().build());
        JsonNode json = assertProblem(send(signed("/orders")), FilterProblem.FORBIDDEN);
        assertThat(json.get("title").asText()).isEqualTo("Forbidden");
    }

    @Test
    void trustDomainRule() throws Exception {
        start(f.verifier().build(), AuthorizationPolicy.builder()
                .path("/orders").allowTrustDomains("example.org").add()
                .path("/admin").allowTrustDomains("other.example").add()
                .build());
        HttpResponse<String> orders = send(get("/orders/42").header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt("https://api.example.org/orders/42", ProofBindings.NONE)));
        assertThat(orders.statusCode()).as(orders.body()).isEqualTo(200);
        HttpResponse<String> admin = send(get("/admin").header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt("https://api.example.org/admin", ProofBindings.NONE)));
        assertProblem(admin, FilterProblem.FORBIDDEN);
    }

    @Test
    void methodRuleAllowsTheListedMethodAndForbidsOthers() throws Exception {
        start(f.verifier().build(), AuthorizationPolicy.builder()
                .path("/orders").methods("GET").allowWorkloads(CALLER).add().build());
        HttpResponse<String> read = send(signed("/orders"));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        HttpResponse<String> delete = send(get("/orders").method("DELETE", HttpRequest.BodyPublishers.noBody())
                .header("Workload-Identity-Token", f.wit).header("Workload-Proof-Token", f.wpt(ProofBindings.NONE)));
        assertProblem(delete, FilterProblem.FORBIDDEN);
    }

    @Test
    void unmatchedPathIsDeniedOnceRulesExist() throws Exception {
        start(f.verifier().build(), AuthorizationPolicy.builder().path("/admin").allowWorkloads(CALLER).add().build());
        assertProblem(send(signed("/orders")), FilterProblem.FORBIDDEN);
    }

    @Test
    void auditLinesNameCallerAndDecisionButNoToken() throws Exception {
        start(f.verifier().build(), AuthorizationPolicy.builder().path("/orders").allowWorkloads(CALLER).add().build());
        String probe = "/orders/audit" + System.nanoTime();
        send(get(probe).header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt("https://api.example.org" + probe, ProofBindings.NONE)));
        send(get(probe).header("Workload-Identity-Token", f.wit).header("Workload-Proof-Token", "garbage"));
        String deniedProbe = "/elsewhere" + System.nanoTime();
        send(get(deniedProbe).header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt("https://api.example.org" + deniedProbe, ProofBindings.NONE)));

        Path log = Path.of("target", "servlet-test.log");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).filteredOn(l -> l.contains("path=" + probe + " ")).containsExactly(
                "INFO " + WimseFilter.AUDIT_LOGGER + " - method=GET path=" + probe + " caller=" + CALLER + " decision=allow reason=- auth=wimse",
                "INFO " + WimseFilter.AUDIT_LOGGER + " - method=GET path=" + probe + " caller=- decision=reject reason=MALFORMED_TOKEN auth=wimse");
        assertThat(lines).filteredOn(l -> l.contains("path=" + deniedProbe + " ")).containsExactly(
                "INFO " + WimseFilter.AUDIT_LOGGER + " - method=GET path=" + deniedProbe + " caller=" + CALLER + " decision=deny reason=FORBIDDEN auth=wimse");
        assertNoTokenIn(String.join("\n", lines));
        assertThat(String.join("\n", lines).toLowerCase(Locale.ROOT)).doesNotContain("garbage");
    }

    @Test
    void builderRequiresVerifierAndBase() {
        RequestVerifier v = f.verifier().build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WimseFilter.builder().externalBaseUri(BASE).build())
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WimseFilter.builder().verifier(v).build())
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WimseFilter.builder().externalBaseUri(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WimseFilter.builder().externalBaseUri(URI.create("https://a.example/?q=1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
