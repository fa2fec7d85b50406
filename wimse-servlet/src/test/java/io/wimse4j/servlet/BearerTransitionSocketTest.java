package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.ProblemType;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.WorkloadIdentifier;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WIT-12: the opt-in bearer-token transition policy of {@link WimseFilter}, through a real Jetty 12
 * server on 127.0.0.1 and a real socket.
 */
class BearerTransitionSocketTest {
    private static final URI BASE = URI.create("https://api.example.org");
    /** The WIMSE-capable caller of the fixture (its WIT names it). */
    private static final String CALLER = "wimse://example.org/svc/caller";
    /** A legacy caller still on bearer tokens. */
    private static final String LEGACY = "wimse://example.org/svc/legacy";
    /** A workload of a trust domain that is wholly still on bearer tokens. */
    private static final String LEGACY_DOMAIN_WORKLOAD = "wimse://legacy.example/batch";
    private static final String LEGACY_TOKEN = "legacy-access-token-3f9a1c7e5b";
    private static final String CALLER_TOKEN = "caller-access-token-8d2e6b0a4f";
    private static final String DOMAIN_TOKEN = "domain-access-token-71c5e9a3d2";
    private static final String THROWING_TOKEN = "throwing-access-token-5a8c2e";
    private static final String SECRET_DETAIL = "sekrit-validation-detail";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Fixture f = new Fixture();
    private final AtomicInteger authenticatorCalls = new AtomicInteger();
    private final AtomicInteger servletCalls = new AtomicInteger();
    private Server server;
    private int port;

    /** The application's bearer validation: a fixed table, throwing for one token. */
    private final BearerAuthenticator authenticator = token -> {
        authenticatorCalls.incrementAndGet();
        if (token.equals(THROWING_TOKEN)) {
            throw new IllegalStateException(SECRET_DETAIL + " while validating " + token);
        }
        String id = Map.of(LEGACY_TOKEN, LEGACY, CALLER_TOKEN, CALLER, DOMAIN_TOKEN, LEGACY_DOMAIN_WORKLOAD).get(token);
        return id == null ? Optional.empty() : Optional.of(WorkloadIdentifier.parse(id));
    };

    /** Answers principal name, auth type, the method attribute and whether a VerifiedCaller is present. */
    final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            servletCalls.incrementAndGet();
            Object caller = req.getAttribute(WimseFilter.CALLER_ATTRIBUTE);
            WorkloadPrincipal p = (WorkloadPrincipal) req.getUserPrincipal();
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().print(p.getName() + "|" + p.method() + "|" + req.getAuthType() + "|"
                    + req.getAttribute(WimseFilter.AUTHENTICATION_METHOD_ATTRIBUTE) + "|"
                    + (caller instanceof VerifiedCaller vc ? vc.workload().value() : "none"));
        }
    }

    private void start(BearerTransitionPolicy policy, AuthorizationPolicy authorization) throws Exception {
        WimseFilter.Builder b = WimseFilter.builder().verifier(f.verifier().build()).externalBaseUri(BASE)
                .authorization(authorization);
        if (policy != null) {
            b.bearerTransition(policy);
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(b.build()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new EchoServlet()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    private void start(BearerTransitionPolicy policy) throws Exception {
        start(policy, AuthorizationPolicy.allowAll());
    }

    private BearerTransitionPolicy.Builder legacyPolicy() {
        return BearerTransitionPolicy.builder().authenticator(authenticator).allowWorkloads(LEGACY);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET();
    }

    private HttpRequest.Builder bearer(String path, String token) {
        return get(path).header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Asserts an exact problem response (status, code, title) and returns its body. */
    private static JsonNode assertProblem(HttpResponse<String> r, ProblemType expected) throws Exception {
        return assertProblem(r, expected, expected.status());
    }

    /**
     * A request with no proof in either transport is a credential failure answered 401 with the wpt-02
     * challenge (P2-4): never a {@code Bearer} challenge, which would invite the retry the policy refuses.
     */
    private static JsonNode assertChallenged(HttpResponse<String> r, ProblemType expected) throws Exception {
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("WPT");
        return assertProblem(r, expected, 401);
    }

    /** Asserts an exact problem response with {@code status} (code, title) and returns its body. */
    private static JsonNode assertProblem(HttpResponse<String> r, ProblemType expected, int status) throws Exception {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.get("code").asText()).as("code; body %s", r.body()).isEqualTo(expected.code());
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.get("title").asText()).isEqualTo(expected.title());
        assertThat(ProblemDetails.parse(r.body()).is(expected)).isTrue();
        for (String token : List.of(LEGACY_TOKEN, CALLER_TOKEN, DOMAIN_TOKEN, THROWING_TOKEN)) {
            assertThat(r.body()).doesNotContain(token);
        }
        return json;
    }

    private static List<String> auditLines(String path) throws IOException {
        return Files.readAllLines(Path.of("target", "servlet-test.log"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("INFO " + WimseFilter.AUDIT_LOGGER) && l.contains(" path=" + path + " ")).toList();
    }

    private static String audit(String path, String caller, String decision, String reason, String auth) {
        return "INFO " + WimseFilter.AUDIT_LOGGER + " - method=GET path=" + path + " caller=" + caller
                + " decision=" + decision + " reason=" + reason + " auth=" + auth;
    }

    private static String probe(String prefix) {
        return prefix + System.nanoTime();
    }

    @Test
    void WIT_12_byDefaultABearerOnlyRequestIsRejectedAsBefore() throws Exception {
        start(null);
        String path = probe("/orders/default");
        assertChallenged(send(bearer(path, LEGACY_TOKEN)), Reason.MISSING_WIT);
        assertThat(servletCalls).hasValue(0);
        assertThat(auditLines(path)).containsExactly(audit(path, "-", "reject", "MISSING_WIT", "wimse"));
    }

    @Test
    void WIT_12_anAllowedCallerAuthenticatesWithItsBearerToken() throws Exception {
        start(legacyPolicy().build());
        String path = probe("/orders/legacy");
        HttpResponse<String> r = send(bearer(path, LEGACY_TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // principal, its method, getAuthType(), the method attribute; no VerifiedCaller for a bearer caller
        assertThat(r.body()).isEqualTo(LEGACY + "|BEARER|BEARER|BEARER|none");
        assertThat(authenticatorCalls).hasValue(1);
        assertThat(auditLines(path)).containsExactly(audit(path, LEGACY, "allow", "-", "bearer"));
        assertThat(Files.readString(Path.of("target", "servlet-test.log"))).doesNotContain(LEGACY_TOKEN);
    }

    @Test
    void WIT_12_aWholeTrustDomainMayStayOnBearerTokens() throws Exception {
        start(BearerTransitionPolicy.builder().authenticator(authenticator).allowTrustDomains("legacy.example").build());
        // the scheme is case-insensitive (RFC 9110 section 11.1)
        HttpResponse<String> r = send(get("/orders").header("Authorization", "bearer " + DOMAIN_TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(LEGACY_DOMAIN_WORKLOAD + "|BEARER|BEARER|BEARER|none");
        // the same domain does not cover a workload of another trust domain
        assertProblem(send(bearer("/orders", LEGACY_TOKEN)), FilterProblem.BEARER_NOT_ALLOWED);
    }

    @Test
    void WIT_12_aCallerThatSupportsWimseIsRefusedAfterBearerAuthentication() throws Exception {
        start(legacyPolicy().build());
        String path = probe("/orders/recheck");
        JsonNode json = assertProblem(send(bearer(path, CALLER_TOKEN)), FilterProblem.BEARER_NOT_ALLOWED);
        assertThat(json.get("title").asText()).isEqualTo("Bearer token not allowed");
        assertThat(json.get("detail").asText()).contains(CALLER).contains("Workload-Identity-Token");
        assertThat(authenticatorCalls).hasValue(1);
        assertThat(servletCalls).hasValue(0);
        assertThat(auditLines(path)).containsExactly(audit(path, CALLER, "reject", "BEARER_NOT_ALLOWED", "bearer"));
    }

    @Test
    void WIT_12_witAndWptArePreferredOverABearerTokenNamingAnotherCaller() throws Exception {
        start(legacyPolicy().build());
        String path = probe("/orders/both");
        // the proof binds the bearer token (V-10); the bearer token's own identity (LEGACY) is not used
        HttpResponse<String> r = send(get(path).header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt(BASE + path, ProofBindings.accessToken(LEGACY_TOKEN)))
                .header("Authorization", "Bearer " + LEGACY_TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(CALLER + "|WIMSE|WIMSE|WIMSE|" + CALLER);
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(auditLines(path)).containsExactly(audit(path, CALLER, "allow", "-", "wimse"));
    }

    @Test
    void P2_3_aRequestProvedWithAuthorizationWptNeverTakesTheBearerPath() throws Exception {
        start(legacyPolicy().build());
        String path = probe("/orders/wpt02");
        HttpResponse<String> ok = send(get(path).header("Workload-Identity-Token", f.wit)
                .header("Authorization", "WPT " + f.wpt(BASE + path, ProofBindings.NONE)));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(auditLines(path)).containsExactly(audit(path, CALLER, "allow", "-", "wimse"));
        // a forged proof in Authorization: WPT beside a bearer token the policy would accept: never the bearer path
        assertChallenged(send(get("/orders").header("Authorization", "WPT " + RawJws.flipSignatureBit(f.wpt(ProofBindings.NONE)))
                .header("Authorization", "Bearer " + LEGACY_TOKEN)), Reason.MISSING_WIT);
        // both folded into one field by a proxy: not a bearer token either
        assertChallenged(send(get("/orders").header("Authorization", "Bearer " + LEGACY_TOKEN + ", WPT "
                + f.wpt(ProofBindings.NONE))), Reason.MISSING_WIT);
        assertChallenged(send(get("/orders").header("Authorization", "Bearer " + LEGACY_TOKEN + ",x")), Reason.MISSING_WIT);
        assertThat(authenticatorCalls).hasValue(0);
    }

    @Test
    void WIT_12_aWimseHeaderAlwaysSelectsWimseVerification() throws Exception {
        start(legacyPolicy().build());
        // an unbound bearer token next to a WIT and WPT is refused by V-10, never authenticated on its own
        assertProblem(send(get("/orders").header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt(ProofBindings.NONE))
                .header("Authorization", "Bearer " + LEGACY_TOKEN)), Reason.ATH_MISSING);
        // a WIT without its proof does not fall back to the bearer token
        assertChallenged(send(bearer("/orders", LEGACY_TOKEN).header("Workload-Identity-Token", f.wit)), Reason.MISSING_WPT);
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(servletCalls).hasValue(0);
    }

    @Test
    void WIT_12_aProofWithoutWitOrAnEmptyWimseHeaderNeverFallsBackToTheBearerToken() throws Exception {
        start(legacyPolicy().build());
        // a WPT without its WIT (header name in lower case)
        assertProblem(send(bearer("/orders", LEGACY_TOKEN).header("workload-proof-token", f.wpt(ProofBindings.NONE))),
                Reason.MISSING_WIT);
        // WIMSE headers present but empty
        assertChallenged(send(bearer("/orders", LEGACY_TOKEN).header("Workload-Identity-Token", "")), Reason.MISSING_WPT);
        assertProblem(send(bearer("/orders", LEGACY_TOKEN).header("Workload-Proof-Token", "")), Reason.MISSING_WIT);
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(servletCalls).hasValue(0);
    }

    @Test
    void WIT_9_aWitInAuthorizationIsStillRefusedUnderTheTransitionPolicy() throws Exception {
        // an authenticator that would accept any token: the WIT must never reach it
        BearerAuthenticator acceptsAnything = token -> {
            authenticatorCalls.incrementAndGet();
            return Optional.of(WorkloadIdentifier.parse(LEGACY));
        };
        start(BearerTransitionPolicy.builder().authenticator(acceptsAnything).allowWorkloads(LEGACY).build());
        String path = probe("/orders/wit9");
        assertProblem(send(bearer(path, f.wit)), Reason.WIT_AS_BEARER);
        assertProblem(send(get("/orders").header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt(ProofBindings.NONE))
                .header("Authorization", "Bearer " + f.wit)), Reason.WIT_AS_BEARER);
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(servletCalls).hasValue(0);
        assertThat(auditLines(path)).containsExactly(audit(path, "-", "reject", "WIT_AS_BEARER", "bearer"));
    }

    /** {@code token} with its signature part re-encoded by {@code change}; header and payload (the signed input) untouched. */
    private static String reEncodedSignature(String token, java.util.function.UnaryOperator<String> change) {
        int last = token.lastIndexOf('.');
        return token.substring(0, last + 1) + change.apply(token.substring(last + 1));
    }

    @Test
    void WIT_9_aWitWhoseSignaturePartIsReEncodedIsStillRefusedAsABearerToken() throws Exception {
        // The application's existing JWT validation trusts the Identity Server's key and decodes
        // base64url leniently, as Nimbus JOSE+JWT does: padding, foreign characters and non-canonical
        // trailing bits in the signature part (outside the signing input) still verify.
        ECKey issuerKey = ECKey.parse(f.issuerKey.publicJwk().toJson());
        BearerAuthenticator lenientJwtValidation = token -> {
            authenticatorCalls.incrementAndGet();
            JWSObject jws = JWSObject.parse(token);
            if (!jws.verify(new ECDSAVerifier(issuerKey))) {
                return Optional.empty();
            }
            return Optional.of(WorkloadIdentifier.parse((String) jws.getPayload().toJSONObject().get("sub")));
        };
        // the whole trust domain is still on bearer tokens; some of its workloads already have WITs
        start(BearerTransitionPolicy.builder().authenticator(lenientJwtValidation).allowTrustDomains("example.org").build());
        String base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        List<String> variants = List.of(
                reEncodedSignature(f.wit, sig -> sig + "=".repeat((4 - sig.length() % 4) % 4)),
                reEncodedSignature(f.wit, sig -> sig.substring(0, sig.length() - 1)
                        + base64url.charAt(base64url.indexOf(sig.charAt(sig.length() - 1)) ^ 1)),
                reEncodedSignature(f.wit, sig -> sig + "%"));
        for (String variant : variants) {
            assertThat(variant).isNotEqualTo(f.wit);
            // a working bearer credential for the WIT's subject, without any proof of possession
            assertThat(lenientJwtValidation.authenticate(variant)).contains(f.workload);
        }
        authenticatorCalls.set(0);
        for (String variant : variants) {
            assertProblem(send(bearer("/orders", variant)), Reason.WIT_AS_BEARER);
        }
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(servletCalls).hasValue(0);
    }

    @Test
    void WIT_12_disablingBearerEndsTheTransition() throws Exception {
        BearerTransitionPolicy disabled = legacyPolicy().disableBearer().build();
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.allowsBearer(WorkloadIdentifier.parse(LEGACY))).isFalse();
        start(disabled);
        assertChallenged(send(bearer("/orders", LEGACY_TOKEN)), Reason.MISSING_WIT);
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(servletCalls).hasValue(0);
        // WIMSE callers are unaffected
        HttpResponse<String> ok = send(get("/orders").header("Workload-Identity-Token", f.wit)
                .header("Workload-Proof-Token", f.wpt(ProofBindings.NONE)));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void WIT_12_anAuthenticatorFailureIsRefusedWithoutItsDetails() throws Exception {
        start(legacyPolicy().build());
        String path = probe("/orders/throwing");
        JsonNode json = assertProblem(send(bearer(path, THROWING_TOKEN)), FilterProblem.BEARER_INVALID);
        assertThat(json.get("detail").asText()).isEqualTo("the bearer token was not accepted");
        assertThat(json.toString()).doesNotContain(SECRET_DETAIL).doesNotContain("IllegalState");
        // an unknown token (empty answer) gets the same problem
        String unknown = probe("/orders/unknown");
        assertProblem(send(bearer(unknown, "no-such-token-0123456789")), FilterProblem.BEARER_INVALID);
        assertThat(authenticatorCalls).hasValue(2);
        assertThat(servletCalls).hasValue(0);
        assertThat(auditLines(path)).containsExactly(audit(path, "-", "reject", "BEARER_INVALID", "bearer"));
        String log = Files.readString(Path.of("target", "servlet-test.log"));
        assertThat(log).doesNotContain(SECRET_DETAIL).doesNotContain(THROWING_TOKEN).doesNotContain("no-such-token-0123456789");
    }

    @Test
    void WIT_12_theAuthorizationPolicyAppliesToBearerCallers() throws Exception {
        start(legacyPolicy().build(), AuthorizationPolicy.builder()
                .path("/orders").allowWorkloads(LEGACY, CALLER).add()
                .path("/admin").allowWorkloads(CALLER).add().build());
        HttpResponse<String> orders = send(bearer("/orders", LEGACY_TOKEN));
        assertThat(orders.statusCode()).as(orders.body()).isEqualTo(200);
        String path = probe("/admin/x");
        assertProblem(send(bearer(path, LEGACY_TOKEN)), FilterProblem.FORBIDDEN);
        assertThat(auditLines(path)).containsExactly(audit(path, LEGACY, "deny", "FORBIDDEN", "bearer"));
    }

    @Test
    void WIT_12_oversizedAndRepeatedBearerTokensAreRefusedBeforeTheAuthenticator() throws Exception {
        start(legacyPolicy().maxTokenLength(256).build());
        assertProblem(send(bearer("/orders", "a".repeat(257))), Reason.TOKEN_TOO_LARGE);
        assertProblem(send(bearer("/orders", LEGACY_TOKEN).header("Authorization", "Bearer " + LEGACY_TOKEN)),
                Reason.REPEATED_HEADER);
        assertThat(authenticatorCalls).hasValue(0);
        assertThat(servletCalls).hasValue(0);
        // other schemes are not bearer tokens: the request needs WIMSE credentials
        assertChallenged(send(get("/orders").header("Authorization", "Basic dXNlcjpwYXNzd29yZA==")), Reason.MISSING_WIT);
        assertThat(authenticatorCalls).hasValue(0);
    }

    @Test
    void WIT_12_builderRejectsContradictorySettings() throws Exception {
        assertThatThrownBy(() -> BearerTransitionPolicy.builder().allowWorkloads(LEGACY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticator");
        assertThatThrownBy(() -> BearerTransitionPolicy.builder().authenticator(authenticator).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disableBearer");
        assertThatThrownBy(() -> BearerTransitionPolicy.builder().allowWorkloads("not a uri"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BearerTransitionPolicy.builder().maxTokenLength(10))
                .isInstanceOf(IllegalArgumentException.class);
        // ending the transition needs no authenticator
        BearerTransitionPolicy ended = BearerTransitionPolicy.builder().disableBearer().build();
        assertThat(ended.enabled()).isFalse();
        BearerTransitionPolicy p = legacyPolicy().allowTrustDomains("legacy.example").build();
        assertThat(p.allowsBearer(WorkloadIdentifier.parse(LEGACY))).isTrue();
        assertThat(p.allowsBearer(WorkloadIdentifier.parse("wimse://legacy.example/any"))).isTrue();
        assertThat(p.allowsBearer(WorkloadIdentifier.parse(CALLER))).isFalse();
    }

    @Test
    void bearerSchemeParsing() {
        assertThat(FilterRequests.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(FilterRequests.bearerToken("bEaReR  abc ")).isEqualTo("abc");
        assertThat(FilterRequests.bearerToken("Bearer ")).isNull();
        assertThat(FilterRequests.bearerToken("Bearerabc")).isNull();
        assertThat(FilterRequests.bearerToken("DPoP abc")).isNull();
        assertThat(FilterRequests.bearerToken("Basic abc")).isNull();
        assertThat(FilterRequests.bearerToken(null)).isNull();
    }
}
