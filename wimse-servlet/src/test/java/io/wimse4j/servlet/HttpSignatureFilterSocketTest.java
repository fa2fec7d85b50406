package io.wimse4j.servlet;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import io.wimse4j.httpsig.VerifiedSignedResponse;
import io.wimse4j.testkit.Fixture;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WimseFilter}'s HTTP Message Signatures path in front of a real Jetty server, over a socket:
 * the verified body reaches the application (HS-7), responses are buffered and signed (HS-6), a body
 * past the limit goes out unsigned when no signature was asked and becomes the 501 problem when one was,
 * and the principal, attribute and audit line say {@code httpsig}.
 */
class HttpSignatureFilterSocketTest {
    private static final URI BASE = URI.create("https://api.example.org");
    private static final int LIMIT = 4096;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Fixture f = new Fixture();
    private Server server;
    private int port;

    /**
     * {@code /echo} answers principal, auth type, signed-request attribute and the body it read (via the
     * reader for text/plain, the stream otherwise); {@code /big?n=} writes n bytes; {@code /error} sends 418.
     */
    static final class AppServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            switch (req.getRequestURI()) {
                case "/big" -> {
                    resp.setContentType("application/octet-stream");
                    resp.getOutputStream().write(new byte[Integer.parseInt(req.getParameter("n"))]);
                }
                case "/error" -> resp.sendError(418);
                case "/async" -> {
                    try {
                        jakarta.servlet.AsyncContext ctx = req.startAsync();
                        ctx.start(() -> {
                            try {
                                ((HttpServletResponse) ctx.getResponse()).setStatus(200);
                                ctx.getResponse().getWriter().print("async answer");
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            ctx.complete();
                        });
                    } catch (IllegalStateException refused) {
                        resp.setStatus(500);
                        resp.getWriter().print("async refused");
                    }
                }
                case "/charset" -> {
                    java.io.PrintWriter w = resp.getWriter(); // ISO-8859-1, then a later charset is ignored
                    resp.setContentType("text/plain;charset=UTF-8");
                    w.print("caf\u00e9");
                }
                case "/redirect" -> resp.sendRedirect("/elsewhere");
                case "/own-signature" -> {
                    resp.setHeader("Signature", "app=:AAAA:");
                    resp.getWriter().print("mine");
                }
                case "/head" -> {
                    resp.setContentType("text/plain");
                    resp.setContentLength(42); // HEAD: the length a GET would have, no body
                }
                default -> {
                    String body = "text/plain".equals(req.getContentType()) ? req.getReader().lines().reduce("", String::concat)
                            : new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    Object signed = req.getAttribute(WimseFilter.SIGNED_REQUEST_ATTRIBUTE);
                    resp.setContentType("text/plain;charset=utf-8");
                    resp.getWriter().print(req.getUserPrincipal().getName() + "|" + req.getAuthType() + "|"
                            + (signed instanceof VerifiedSignedRequest s ? s.workload().value() : "none") + "|" + body);
                }
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
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
        FilterHolder filterHolder = new FilterHolder(filter);
        filterHolder.setAsyncSupported(true); // the container would allow async: the filter must refuse it while signing
        context.addFilter(filterHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servletHolder = new ServletHolder(new AppServlet());
        servletHolder.setAsyncSupported(true);
        context.addServlet(servletHolder, "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    private HttpSignatureVerifier verifier() {
        return HttpSignatureVerifier.builder().trust(f.trust()).clock(f.clock).build();
    }

    private HttpSignatureSigner serviceSigner() throws WimseException {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String wit = f.issuer().issue(WorkloadIdentifier.parse("wimse://example.org/svc/api"), key.publicJwk()).token();
        return HttpSignatureSigner.builder(CredentialSource.fixed(WorkloadCredentials.of(wit, key.signer()))).clock(f.clock).build();
    }

    private void startSigning(boolean always) throws Exception {
        start(WimseFilter.builder().externalBaseUri(BASE).httpSignatures(verifier()).signResponses(serviceSigner())
                .alwaysSignResponses(always).signedBodyLimit(LIMIT).build());
    }

    /** A request signed for {@code BASE + pathAndQuery}, sent to the local port, and what its response verification needs. */
    private record Sent(HttpResponse<byte[]> response, RequestSignature signature) {
    }

    private Sent send(String method, String pathAndQuery, String contentType, byte[] body, boolean askSigned) throws Exception {
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder(method, URI.create(BASE + pathAndQuery));
        if (contentType != null) {
            facts.header("Content-Type", contentType);
        }
        RequestSignature s = HttpSignatureSigner.builder(CredentialSource.fixed(f.credentials())).clock(f.clock)
                .requestSignedResponses(askSigned).build().signRequest(facts.build(), body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        s.headers().forEach(b::header);
        return new Sent(CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()), s);
    }

    private Optional<VerifiedSignedResponse> verify(Sent sent) throws WimseException {
        HttpResponseFacts.Builder facts = HttpResponseFacts.builder(sent.response().statusCode());
        sent.response().headers().map().forEach((k, vs) -> vs.forEach(v -> facts.header(k, v)));
        return verifier().verifyResponse(facts.build(), sent.response().body(), sent.signature());
    }

    private static String text(Sent sent) {
        return new String(sent.response().body(), StandardCharsets.UTF_8);
    }

    @Test
    void HS_7_theVerifiedBodyReachesTheApplicationAndTheCallerIsTheSigner() throws Exception {
        start(WimseFilter.builder().externalBaseUri(BASE).httpSignatures(verifier()).build());
        Sent stream = send("POST", "/echo", "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), false);
        assertThat(text(stream)).isEqualTo(f.workload.value() + "|WIMSE-HTTPSIG|" + f.workload.value() + "|{\"a\":1}");
        Sent reader = send("PUT", "/echo", "text/plain", "plain words".getBytes(StandardCharsets.UTF_8), false);
        assertThat(text(reader)).endsWith("|plain words");
        assertThat(verify(reader)).as("no signer: the answer is unsigned, which a client not asking accepts").isEmpty();
    }

    @Test
    void HS_6_aSignedRequestAskingForASignatureGetsASignedAnswerAndErrorsAreSignedToo() throws Exception {
        startSigning(false);
        Sent ok = send("GET", "/echo?x=1", null, null, true);
        assertThat(ok.response().statusCode()).isEqualTo(200);
        VerifiedSignedResponse v = verify(ok).orElseThrow();
        assertThat(v.workload().value()).isEqualTo("wimse://example.org/svc/api");
        Sent error = send("GET", "/error", null, null, true);
        assertThat(error.response().statusCode()).isEqualTo(418);
        assertThat(verify(error)).isPresent();
        // not asked: still signed, since a signer is configured (RECOMMENDED, HS-6)
        assertThat(verify(send("GET", "/echo", null, null, false))).isPresent();
    }

    @Test
    void HS_6_aBodyPastTheLimitGoesOutUnsignedWhenNotAskedAndIs501WhenAsked() throws Exception {
        startSigning(false);
        Sent small = send("GET", "/big?n=" + LIMIT, null, null, true);
        assertThat(small.response().body()).hasSize(LIMIT);
        assertThat(verify(small)).isPresent();

        Sent unsigned = send("GET", "/big?n=" + (LIMIT + 1), null, null, false);
        assertThat(unsigned.response().statusCode()).isEqualTo(200);
        assertThat(unsigned.response().body()).hasSize(LIMIT + 1);
        assertThat(unsigned.response().headers().firstValue("Signature")).isEmpty();

        Sent refused = send("GET", "/big?n=" + (LIMIT + 1), null, null, true);
        assertThat(refused.response().statusCode()).isEqualTo(501);
        assertThat(text(refused)).contains("\"code\":\"" + Reason.SIGNED_RESPONSE_UNAVAILABLE.code() + "\"");
        assertThatThrownBy(() -> verify(refused)).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSIGNED_RESPONSE));
    }

    @Test
    void HS_6_alwaysSignResponsesMakesEveryOversizedAnswer501() throws Exception {
        startSigning(true);
        Sent refused = send("GET", "/big?n=" + (LIMIT + 1), null, null, false);
        assertThat(refused.response().statusCode()).isEqualTo(501);
    }

    @Test
    void HS_6_aHandlerCannotGoAsyncAroundTheSigningBuffer() throws Exception {
        startSigning(false);
        Sent r = send("GET", "/async", null, null, true);
        assertThat(r.response().statusCode()).isEqualTo(500);
        assertThat(text(r)).isEqualTo("async refused");
        assertThat(verify(r)).as("the refusal is signed").isPresent();
    }

    @Test
    void withoutASignerAHandlerMayGoAsync() throws Exception {
        start(WimseFilter.builder().externalBaseUri(BASE).httpSignatures(verifier()).build());
        Sent r = send("GET", "/async", null, null, false);
        assertThat(r.response().statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("async answer");
    }

    @Test
    void HS_6_theSignedContentTypeNamesTheCharsetTheWriterEncodedWith() throws Exception {
        startSigning(false);
        Sent r = send("GET", "/charset", null, null, true);
        assertThat(verify(r)).isPresent();
        assertThat(r.response().headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct.toLowerCase())
                .contains("iso-8859-1"));
        assertThat(new String(r.response().body(), StandardCharsets.ISO_8859_1)).isEqualTo("caf\u00e9");
    }

    @Test
    void HS_6_redirectsAreSignedAndHeadKeepsItsDeclaredLength() throws Exception {
        startSigning(false);
        Sent redirect = send("GET", "/redirect", null, null, true);
        assertThat(redirect.response().statusCode()).isEqualTo(302);
        assertThat(verify(redirect)).isPresent();
        Sent head = send("HEAD", "/head", null, null, true);
        assertThat(head.response().statusCode()).isEqualTo(200);
        assertThat(head.response().headers().firstValueAsLong("Content-Length")).hasValue(42);
        assertThat(verify(head)).isPresent();
    }

    @Test
    void HS_6_aResponseTheApplicationSignedItselfGoesOutUnsignedOrIs501WhenRequired() throws Exception {
        startSigning(false);
        Sent notAsked = send("GET", "/own-signature", null, null, false);
        assertThat(notAsked.response().statusCode()).isEqualTo(200);
        assertThat(text(notAsked)).isEqualTo("mine");
        Sent asked = send("GET", "/own-signature", null, null, true);
        assertThat(asked.response().statusCode()).isEqualTo(501);
        assertThat(text(asked)).contains(Reason.SIGNED_RESPONSE_UNAVAILABLE.code());
    }

    @Test
    void HS_5_aRequestBodyPastTheLimitIs413() throws Exception {
        startSigning(false);
        Sent r = send("POST", "/echo", "application/octet-stream", new byte[LIMIT + 1], false);
        assertThat(r.response().statusCode()).isEqualTo(413);
        assertThat(text(r)).contains("\"code\":\"" + Reason.BODY_TOO_LARGE.code() + "\"");
    }

    @Test
    void HS_7_aForgedSignatureWithAnOversizedBodyIsRefusedForItsSignatureNotItsSize() throws Exception {
        // the body is read only once the signature over the headers verified: an unauthenticated sender gets
        // BAD_SIGNATURE (400), never a 413 that would mean the service read its body
        startSigning(false);
        byte[] big = new byte[LIMIT * 4];
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder("POST", URI.create(BASE + "/echo"));
        RequestSignature s = HttpSignatureSigner.builder(CredentialSource.fixed(f.credentials())).clock(f.clock).build()
                .signRequest(facts.build(), "small".getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big));
        s.headers().forEach((k, v) -> b.header(k, k.equals("Signature") ? otherFirstCharacter(v) : v));
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":\"" + Reason.BAD_SIGNATURE.code() + "\"");
    }

    /** {@code label=:base64:} with the first base64 character changed: another signature, which does not verify. */
    private static String otherFirstCharacter(String signature) {
        int i = signature.indexOf(':') + 1;
        return signature.substring(0, i) + (signature.charAt(i) == 'A' ? 'B' : 'A') + signature.substring(i + 1);
    }

    @Test
    void HS_9_auditLinesSayHttpsigAndNameNoToken() throws Exception {
        start(WimseFilter.builder().externalBaseUri(BASE).httpSignatures(verifier()).build());
        String probe = "/echo" + System.nanoTime();
        send("GET", probe, null, null, false);
        List<String> lines = Files.readAllLines(Path.of("target", "servlet-test.log"), StandardCharsets.UTF_8);
        assertThat(lines).filteredOn(l -> l.contains("path=" + probe + " ")).containsExactly("INFO " + WimseFilter.AUDIT_LOGGER
                + " - method=GET path=" + probe + " caller=" + f.workload.value() + " decision=allow reason=- auth=httpsig");
        assertThat(String.join("\n", lines)).doesNotContain(f.wit);
    }

    @Test
    void builderRefusesContradictorySignatureSettings() throws Exception {
        HttpSignatureSigner signer = serviceSigner();
        assertThatThrownBy(() -> WimseFilter.builder().externalBaseUri(BASE).signResponses(signer).verifier(f.verifier().build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("httpSignatures");
        assertThatThrownBy(() -> WimseFilter.builder().externalBaseUri(BASE).httpSignatures(verifier()).alwaysSignResponses(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signResponses");
        assertThatThrownBy(() -> WimseFilter.builder().signedBodyLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WimseFilter.builder().signedBodyLimit(64 * 1024 * 1024 + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
