package io.wimse4j.demo;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.client.WimseResponseException;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.IdentifierResolver;
import io.wimse4j.core.id.StaticIdentifierResolver;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.HttpSignatures;
import io.wimse4j.httpsig.RequestSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.wimse4j.demo.Workload.assertEcho;
import static io.wimse4j.demo.Workload.assertProblem;
import static io.wimse4j.demo.Workload.request;
import static io.wimse4j.demo.Workload.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP Message Signatures end to end over real TLS sockets: {@link SigningHttpClient} signs requests
 * (draft-ietf-wimse-http-signature), the demo service's {@code WimseFilter} verifies them and signs its
 * answers with its own WIT (HS-6), and the client verifies those; replays, tampered bodies and a wrong
 * {@code wimse-aud} are refused with their own reasons (HS-4, HS-5, HS-8, HS-9).
 */
class HttpSignatureDemoServiceTest {
    private static final WorkloadIdentifier SERVICE_ID = id("wimse://example.org/svc/echo");
    private static final Workload W = new Workload();
    private static TestPki pki;
    private static DemoService signing;
    private static DemoService notSigning;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        WorkloadKeyPair serviceKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String serviceWit = W.f.issuer().issue(SERVICE_ID, serviceKey.publicJwk()).token();
        WorkloadCredentials serviceCredentials = WorkloadCredentials.of(serviceWit, serviceKey.signer());
        signing = W.service().tls(pem.cert(), pem.key()).responseCredentials(CredentialSource.fixed(serviceCredentials))
                .build().start();
        notSigning = W.service().tls(pem.cert(), pem.key()).build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (DemoService s : new DemoService[] {signing, notSigning}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static WorkloadIdentifier id(String value) {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs as a caller addressing the service by its external name {@link Workload#BASE} (HS-4). */
    private static HttpSignatureSigner signer(boolean askForSignedResponse) {
        return HttpSignatureSigner.builder(CredentialSource.fixed(W.f.credentials())).clock(W.f.clock)
                .audience(u -> Workload.BASE + u.getRawPath()).requestSignedResponses(askForSignedResponse).build();
    }

    private static HttpSignatureVerifier responseVerifier() {
        return HttpSignatureVerifier.builder().trust(W.f.trust()).clock(W.f.clock).build();
    }

    private static SigningHttpClient client(HttpSignatureVerifier responses, boolean askForSignedResponse) {
        return SigningHttpClient.builder().httpClient(Workload.http(pki.clientContext()))
                .httpSignatures(signer(askForSignedResponse), responses).build();
    }

    @Test
    void HS_6_aSignedRequestGetsASignedResponseTheClientVerifies() throws Exception {
        SigningHttpClient client = client(responseVerifier(), true);
        HttpResponse<String> r = client.send(request(signing, "/echo?flavor=vanilla").GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEcho(r, "GET", "/echo");
        assertThat(r.headers().firstValue("Signature-Input")).hasValueSatisfying(v -> assertThat(v)
                .contains("\"@status\"", "\"@method\";req", "\"@path\";req", "\"@query\";req", "wimse-req-nonce="));
        assertThat(r.headers().firstValue("Content-Digest")).hasValueSatisfying(v -> assertThat(v).startsWith("sha-256=:"));

        HttpResponse<String> post = client.send(request(signing, "/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"flavor\":\"vanilla\"}")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEcho(post, "POST", "/echo");
        assertThat(post.request().headers().firstValue("Content-Digest")).isPresent();
    }

    @Test
    void HS_6_aResponseFromAnotherServiceWithAnotherNonceIsRefused() throws Exception {
        // a signed answer to one request replayed as the answer to another: wimse-req-nonce differs (HS-6)
        HttpSignatureSigner s = signer(true);
        HttpResponse<String> first = send(plain(), signedRaw(signing, "/echo", null, s).build());
        assertThat(first.headers().firstValue("Signature")).isPresent();
        HttpRequestFacts facts = HttpRequestFacts.builder("GET", URI.create(Workload.BASE + "/echo")).build();
        RequestSignature other = s.signRequest(facts, null);
        io.wimse4j.httpsig.HttpResponseFacts.Builder replayed = io.wimse4j.httpsig.HttpResponseFacts.builder(first.statusCode());
        first.headers().map().forEach((k, vs) -> vs.forEach(v -> replayed.header(k, v)));
        assertThatThrownBy(() -> responseVerifier().verifyResponse(replayed.build(), first.body().getBytes(StandardCharsets.UTF_8), other))
                .isInstanceOfSatisfying(io.wimse4j.core.error.WimseException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REQUEST_NONCE_MISMATCH));
    }

    @Test
    void HS_6_theClientChecksWhichWorkloadSignedTheAnswer() throws Exception {
        IdentifierResolver right = StaticIdentifierResolver.builder().map(signing.localUri().getHost(), SERVICE_ID).build();
        IdentifierResolver wrong = StaticIdentifierResolver.builder()
                .map(signing.localUri().getHost(), id("wimse://example.org/svc/other")).build();
        HttpRequest get = request(signing, "/echo").GET().build();
        SigningHttpClient expectingRight = client(HttpSignatureVerifier.builder().trust(W.f.trust()).clock(W.f.clock)
                .expectResponders(right).build(), false);
        // the client did not ask with wimse-sign-response; expecting a responder requires the signature anyway
        assertEcho(expectingRight.send(get, HttpResponse.BodyHandlers.ofString()), "GET", "/echo");
        SigningHttpClient expectingOther = client(HttpSignatureVerifier.builder().trust(W.f.trust()).clock(W.f.clock)
                .expectResponders(wrong).build(), true);
        assertThatThrownBy(() -> expectingOther.send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(WimseResponseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PEER_NOT_AUTHORIZED));
        SigningHttpClient expectingAtNotSigning = client(HttpSignatureVerifier.builder().trust(W.f.trust()).clock(W.f.clock)
                .expectResponders(right).build(), false);
        assertThatThrownBy(() -> expectingAtNotSigning.send(request(notSigning, "/echo").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(WimseResponseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSIGNED_RESPONSE));
    }

    @Test
    void HS_6_aResponseLargerThanTheClientsLimitIsRefusedUnread() throws Exception {
        SigningHttpClient small = SigningHttpClient.builder().httpClient(Workload.http(pki.clientContext()))
                .httpSignatures(signer(true), responseVerifier()).signedBodyLimit(16).build();
        assertThatThrownBy(() -> small.send(request(signing, "/echo").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(WimseResponseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BODY_TOO_LARGE));
    }

    @Test
    void HS_6_sendAsyncVerifiesTheAnswerToo() throws Exception {
        HttpResponse<String> r = client(responseVerifier(), true).sendAsync(request(signing, "/echo").GET().build(),
                HttpResponse.BodyHandlers.ofString()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEcho(r, "GET", "/echo");
        SigningHttpClient expectingOther = client(HttpSignatureVerifier.builder().trust(W.f.trust()).clock(W.f.clock)
                .expectResponders(StaticIdentifierResolver.builder().map(signing.localUri().getHost(), id("wimse://example.org/svc/other")).build())
                .build(), true);
        assertThatThrownBy(() -> expectingOther.sendAsync(request(signing, "/echo").GET().build(), HttpResponse.BodyHandlers.ofString())
                .get(20, java.util.concurrent.TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(WimseResponseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PEER_NOT_AUTHORIZED));
    }

    @Test
    void HS_8_aReplayedSignedRequestIsRefused() throws Exception {
        HttpResponse<String> first = send(plain(), signedRaw(signing, "/echo", null, signer(false)).build());
        assertEcho(first, "GET", "/echo");
        assertProblem(send(plain(), Workload.sameHeadersAgain(first)), Reason.REPLAY);
    }

    @Test
    void HS_5_aTamperedBodyIsRefused() throws Exception {
        byte[] body = "{\"flavor\":\"vanilla\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = signedRaw(signing, "/echo", body, signer(false));
        HttpRequest tampered = b.POST(HttpRequest.BodyPublishers.ofString("{\"flavor\":\"chocolate\"}")).build();
        assertProblem(send(plain(), tampered), Reason.CONTENT_DIGEST_MISMATCH);
    }

    @Test
    void HS_4_aWrongWimseAudIsRefused() throws Exception {
        HttpSignatureSigner signer = signer(false);
        HttpRequestFacts facts = HttpRequestFacts.builder("GET", URI.create(Workload.BASE + "/echo")).build();
        RequestSignature s = signer.signRequest(facts, null, "https://other.example.org/echo");
        HttpRequest.Builder b = request(signing, "/echo").GET();
        s.headers().forEach(b::header);
        assertProblem(send(plain(), b.build()), Reason.AUDIENCE_MISMATCH);
    }

    @Test
    void HS_6_aServiceThatCannotSignAnswers501WhenASignedResponseIsAsked() throws Exception {
        HttpResponse<String> r = send(plain(), signedRaw(notSigning, "/echo", null, signer(true)).build());
        assertProblem(r, Reason.SIGNED_RESPONSE_UNAVAILABLE);
        assertThat(r.statusCode()).isEqualTo(501);
        // without wimse-sign-response the same service answers, unsigned
        HttpResponse<String> unsigned = send(plain(), signedRaw(notSigning, "/echo", null, signer(false)).build());
        assertEcho(unsigned, "GET", "/echo");
        assertThat(unsigned.headers().firstValue("Signature")).isEmpty();
    }

    @Test
    void HS_6_theClientRefusesAnUnsignedResponseWhenPolicyRequiresOne() throws Exception {
        SigningHttpClient client = client(HttpSignatureVerifier.builder().trust(W.f.trust()).clock(W.f.clock)
                .requireSignedResponses(true).build(), false);
        assertThatThrownBy(() -> client.send(request(notSigning, "/echo").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(WimseResponseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNSIGNED_RESPONSE);
                    assertThat(e.statusCode()).isEqualTo(200);
                });
    }

    @Test
    void HS_6_theServiceSignsErrorsToo() throws Exception {
        HttpResponse<String> r = client(responseVerifier(), true).send(request(signing, "/no-such-path").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Signature")).isPresent();
    }

    // --- helpers ---

    private static HttpClient plain() {
        return Workload.http(pki.clientContext());
    }

    /** A request to {@code service} signed by hand for its external name {@link Workload#BASE}. */
    private static HttpRequest.Builder signedRaw(DemoService service, String path, byte[] body, HttpSignatureSigner signer)
            throws Exception {
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder(body == null ? "GET" : "POST", URI.create(Workload.BASE + path));
        if (body != null) {
            facts.header("Content-Type", "application/json");
        }
        RequestSignature s = signer.signRequest(facts.build(), body);
        HttpRequest.Builder b = request(service, path);
        if (body != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.GET();
        }
        s.headers().forEach(b::header);
        assertThat(s.headers()).containsKeys(HttpSignatures.SIGNATURE, HttpSignatures.SIGNATURE_INPUT);
        return b;
    }
}
