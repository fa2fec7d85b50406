package io.wimse4j.spring;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.servlet.FilterProblem;
import io.wimse4j.spring.client.WimseClientHttpRequestInterceptor;
import io.wimse4j.spring.client.WimseRestClientConfigurer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's receiving side on a real Tomcat socket: WIMSE callers as Spring Security Authentications,
 * property rules, @PreAuthorize, and the library's RFC 9457 problems through Spring's ProblemDetail.
 * The port is chosen before the context starts, because the external base URI (V-6) must name it.
 */
@SpringBootTest(classes = TestServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class WimseServerSecurityTest {
    static final TestIdentities IDS = new TestIdentities();
    static final int PORT = freePort();
    static final String BASE = "http://127.0.0.1:" + PORT;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("server.port", () -> PORT);
        r.add("server.address", () -> "127.0.0.1");
        r.add("wimse.trust-domains[0].name", () -> "example.org");
        r.add("wimse.trust-domains[0].bundle-file", () -> IDS.bundleFile.toString());
        r.add("wimse.service.base-uri", () -> BASE);
        r.add("wimse.service.http-signatures", () -> "true");
        r.add("wimse.service.authorization.permit-all[0]", () -> "/public/**");
        r.add("wimse.service.authorization.rules[0].path", () -> "/admin/**");
        r.add("wimse.service.authorization.rules[0].callers[0]", () -> TestIdentities.OTHER);
        r.add("wimse.service.authorization.rules[1].path", () -> "/hello");
        r.add("wimse.service.authorization.rules[1].trust-domains[0]", () -> "example.org");
        r.add("wimse.service.authorization.rules[2].path", () -> "/echo");
        r.add("wimse.service.authorization.rules[2].methods[0]", () -> "POST");
        r.add("wimse.service.authorization.rules[2].trust-domains[0]", () -> "example.org");
    }

    static RestClient wptClient(String workload) {
        WimseRestClientConfigurer wimse = new WimseRestClientConfigurer(WimseClientHttpRequestInterceptor.wpt(
                RequestSigner.builder().credentials(IDS.source(workload)).build()));
        return RestClient.builder().apply(wimse).baseUrl(BASE).build();
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> seedProof(String path) throws Exception {
        return RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN).credentials(IDS.source(TestIdentities.CALLER)).build()
                .sign("GET", URI.create(BASE + path), Map.of()).asMap();
    }

    static String tamperSignature(String jws) {
        int at = jws.lastIndexOf('.') + 10;
        char c = jws.charAt(at) == 'A' ? 'B' : 'A';
        return jws.substring(0, at) + c + jws.substring(at + 1);
    }

    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        ProblemDetails problem = ProblemDetails.parse(response.body());
        assertThat(problem.code()).isEqualTo(code);
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.type()).isEqualTo(ProblemDetails.of(Reason.MISSING_WIT, "x").type().resolve(code));
    }

    @Test
    void P2_1_wptCallerReachesPreAuthorizeMethodAsItsIdentifier() {
        String body = wptClient(TestIdentities.CALLER).get().uri("/hello").retrieve().body(String.class);
        assertThat(body).isEqualTo("hello " + TestIdentities.CALLER + " [wimse:method:wimse, wimse:trust-domain:example.org, wimse:workload:"
                + TestIdentities.CALLER + "]");
    }

    @Test
    void P2_1_webClientFilterFunctionSignsForTheSameService() {
        org.springframework.web.reactive.function.client.WebClient client = org.springframework.web.reactive.function.client.WebClient.builder()
                .clientConnector(new org.springframework.http.client.reactive.JdkClientHttpConnector())
                .apply(new io.wimse4j.spring.client.WimseWebClientConfigurer(io.wimse4j.spring.client.WimseExchangeFilterFunction.wpt(
                        RequestSigner.builder().credentials(IDS.source(TestIdentities.CALLER)).build())))
                .baseUrl(BASE).build();
        assertThat(client.post().uri("/echo").contentType(MediaType.TEXT_PLAIN).bodyValue("reactive").retrieve()
                .bodyToMono(String.class).block()).isEqualTo(TestIdentities.CALLER + ":reactive");
    }

    static org.springframework.web.reactive.function.client.WebClient signingWebClient(io.wimse4j.spring.client.WimseExchangeFilterFunction f) {
        return org.springframework.web.reactive.function.client.WebClient.builder()
                .clientConnector(new org.springframework.http.client.reactive.JdkClientHttpConnector())
                .apply(new io.wimse4j.spring.client.WimseWebClientConfigurer(f)).baseUrl(BASE).build();
    }

    @Test
    void HS_1_webClientSignsAPostAndItsBodyWithAnHttpSignature() {
        org.springframework.web.reactive.function.client.WebClient client = signingWebClient(io.wimse4j.spring.client.WimseExchangeFilterFunction
                .httpSignature(HttpSignatureSigner.builder(IDS.source(TestIdentities.CALLER)).build()));
        assertThat(client.post().uri("/echo").contentType(MediaType.TEXT_PLAIN).bodyValue("reactive signed").retrieve()
                .bodyToMono(String.class).block()).isEqualTo(TestIdentities.CALLER + ":reactive signed");
    }

    @Test
    void HS_1_webClientSignsARequestWithoutABody() {
        org.springframework.web.reactive.function.client.WebClient client = signingWebClient(io.wimse4j.spring.client.WimseExchangeFilterFunction
                .httpSignature(HttpSignatureSigner.builder(IDS.source(TestIdentities.CALLER)).build()));
        assertThat(client.get().uri("/hello").retrieve().bodyToMono(String.class).block())
                .startsWith("hello " + TestIdentities.CALLER + " [wimse:method:http-signature");
    }

    @Test
    void KEY_3_webClientSigningFailureFailsTheExchangeWithItsReasonAndSendsNothing() {
        double before = registry.find("wimse.verifications").timers().stream().mapToDouble(io.micrometer.core.instrument.Timer::count).sum();
        io.wimse4j.core.wpt.CredentialSource expired = () -> {
            throw new io.wimse4j.core.error.WimseException(Reason.CREDENTIALS_EXPIRED, "no fresh credentials");
        };
        org.springframework.web.reactive.function.client.WebClient client = signingWebClient(io.wimse4j.spring.client.WimseExchangeFilterFunction
                .httpSignature(HttpSignatureSigner.builder(expired).build()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.post().uri("/echo").contentType(MediaType.TEXT_PLAIN).bodyValue("x")
                        .retrieve().bodyToMono(String.class).block())
                .satisfies(e -> assertThat(causes(e)).anySatisfy(c -> assertThat(c)
                        .isInstanceOfSatisfying(io.wimse4j.spring.client.WimseExchangeFilterFunction.WimseSigningFailure.class,
                                f -> assertThat(f.failure().reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED))));
        assertThat(registry.find("wimse.verifications").timers().stream().mapToDouble(io.micrometer.core.instrument.Timer::count).sum())
                .as("the request never reached the service").isEqualTo(before);
    }

    @Test
    void forbiddenCallerGets403ForbiddenProblem() throws Exception {
        Map<String, String> proof = RequestSigner.builder().credentials(IDS.source(TestIdentities.CALLER)).build()
                .sign("GET", URI.create(BASE + "/admin/only"), Map.of()).asMap();
        assertProblem(send("GET", "/admin/only", proof), 403, FilterProblem.FORBIDDEN.code());
    }

    @Test
    void allowedCallerOfARuleWithCallersPasses() {
        assertThat(wptClient(TestIdentities.OTHER).get().uri("/admin/only").retrieve().body(String.class))
                .isEqualTo("admin " + TestIdentities.OTHER);
    }

    @Test
    void P2_4_missingCredentialsAre401WithWwwAuthenticateWpt() throws Exception {
        HttpResponse<String> response = send("GET", "/hello", Map.of());
        assertProblem(response, 401, Reason.MISSING_WIT.code());
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("WPT");
    }

    @Test
    void permitAllPathAnswersWithoutCredentials() throws Exception {
        HttpResponse<String> response = send("GET", "/public/ping", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    private double verifications(String result, String reason) {
        io.micrometer.core.instrument.Timer t = registry.find("wimse.verifications")
                .tags("kind", "wpt", "result", result, "reason", reason).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void V_9_acceptedAndReplayedProofsMoveTheVerificationMetersOfTheAutoConfiguredWimseMetrics() throws Exception {
        double accepted = verifications("accepted", "none");
        double replays = verifications("refused", Reason.REPLAY.code());
        Map<String, String> proof = seedProof("/hello");
        assertThat(send("GET", "/hello", proof).statusCode()).isEqualTo(200);
        assertProblem(send("GET", "/hello", proof), 400, Reason.REPLAY.code());
        assertThat(verifications("accepted", "none")).isEqualTo(accepted + 1);
        assertThat(verifications("refused", Reason.REPLAY.code())).isEqualTo(replays + 1);
        assertThat(registry.find("wimse.replay.cache.size").gauge()).isNotNull();
    }

    @Test
    void V_9_replayedProofIsAReplayProblem() throws Exception {
        Map<String, String> proof = seedProof("/hello");
        assertThat(send("GET", "/hello", proof).statusCode()).isEqualTo(200);
        HttpResponse<String> again = send("GET", "/hello", proof);
        assertProblem(again, 400, Reason.REPLAY.code());
        assertThat(again.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void V_14_forgedProofIsABadSignatureProblemWith400() throws Exception {
        Map<String, String> proof = new java.util.HashMap<>(seedProof("/hello"));
        proof.put("Workload-Proof-Token", tamperSignature(proof.get("Workload-Proof-Token")));
        assertProblem(send("GET", "/hello", proof), 400, Reason.BAD_SIGNATURE.code());
    }

    @Test
    void V_14_witOfAnUnknownIssuerKeyIsRefused() throws Exception {
        TestIdentities stranger = new TestIdentities();
        Map<String, String> proof = RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN)
                .credentials(stranger.source(TestIdentities.CALLER)).build().sign("GET", URI.create(BASE + "/hello"), Map.of()).asMap();
        HttpResponse<String> response = send("GET", "/hello", proof);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ProblemDetails.parse(response.body()).code()).isIn(Reason.UNKNOWN_KEY.code(), Reason.BAD_SIGNATURE.code());
    }

    @Test
    void P2_4_credentialFailureInAuthorizationTransportIs401WithChallenge() throws Exception {
        Map<String, String> proof = new java.util.HashMap<>(RequestSigner.builder().credentials(IDS.source(TestIdentities.CALLER)).build()
                .sign("GET", URI.create(BASE + "/hello"), Map.of()).asMap());
        String wpt = proof.get("Authorization").substring("WPT ".length());
        proof.put("Authorization", "WPT " + tamperSignature(wpt));
        HttpResponse<String> response = send("GET", "/hello", proof);
        assertProblem(response, 401, Reason.BAD_SIGNATURE.code());
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("WPT");
    }

    @Test
    void HS_1_httpSignatureCallerIsTheSameKindOfAuthentication() {
        WimseRestClientConfigurer wimse = new WimseRestClientConfigurer(WimseClientHttpRequestInterceptor.httpSignature(
                HttpSignatureSigner.builder(IDS.source(TestIdentities.CALLER)).build()));
        RestClient client = RestClient.builder().apply(wimse).baseUrl(BASE).build();
        String body = client.post().uri("/echo").contentType(MediaType.TEXT_PLAIN).body("signed body").retrieve().body(String.class);
        assertThat(body).isEqualTo(TestIdentities.CALLER + ":signed body");
    }

    @Test
    void HS_5_signedBodyChangedAfterSigningIsRefused() throws Exception {
        io.wimse4j.core.request.HttpRequestFacts facts = io.wimse4j.core.request.HttpRequestFacts
                .builder("POST", URI.create(BASE + "/echo")).header("Content-Type", "text/plain").build();
        Map<String, String> signed = HttpSignatureSigner.builder(IDS.source(TestIdentities.CALLER)).build()
                .signRequest(facts, "original".getBytes()).headers();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + "/echo")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("changed!"));
        signed.forEach(b::header);
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 400, Reason.CONTENT_DIGEST_MISMATCH.code());
    }

    static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }
}
