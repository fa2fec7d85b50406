package io.wimse4j.httpsig.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.httpsig.ResponseSignature;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import io.wimse4j.httpsig.VerifiedSignedResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.httpsig.interop.NodeExchanges.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * wimse4j against an independent RFC 9421 implementation, the npm package {@code http-message-signatures}
 * ({@code interop/node/httpsig.mjs}, which checks the WIT with {@code jose}): node signs requests and
 * responses under the WIMSE profile that {@link HttpSignatureVerifier} accepts, or refuses with the
 * {@link Reason} of the tampering, and node verifies what {@link HttpSignatureSigner} signs, including the
 * {@code ;req} components of a response. Every WIT is real: issued by this test's Identity Server key (ES256)
 * and trusted through a {@link TrustBundleSet} on the Java side, its JWKS on the node side. One clock for
 * both, the system clock: {@code http-message-signatures} checks {@code created} and {@code expires} against
 * it and has no other. Needs {@code node} and {@code npm ci --prefix interop/node}: skipped without them,
 * failing when {@code CI} is set.
 */
class NodeHttpSignatureInteropTest {
    static final String ORIGIN = "https://api.example.org";
    static final String PATH = "/orders/42";
    static final String AUDIENCE = ORIGIN + PATH;
    static final String JSON_BODY = "{\"item\":\"cone\",\"scoops\":2}";
    /**
     * One request row: the signer's key, the request, the {@code wimse-aud} it signs (null: the default), a
     * tampering on the wire, and the verifier's expected refusal (null: accepted).
     */
    record RequestRow(String name, JwsAlgorithm alg, Req request, String audience, UnaryOperator<Req> tamper, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One response row: the responder's key, the response, a tampering of it or of the request it answers, the expected refusal. */
    record ResponseRow(String name, JwsAlgorithm alg, Res response, UnaryOperator<Res> tamper, UnaryOperator<Req> answered,
                       String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void requireNode() {
        NodeHttpsig.require();
    }

    // ------------------------------------------------------------------------------------------- the rows

    static Stream<Arguments> requests() {
        return Stream.of(
                row("HS-1 Ed25519 GET verifies", JwsAlgorithm.Ed25519, get(PATH), null),
                row("HS-1 EdDSA (the deprecated name of the same key, ALG-1) GET verifies", JwsAlgorithm.EdDSA, get(PATH), null),
                row("HS-1 ES256 GET (ecdsa-p256-sha256, r||s) verifies", JwsAlgorithm.ES256, get(PATH), null),
                row("HS-3 a GET with a query verifies (@query)", JwsAlgorithm.Ed25519, get(PATH + "?flavor=vanilla&scoops=2"), null),
                row("HS-3 a GET with an empty query verifies (@query is '?')", JwsAlgorithm.ES256, get(PATH + "?"), null),
                row("HS-5 Ed25519 POST with its Content-Digest verifies", JwsAlgorithm.Ed25519, post(PATH), null),
                row("HS-5 ES256 POST with its Content-Digest verifies", JwsAlgorithm.ES256, post(PATH), null),
                row("HS-3 Authorization and Txn-Token present are covered and verify", JwsAlgorithm.Ed25519,
                        post(PATH).header("Authorization", "Bearer at-1").header("Txn-Token", "txn-1"), null),
                row("HS-5 Ed25519 POST, body changed → CONTENT_DIGEST_MISMATCH", JwsAlgorithm.Ed25519, post(PATH),
                        r -> r.withBody(JSON_BODY.replace("2", "3")), "CONTENT_DIGEST_MISMATCH"),
                row("HS-5 ES256 POST, body changed → CONTENT_DIGEST_MISMATCH", JwsAlgorithm.ES256, post(PATH),
                        r -> r.withBody(JSON_BODY + " "), "CONTENT_DIGEST_MISMATCH"),
                Arguments.of(new RequestRow("HS-4 signed for another wimse-aud → AUDIENCE_MISMATCH", JwsAlgorithm.Ed25519, get(PATH),
                        "https://other.example.org/orders/42", r -> r, "AUDIENCE_MISMATCH")),
                row("HS-3 content-type changed → BAD_SIGNATURE", JwsAlgorithm.ES256, post(PATH),
                        r -> r.header("Content-Type", "text/plain"), "BAD_SIGNATURE"),
                row("HS-3 @method changed → BAD_SIGNATURE", JwsAlgorithm.Ed25519, post(PATH), r -> r.withMethod("PUT"), "BAD_SIGNATURE"),
                row("HS-3 @query changed → BAD_SIGNATURE", JwsAlgorithm.Ed25519, get(PATH + "?flavor=vanilla"),
                        r -> r.withUri(AUDIENCE + "?flavor=mango"), "BAD_SIGNATURE"),
                row("HS-3 @path changed, same audience → BAD_SIGNATURE", JwsAlgorithm.ES256, get(PATH),
                        r -> r.withUri(ORIGIN + "/orders/43"), "BAD_SIGNATURE"));
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                response("HS-6 Ed25519 200 with a JSON body verifies, bound to the request", JwsAlgorithm.Ed25519,
                        ok200(), r -> r, q -> q, null),
                response("HS-6 ES256 404 without a body verifies", JwsAlgorithm.ES256,
                        new Res(404, headers(), null), r -> r, q -> q, null),
                response("HS-6 @status changed → BAD_SIGNATURE", JwsAlgorithm.Ed25519, ok200(), r -> r.withStatus(201), q -> q,
                        "BAD_SIGNATURE"),
                response("HS-6 the body changed → CONTENT_DIGEST_MISMATCH", JwsAlgorithm.ES256, ok200(),
                        r -> r.withBody("{\"ok\":false}"), q -> q, "CONTENT_DIGEST_MISMATCH"),
                response("HS-6 content-type changed → BAD_SIGNATURE", JwsAlgorithm.ES256, ok200(),
                        r -> r.header("Content-Type", "text/plain"), q -> q, "BAD_SIGNATURE"),
                response("HS-6 @path;req of another request → BAD_SIGNATURE", JwsAlgorithm.Ed25519, ok200(), r -> r,
                        q -> q.withUri(ORIGIN + "/orders/43"), "BAD_SIGNATURE"),
                response("HS-6 @method;req of another request → BAD_SIGNATURE", JwsAlgorithm.ES256, ok200(), r -> r,
                        q -> q.withMethod("GET"), "BAD_SIGNATURE"));
    }

    // ------------------------------------------------------------------------------------------- requests

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void HS_1_nodeSignedRequestsAreVerifiedByWimse4j(RequestRow row) throws Exception {
        Req sent = row.tamper().apply(nodeSigns(row.alg(), row.request(), row.audience(), true));
        HttpSignatureVerifier verifier = verifier();
        if (row.expected() == null) {
            VerifiedSignedRequest v = verifier.verifyRequest(sent.facts(), sent.bytes());
            assertThat(v.workload().value()).isEqualTo(subject(row.alg()));
            assertThat(v.audience()).isEqualTo(AUDIENCE);
            assertThat(v.signResponseRequested()).isTrue();
            assertThat(v.label()).isEqualTo("wimse");
            assertThat(v.covered()).startsWith("\"@method\"", "\"@path\"", "\"@query\"", "\"workload-identity-token\"");
            if (sent.body() != null) {
                assertThat(v.covered()).contains("\"content-type\"", "\"content-digest\"");
            }
        } else {
            assertThatThrownBy(() -> verifier.verifyRequest(sent.facts(), sent.bytes()))
                    .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.valueOf(row.expected())));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void HS_1_wimse4jSignedRequestsAreVerifiedByNode(RequestRow row) throws Exception {
        Req unsigned = row.request();
        HttpSignatureSigner signer = HttpSignatureSigner.builder(workload(row.alg()).credentials()).build();
        RequestSignature signature = row.audience() == null
                ? signer.signRequest(unsigned.facts(), unsigned.bytes())
                : signer.signRequest(unsigned.facts(), unsigned.bytes(), row.audience());
        Req sent = row.tamper().apply(Req.of(signature.request(), unsigned.body()));
        NodeHttpsig.Result r = NodeHttpsig.run("verify-request", NodeHttpsig.JSON.createObjectNode()
                .<ObjectNode>set("jwks", jwks()).put("audience", AUDIENCE).set("request", sent.json()));
        assertThat(r.code()).as("%s", r).isEqualTo(row.expected());
        if (row.expected() == null) {
            assertThat(r.json().path("sub").asText()).isEqualTo(subject(row.alg()));
            assertThat(r.json().path("algorithm").asText()).isEqualTo(row.alg() == JwsAlgorithm.ES256 ? "ecdsa-p256-sha256" : "ed25519");
        }
    }

    @Test
    void HS_4_nodeSignsTheWimseProfileParametersAndNoKeyidOrAlg() throws Exception {
        Req sent = nodeSigns(JwsAlgorithm.ES256, post(PATH), null, false);
        String input = sent.headers().get("Signature-Input").get(0);
        assertThat(input).startsWith("wimse=(\"@method\" \"@path\" \"@query\" \"workload-identity-token\" \"content-type\" \"content-digest\");created=")
                .contains(";expires=", ";nonce=\"", ";tag=\"wimse-workload-to-workload\"", ";wimse-aud=\"" + AUDIENCE + "\"")
                .doesNotContain("keyid", "alg=", "wimse-sign-response");
        assertThat(sent.headers().get("Content-Digest")).containsExactly("sha-256=:"
                + java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(JSON_BODY.getBytes(StandardCharsets.UTF_8))) + ":");
        VerifiedSignedRequest v = verifier().verifyRequest(sent.facts(), sent.bytes());
        assertThat(v.signResponseRequested()).isFalse();
        assertThat(v.expires()).isAfter(v.created());
    }

    @Test
    void HS_8_aNodeSignedRequestReplayedToWimse4jIsRefusedByItsNonce() throws Exception {
        Req sent = nodeSigns(JwsAlgorithm.Ed25519, get(PATH), null, false);
        HttpSignatureVerifier verifier = verifier();
        verifier.verifyRequest(sent.facts(), sent.bytes());
        assertThatThrownBy(() -> verifier.verifyRequest(sent.facts(), sent.bytes()))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY));
    }

    // ------------------------------------------------------------------------------------------- responses

    /** Node is the client: it signs the request; wimse4j verifies it and signs the response; node verifies that. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void HS_6_wimse4jSignedResponsesToNodeRequestsAreVerifiedByNode(ResponseRow row) throws Exception {
        Req request = nodeSigns(JwsAlgorithm.Ed25519, post(PATH), null, true);
        VerifiedSignedRequest verified = verifier().verifyRequest(request.facts(), request.bytes());
        ResponseSignature signature = HttpSignatureSigner.builder(workload(row.alg()).credentials()).build()
                .signResponse(row.response().facts(), row.response().bytes(), verified);
        Res response = row.response();
        for (Map.Entry<String, String> h : signature.headers().entrySet()) {
            response = response.header(h.getKey(), h.getValue());
        }
        Res sent = row.tamper().apply(response);
        NodeHttpsig.Result r = NodeHttpsig.run("verify-response", NodeHttpsig.JSON.createObjectNode()
                .<ObjectNode>set("jwks", jwks()).<ObjectNode>set("request", row.answered().apply(request).json()).set("response", sent.json()));
        assertThat(r.code()).as("%s", r).isEqualTo(row.expected());
        if (row.expected() == null) {
            assertThat(r.json().path("sub").asText()).isEqualTo(subject(row.alg()));
            assertThat(texts(r.json().path("covered"))).startsWith("\"@status\"", "\"workload-identity-token\"")
                    .endsWith("\"@method\";req", "\"@path\";req", "\"@query\";req");
        }
    }

    @Test
    void HS_6_aWimse4jResponseToAnotherNodeRequestIsRefusedByNodeForItsNonce() throws Exception {
        Req first = nodeSigns(JwsAlgorithm.Ed25519, get(PATH), null, true);
        Req second = nodeSigns(JwsAlgorithm.Ed25519, get(PATH), null, true);
        VerifiedSignedRequest verified = verifier().verifyRequest(first.facts(), first.bytes());
        Res response = ok200();
        for (Map.Entry<String, String> h : HttpSignatureSigner.builder(workload(JwsAlgorithm.ES256).credentials()).build()
                .signResponse(response.facts(), response.bytes(), verified).headers().entrySet()) {
            response = response.header(h.getKey(), h.getValue());
        }
        NodeHttpsig.Result r = NodeHttpsig.run("verify-response", NodeHttpsig.JSON.createObjectNode()
                .<ObjectNode>set("jwks", jwks()).<ObjectNode>set("request", second.json()).set("response", response.json()));
        assertThat(r.code()).as("%s", r).isEqualTo("REQUEST_NONCE_MISMATCH");
    }

    /** wimse4j is the client: it signs the request and asks for a signed response; node verifies it and signs the response. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void HS_6_nodeSignedResponsesToWimse4jRequestsAreVerifiedByWimse4j(ResponseRow row) throws Exception {
        Req unsigned = post(PATH);
        RequestSignature sent = HttpSignatureSigner.builder(workload(JwsAlgorithm.Ed25519).credentials())
                .requestSignedResponses(true).build().signRequest(unsigned.facts(), unsigned.bytes());
        Req request = Req.of(sent.request(), unsigned.body());
        NodeHttpsig.Result verified = NodeHttpsig.run("verify-request", NodeHttpsig.JSON.createObjectNode()
                .<ObjectNode>set("jwks", jwks()).put("audience", AUDIENCE).set("request", request.json()));
        assertThat(verified.ok()).as("%s", verified).isTrue();
        // node answers the request as it received it; wimse4j checks the answer against the request it sent
        Res response = row.tamper().apply(nodeSignsResponse(row.alg(), row.answered().apply(request), row.response()));
        HttpSignatureVerifier verifier = verifier();
        if (row.expected() == null) {
            VerifiedSignedResponse v = verifier.verifyResponse(response.facts(), response.bytes(), sent).orElseThrow();
            assertThat(v.workload().value()).isEqualTo(subject(row.alg()));
            assertThat(v.covered()).startsWith("\"@status\"").endsWith("\"@method\";req", "\"@path\";req", "\"@query\";req");
        } else {
            assertThatThrownBy(() -> verifier.verifyResponse(response.facts(), response.bytes(), sent))
                    .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.valueOf(row.expected())));
        }
    }

    @Test
    void HS_6_aNodeResponseToAnotherWimse4jRequestIsRefusedForItsNonce() throws Exception {
        HttpSignatureSigner signer = HttpSignatureSigner.builder(workload(JwsAlgorithm.ES256).credentials()).requestSignedResponses(true).build();
        Req unsigned = get(PATH);
        RequestSignature first = signer.signRequest(unsigned.facts(), unsigned.bytes());
        RequestSignature second = signer.signRequest(unsigned.facts(), unsigned.bytes());
        Res response = nodeSignsResponse(JwsAlgorithm.Ed25519, Req.of(first.request(), null), ok200());
        HttpSignatureVerifier verifier = verifier();
        assertThat(verifier.verifyResponse(response.facts(), response.bytes(), first)).isPresent();
        assertThatThrownBy(() -> verifier().verifyResponse(response.facts(), response.bytes(), second))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REQUEST_NONCE_MISMATCH));
    }

    @Test
    void HS_6_anUnsignedNodeResponseToARequestAskingForASignatureIsRefused() throws Exception {
        Req unsigned = get(PATH);
        RequestSignature sent = HttpSignatureSigner.builder(workload(JwsAlgorithm.Ed25519).credentials()).requestSignedResponses(true)
                .build().signRequest(unsigned.facts(), unsigned.bytes());
        Res signed = nodeSignsResponse(JwsAlgorithm.ES256, Req.of(sent.request(), null), ok200());
        Res stripped = new Res(signed.status(), without(signed.headers(), "Signature", "Signature-Input"), signed.body());
        assertThatThrownBy(() -> verifier().verifyResponse(stripped.facts(), stripped.bytes(), sent))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSIGNED_RESPONSE));
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static Arguments row(String name, JwsAlgorithm alg, Req request, String expected) {
        return Arguments.of(new RequestRow(name, alg, request, null, r -> r, expected));
    }

    private static Arguments row(String name, JwsAlgorithm alg, Req request, UnaryOperator<Req> tamper, String expected) {
        return Arguments.of(new RequestRow(name, alg, request, null, tamper, expected));
    }

    private static Arguments response(String name, JwsAlgorithm alg, Res response, UnaryOperator<Res> tamper,
                                      UnaryOperator<Req> answered, String expected) {
        return Arguments.of(new ResponseRow(name, alg, response, tamper, answered, expected));
    }
}
