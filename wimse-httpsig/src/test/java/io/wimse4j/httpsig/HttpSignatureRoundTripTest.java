package io.wimse4j.httpsig;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HsFixture.Workload;
import io.wimse4j.httpsig.sfv.SfBoolean;
import io.wimse4j.httpsig.sfv.SfString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signer to verifier and back, with real WITs issued by a test Identity Server and trusted through a
 * {@link io.wimse4j.core.key.TrustBundleSource}: a request signed by a client workload is verified by the
 * server, which signs its response bound to that request, which the client verifies. One row per proof
 * algorithm (ES256, ES384, EdDSA and RFC 9864's Ed25519), profile (-07 and -06), {@code wimse-sign-response}
 * and body; each checks the covered components and parameters on the wire, not only that verification passed.
 */
class HttpSignatureRoundTripTest {
    private static final byte[] REQUEST_BODY = "{\"item\":\"cone\",\"amount\":2}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSE_BODY = "{\"order\":7,\"state\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);

    record Row(String name, JwsAlgorithm alg, SignatureProfile profile, boolean signResponse, boolean body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (JwsAlgorithm alg : List.of(JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.EdDSA, JwsAlgorithm.Ed25519)) {
            for (SignatureProfile profile : SignatureProfile.values()) {
                for (boolean signResponse : new boolean[] {true, false}) {
                    for (boolean body : new boolean[] {true, false}) {
                        rows.add(new Row("HS-1 " + alg + " cnf key, " + profile + (signResponse ? ", wimse-sign-response" : "")
                                + (body ? ", with a body (HS-5)" : ", no body") + " → request and response verify",
                                alg, profile, signResponse, body));
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void HS_1_requestsAndResponsesRoundTripWithEveryProofAlgorithm(Row row) throws Exception {
        HsFixture f = new HsFixture();
        Workload client = f.workload("svc/client", row.alg());
        Workload server = f.workload("svc/server", row.alg());
        HttpSignatureSigner clientSigner = f.signer(client).profile(row.profile()).requestSignedResponses(row.signResponse()).build();
        HttpRequestFacts.Builder unsigned = HsFixture.request(row.body() ? "POST" : "GET", HsFixture.TARGET);
        if (row.body()) {
            unsigned.header("Content-Type", "application/json");
        }
        byte[] requestBody = row.body() ? REQUEST_BODY : null;

        RequestSignature sent = clientSigner.signRequest(unsigned.build(), requestBody);

        List<String> expectedRequest = new ArrayList<>(List.of("\"@method\""));
        expectedRequest.addAll(row.profile() == SignatureProfile.DRAFT_07 ? List.of("\"@path\"", "\"@query\"") : List.of("\"@request-target\""));
        expectedRequest.add("\"workload-identity-token\"");
        if (row.body()) {
            expectedRequest.addAll(List.of("\"content-type\"", "\"content-digest\""));
        }
        assertThat(HsFixture.covered(sent.headers(), HttpSignatures.DEFAULT_LABEL)).as("HS-3").containsExactlyElementsOf(expectedRequest);
        assertThat(sent.headers()).containsKeys(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, HttpSignatures.SIGNATURE_INPUT, HttpSignatures.SIGNATURE);
        assertThat(sent.headers().containsKey(HttpSignatures.CONTENT_DIGEST)).as("HS-5").isEqualTo(row.body());
        assertThat(HsFixture.parameters(sent.headers(), HttpSignatures.DEFAULT_LABEL).keys()).as("HS-1: no keyid or alg, HS-4")
                .containsExactlyElementsOf(row.signResponse()
                        ? List.of("created", "expires", "nonce", "tag", "wimse-aud", "wimse-sign-response")
                        : List.of("created", "expires", "nonce", "tag", "wimse-aud"));
        assertThat(HsFixture.parameter(sent, HttpSignatures.WIMSE_AUD)).contains(SfString.of(HsFixture.TARGET_AUDIENCE));
        assertThat(sent.profile()).isEqualTo(row.profile());
        assertThat(sent.signResponseRequested()).isEqualTo(row.signResponse());

        VerifiedSignedRequest verified = f.verifier().build().verifyRequest(sent.request(), requestBody);
        assertThat(verified.workload()).isEqualTo(client.id());
        assertThat(verified.wit().subject()).isEqualTo(client.id());
        assertThat(verified.profile()).isEqualTo(row.profile());
        assertThat(verified.signResponseRequested()).isEqualTo(row.signResponse());
        assertThat(verified.nonce()).isEqualTo(sent.nonce());
        assertThat(verified.audience()).isEqualTo(HsFixture.TARGET_AUDIENCE);
        assertThat(verified.covered()).containsExactlyElementsOf(expectedRequest);
        assertThat(verified.label()).isEqualTo(HttpSignatures.DEFAULT_LABEL);

        HttpSignatureSigner serverSigner = f.signer(server).build();
        Map<String, String> responseHeaders = row.body() ? Map.of("Content-Type", "application/json") : Map.of();
        byte[] responseBody = row.body() ? RESPONSE_BODY : null;
        ResponseSignature answer = serverSigner.signResponse(HsFixture.response(201, responseHeaders, Map.of()), responseBody, verified);
        HttpResponseFacts response = HsFixture.response(201, responseHeaders, answer.headers());

        List<String> expectedResponse = new ArrayList<>(List.of("\"@status\"", "\"workload-identity-token\""));
        if (row.body()) {
            expectedResponse.addAll(List.of("\"content-type\"", "\"content-digest\""));
        }
        expectedResponse.add("\"@method\";req");
        expectedResponse.addAll(row.profile() == SignatureProfile.DRAFT_07 ? List.of("\"@path\";req", "\"@query\";req")
                : List.of("\"@request-target\";req"));
        assertThat(HsFixture.covered(answer.headers(), HttpSignatures.DEFAULT_LABEL)).as("HS-6").containsExactlyElementsOf(expectedResponse);
        assertThat(HsFixture.parameters(answer.headers(), HttpSignatures.DEFAULT_LABEL).get(HttpSignatures.WIMSE_REQ_NONCE))
                .as("HS-6").contains(SfString.of(sent.nonce()));
        assertThat(HsFixture.parameters(answer.headers(), HttpSignatures.DEFAULT_LABEL).keys()).as("HS-1: no keyid or alg")
                .doesNotContain(HttpSignatures.KEYID, HttpSignatures.ALG, HttpSignatures.WIMSE_AUD);

        Optional<VerifiedSignedResponse> checked = f.verifier(3).build().verifyResponse(response, responseBody, sent);
        assertThat(checked).isPresent();
        assertThat(checked.get().workload()).isEqualTo(server.id());
        assertThat(checked.get().covered()).containsExactlyElementsOf(expectedResponse);
        assertThat(HsFixture.parameter(sent, HttpSignatures.WIMSE_SIGN_RESPONSE))
                .isEqualTo(row.signResponse() ? Optional.of(SfBoolean.TRUE) : Optional.empty());
    }
}
