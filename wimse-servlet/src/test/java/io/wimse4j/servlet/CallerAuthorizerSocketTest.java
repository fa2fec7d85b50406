package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.core.wpt.ProofBindings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WimseFilter} with authorizers other than an {@link AuthorizationPolicy}, on a real Jetty 12
 * server on 127.0.0.1 called over a real socket: one row per authorizer and request. The filter's
 * authorizer delegates to the row's, so one server serves every row.
 */
class CallerAuthorizerSocketTest {
    private static final URI BASE = URI.create("https://api.example.org");
    private static final TrustDomain EXAMPLE = new TrustDomain("example.org");
    private static final TrustDomain OTHER = new TrustDomain("other.example");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Fixture F = new Fixture();
    private static final AtomicReference<CallerAuthorizer> CURRENT = new AtomicReference<>(CallerAuthorizer.any());
    private static final List<AuthorizationRequest> ASKED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger SERVED = new AtomicInteger();
    private static Server server;
    private static int port;

    /** Counts the requests that reach the application. */
    static final class CountingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            SERVED.incrementAndGet();
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().print(req.getUserPrincipal().getName());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        CallerAuthorizer delegating = (caller, request) -> {
            ASKED.add(request);
            return CURRENT.get().permits(caller, request);
        };
        WimseFilter filter = WimseFilter.builder().verifier(F.verifier().build()).externalBaseUri(BASE)
                .authorization(delegating).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CountingServlet()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        ASKED.clear();
        SERVED.set(0);
    }

    private static WorkloadIdentifier id(String s) {
        try {
            return WorkloadIdentifier.parse(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed request for {@code path} (a fresh proof for its target URI) with {@code method}. */
    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Workload-Identity-Token", F.wit)
                .header("Workload-Proof-Token", F.wpt(BASE + path, ProofBindings.NONE)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private record Row(String rule, CallerAuthorizer authorizer, String method, String path, boolean allowed) {
        @Override
        public String toString() {
            return rule + (allowed ? ": allows " : ": denies ") + method + " " + path;
        }
    }

    static Stream<Row> rows() {
        CallerAuthorizer reportsReader = (caller, request) -> caller.trustDomain().equals(EXAMPLE)
                && request.method().filter("GET"::equals).isPresent()
                && request.path().filter(p -> p.equals("/reports") || p.startsWith("/reports/")).isPresent();
        CallerAuthorizer ordersPolicy = AuthorizationPolicy.builder().path("/orders").allowTrustDomains("example.org").add().build();
        return Stream.of(
                new Row("custom: its own method and path rule", reportsReader, "GET", "/reports/2026", true),
                new Row("custom: another method", reportsReader, "DELETE", "/reports/2026", false),
                new Row("custom: another path", reportsReader, "GET", "/orders", false),
                new Row("ID-2 memberOf: the caller's trust domain", CallerAuthorizer.memberOf(EXAMPLE), "POST", "/anything", true),
                new Row("ID-2 memberOf: another trust domain", CallerAuthorizer.memberOf(OTHER), "GET", "/anything", false),
                new Row("ID-2 id: the caller itself", CallerAuthorizer.id(F.workload), "GET", "/x", true),
                new Row("ID-2 id: the same path in another trust domain", CallerAuthorizer.id(id("wimse://other.example/svc/caller")),
                        "GET", "/x", false),
                new Row("ID-2 oneOf: the caller is listed", CallerAuthorizer.oneOf(id("wimse://example.org/svc/other"), F.workload),
                        "GET", "/x", true),
                new Row("matching: the predicate refuses", CallerAuthorizer.matching(c -> c.path().startsWith("/batch/")),
                        "GET", "/x", false),
                new Row("allOf: a path policy and a custom rule both allow", CallerAuthorizer.allOf(ordersPolicy,
                        CallerAuthorizer.matching(c -> c.path().startsWith("/svc/"))), "GET", "/orders/1", true),
                new Row("allOf: the path policy denies", CallerAuthorizer.allOf(ordersPolicy, CallerAuthorizer.any()), "GET", "/admin", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void throughTheFilter(Row row) throws Exception {
        CURRENT.set(row.authorizer());
        HttpResponse<String> r = send(row.method(), row.path());
        // the authorizer is asked once, with the request's method and its path within the application
        assertThat(ASKED).containsExactly(AuthorizationRequest.http(row.method(), row.path()));
        if (row.allowed()) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(F.workload.value());
            assertThat(SERVED).hasValue(1);
        } else {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode json = MAPPER.readTree(r.body());
            assertThat(json.get("code").asText()).isEqualTo(FilterProblem.FORBIDDEN.code());
            assertThat(ProblemDetails.parse(r.body()).is(FilterProblem.FORBIDDEN)).isTrue();
            assertThat(json.get("detail").asText()).isEqualTo("workload " + F.workload.value() + " may not " + row.method() + " this path");
            assertThat(r.body()).doesNotContain(F.wit.substring(0, F.wit.indexOf('.')));
            assertThat(SERVED).hasValue(0);
        }
    }

    @Test
    void anAuthorizerThatThrowsFailsClosedAndIsAudited() throws Exception {
        CURRENT.set((caller, request) -> {
            throw new IllegalStateException("authorizer bug");
        });
        String probe = "/throwing" + System.nanoTime();
        HttpResponse<String> r = send("GET", probe);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(SERVED).hasValue(0);
        List<String> lines = Files.readAllLines(Path.of("target", "servlet-test.log"), StandardCharsets.UTF_8);
        assertThat(lines).filteredOn(l -> l.contains("path=" + probe + " ")).containsExactly(
                "INFO " + WimseFilter.AUDIT_LOGGER + " - method=GET path=" + probe + " caller=" + F.workload.value()
                        + " decision=reject reason=INTERNAL_ERROR auth=wimse");
    }
}
