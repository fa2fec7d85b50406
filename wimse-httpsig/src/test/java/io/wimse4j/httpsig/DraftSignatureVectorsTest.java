package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples of draft-ietf-wimse-http-signature-07 and -06 verify at their instant, and each single
 * mutation is refused with its own {@link Reason}. Their WITs are trusted explicitly: the working group
 * never published the issuer key that signed them, so each WIT is taken as valid and the message
 * signature is checked against its {@code cnf.jwk} ({@link Vectors#trustedExplicitly}); every other step
 * of the verifier runs as in production.
 */
class DraftSignatureVectorsTest {
    private static final String REQ_07 = Vectors.V07 + "sigs-request.txt";
    private static final String RES_07 = Vectors.V07 + "sigs-response.txt";
    private static final String REQ_07_C = Vectors.V07 + "sigs-request-b-c.txt";
    private static final String RES_07_C = Vectors.V07 + "sigs-response-c.txt";
    private static final String REQ_06 = Vectors.V06 + "sigs-request.txt";
    private static final String RES_06 = Vectors.V06 + "sigs-response.txt";

    /** One row: a vector, a mutation of its text, seconds after its {@code created}, and the expected refusal (null: accepted). */
    record Row(String name, String vector, UnaryOperator<String> mutation, long secondsAfterCreated, Reason expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                ok("HS-1 the -07 GET request (EdDSA, @path @query) verifies", REQ_07),
                ok("HS-5 the -07 POST request (alg Ed25519, Content-Digest covered) verifies", REQ_07_C),
                ok("HS-3 the -06 GET request (@request-target) verifies", REQ_06),
                bad("HS-3 a covered header changed (content-type) → BAD_SIGNATURE", REQ_07_C,
                        t -> t.replace("Content-Type: application/json", "Content-Type: application/jsonx"), Reason.BAD_SIGNATURE),
                bad("HS-5 the body changed → CONTENT_DIGEST_MISMATCH", REQ_07_C,
                        t -> t.replace("\"amount\":1}", "\"amount\":9}"), Reason.CONTENT_DIGEST_MISMATCH),
                bad("HS-3 @path changed → BAD_SIGNATURE", REQ_07,
                        t -> t.replace("GET /gimme-ice-cream?", "GET /gimme-ice-creams?"), Reason.BAD_SIGNATURE),
                bad("HS-3 @query changed → BAD_SIGNATURE", REQ_07,
                        t -> t.replace("?flavor=vanilla HTTP", "?flavor=chocolate HTTP"), Reason.BAD_SIGNATURE),
                bad("HS-3 -06 @request-target changed → BAD_SIGNATURE", REQ_06,
                        t -> t.replace("?flavor=vanilla HTTP", "?flavor=mango HTTP"), Reason.BAD_SIGNATURE),
                bad("HS-4 wimse-aud changed → AUDIENCE_MISMATCH", REQ_07,
                        t -> t.replace("wimse-aud=\"https://svcb.example.com/gimme-ice-cream\"",
                                "wimse-aud=\"https://svcx.example.com/gimme-ice-cream\""), Reason.AUDIENCE_MISMATCH),
                bad("HS-4 the nonce changed → BAD_SIGNATURE", REQ_07,
                        t -> t.replace("nonce=\"abcd1111\"", "nonce=\"abcd1112\""), Reason.BAD_SIGNATURE),
                bad("HS-4 expires moved later → BAD_SIGNATURE", REQ_07,
                        t -> t.replace("expires=1788299224", "expires=1788299225"), Reason.BAD_SIGNATURE),
                bad("HS-4 expires moved to an instant passed → EXPIRED", REQ_07,
                        t -> t.replace("expires=1788299224", "expires=1788298925"), 120, Reason.EXPIRED),
                bad("HS-4 verified after expires and the leeway → EXPIRED", REQ_07, t -> t, 300 + 61, Reason.EXPIRED),
                bad("HS-4 verified before created less the leeway → ISSUED_IN_FUTURE", REQ_07, t -> t, -61, Reason.ISSUED_IN_FUTURE),
                bad("HS-4 no wimse-aud → MISSING_SIGNATURE_PARAMETER", REQ_07,
                        t -> t.replace(";wimse-aud=\"https://svcb.example.com/gimme-ice-cream\"", ""), Reason.MISSING_SIGNATURE_PARAMETER),
                bad("HS-4 no nonce → MISSING_SIGNATURE_PARAMETER", REQ_07,
                        t -> t.replace(";nonce=\"abcd1111\"", ""), Reason.MISSING_SIGNATURE_PARAMETER),
                bad("HS-4 created not an Integer → MALFORMED_SIGNATURE", REQ_07,
                        t -> t.replace("created=1788298924", "created=\"1788298924\""), Reason.MALFORMED_SIGNATURE),
                bad("HS-1 a keyid parameter → FORBIDDEN_SIGNATURE_PARAMETER", REQ_07,
                        t -> t.replace(";tag=", ";keyid=\"svc-a-key\";tag="), Reason.FORBIDDEN_SIGNATURE_PARAMETER),
                bad("HS-1 an alg parameter → FORBIDDEN_SIGNATURE_PARAMETER", REQ_07,
                        t -> t.replace(";tag=", ";alg=\"ed25519\";tag="), Reason.FORBIDDEN_SIGNATURE_PARAMETER),
                bad("HS-2 another tag → MISSING_SIGNATURE", REQ_07,
                        t -> t.replace("tag=\"wimse-workload-to-workload\"", "tag=\"other\""), Reason.MISSING_SIGNATURE),
                bad("HS-2 the Signature under another label → MALFORMED_SIGNATURE", REQ_07,
                        t -> t.replace("Signature: sig1=", "Signature: sig2="), Reason.MALFORMED_SIGNATURE),
                bad("HS-2 two signatures tagged wimse-workload-to-workload → AMBIGUOUS_SIGNATURE", REQ_07,
                        t -> t.replace("Signature-Input: sig1=(\"@method\"",
                                "Signature-Input: sig2=(\"@method\");tag=\"wimse-workload-to-workload\", sig1=(\"@method\""),
                        Reason.AMBIGUOUS_SIGNATURE),
                bad("HS-2 Signature-Input not a dictionary → MALFORMED_SIGNATURE", REQ_07,
                        t -> t.replace("Signature-Input: sig1=(", "Signature-Input: sig1=(("), Reason.MALFORMED_SIGNATURE),
                bad("HS-3 content-digest not covered → UNCOVERED_COMPONENT", REQ_07_C,
                        t -> t.replace(" \"content-digest\");", ");"), Reason.UNCOVERED_COMPONENT),
                bad("HS-3 workload-identity-token not covered → UNCOVERED_COMPONENT", REQ_07,
                        t -> t.replace(" \"workload-identity-token\");", ");"), Reason.UNCOVERED_COMPONENT),
                bad("HS-3 @query not covered → UNCOVERED_COMPONENT", REQ_07,
                        t -> t.replace(" \"@query\"", ""), Reason.UNCOVERED_COMPONENT),
                bad("HS-3 a covered header absent → ABSENT_COMPONENT", REQ_07_C,
                        t -> t.replaceFirst("Content-Digest: [^\\n]*\\n", ""), Reason.ABSENT_COMPONENT),
                bad("HS-5 a body without Content-Digest → MISSING_CONTENT_DIGEST", REQ_07_C,
                        t -> t.replaceFirst("Content-Digest: [^\\n]*\\n", "").replace(" \"content-digest\");", ");"),
                        Reason.MISSING_CONTENT_DIGEST),
                bad("HS-3 a covered component repeated → MALFORMED_SIGNATURE", REQ_07,
                        t -> t.replace("(\"@method\" ", "(\"@method\" \"@method\" "), Reason.MALFORMED_SIGNATURE),
                bad("HS-3 an unsupported component parameter → MALFORMED_SIGNATURE", REQ_07,
                        t -> t.replace("\"workload-identity-token\");", "\"workload-identity-token\";sf);"), Reason.MALFORMED_SIGNATURE),
                bad("HS-6 ;req in a request → MALFORMED_SIGNATURE", REQ_07,
                        t -> t.replace("\"workload-identity-token\");", "\"workload-identity-token\";req);"), Reason.MALFORMED_SIGNATURE));
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                ok("HS-6 the -07 404 response (EdDSA) verifies, bound to its request", RES_07),
                ok("HS-6 the -07 409 response (ES256, Content-Length) verifies", RES_07_C),
                ok("HS-6 the -06 response (@request-target;req) verifies", RES_06),
                bad("HS-6 @status changed → BAD_SIGNATURE", RES_07, t -> t.replace("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"),
                        Reason.BAD_SIGNATURE),
                bad("HS-6 wimse-req-nonce of another request → REQUEST_NONCE_MISMATCH", RES_07,
                        t -> t.replace("wimse-req-nonce=\"abcd1111\"", "wimse-req-nonce=\"abcd9999\""), Reason.REQUEST_NONCE_MISMATCH),
                bad("HS-6 no wimse-req-nonce though the request asked for a signature → MISSING_SIGNATURE_PARAMETER", RES_07,
                        t -> t.replace(";wimse-req-nonce=\"abcd1111\"", ""), Reason.MISSING_SIGNATURE_PARAMETER),
                bad("HS-6 the body changed → CONTENT_DIGEST_MISMATCH", RES_07, t -> t.replace("No ice cream today.", "No ice cream tonight"),
                        Reason.CONTENT_DIGEST_MISMATCH),
                bad("HS-6 @method;req not covered → UNCOVERED_COMPONENT", RES_07, t -> t.replace(" \"@method\";req", ""),
                        Reason.UNCOVERED_COMPONENT),
                bad("HS-6 @status not covered → UNCOVERED_COMPONENT", RES_07, t -> t.replace("(\"@status\" ", "("),
                        Reason.UNCOVERED_COMPONENT),
                bad("HS-6 content-type not covered → UNCOVERED_COMPONENT", RES_07_C, t -> t.replace(" \"content-type\"", ""),
                        Reason.UNCOVERED_COMPONENT),
                bad("HS-6 @status of a request component → MALFORMED_SIGNATURE", RES_07, t -> t.replace("(\"@status\" ", "(\"@status\";req "),
                        Reason.MALFORMED_SIGNATURE),
                bad("HS-6 a request component without ;req → MALFORMED_SIGNATURE", RES_07, t -> t.replace("\"@method\";req", "\"@method\""),
                        Reason.MALFORMED_SIGNATURE),
                bad("HS-6 unsigned, though the request asked for a signature → UNSIGNED_RESPONSE", RES_07,
                        t -> t.replaceFirst("Signature-Input: [^\\n]*\\n", "").replaceFirst("Signature: [^\\n]*\\n", ""),
                        Reason.UNSIGNED_RESPONSE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void HS_1_draftRequestsVerifyAndEachMutationIsRefused(Row row) throws Exception {
        HttpMessageText m = Vectors.message(row.mutation().apply(Vectors.text(row.vector())));
        HttpSignatureVerifier verifier = verifier(row);
        if (row.expected() == null) {
            VerifiedSignedRequest v = verifier.verifyRequest(m.requestFacts(null), m.body(), Vectors.trustedExplicitly(wit(m)));
            assertThat(v.workload().value()).isEqualTo(row.vector().contains("b-c") ? "wimse://example.com/svcB" : "wimse://example.com/svcA");
            assertThat(v.signResponseRequested()).isTrue();
            assertThat(v.profile()).isEqualTo(row.vector().startsWith(Vectors.V06) ? SignatureProfile.DRAFT_06 : SignatureProfile.DRAFT_07);
        } else {
            assertThatThrownBy(() -> verifier.verifyRequest(m.requestFacts(null), m.body(), Vectors.trustedExplicitly(wit(m))))
                    .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(row.expected()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void HS_6_draftResponsesVerifyAndEachMutationIsRefused(Row row) throws Exception {
        String requestVector = row.vector().replace("sigs-response-c", "sigs-request-b-c").replace("sigs-response", "sigs-request");
        HttpMessageText request = Vectors.message(Vectors.text(requestVector));
        HttpMessageText response = Vectors.message(row.mutation().apply(Vectors.text(row.vector())));
        String nonce = requestVector.contains("b-c") ? "abcd3333" : "abcd1111";
        SignatureProfile profile = row.vector().startsWith(Vectors.V06) ? SignatureProfile.DRAFT_06 : SignatureProfile.DRAFT_07;
        RequestSignature sent = Vectors.sent(request.requestFacts(null), nonce, true, profile);
        HttpSignatureVerifier verifier = verifier(row);
        String wit = Vectors.message(Vectors.text(row.vector())).values("Workload-Identity-Token").get(0);
        if (row.expected() == null) {
            VerifiedSignedResponse v = verifier.verifyResponse(response.responseFacts(), response.body(), sent,
                    Vectors.trustedExplicitly(wit)).orElseThrow();
            assertThat(v.covered()).startsWith("\"@status\"");
        } else {
            assertThatThrownBy(() -> verifier.verifyResponse(response.responseFacts(), response.body(), sent, Vectors.trustedExplicitly(wit)))
                    .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(row.expected()));
        }
    }

    @Test
    void HS_8_aReplayedDraftRequestIsRefusedByItsNonce() throws Exception {
        Row row = new Row("replay", REQ_07, t -> t, 10, null);
        HttpSignatureVerifier verifier = verifier(row);
        HttpMessageText m = Vectors.message(Vectors.text(REQ_07));
        HttpRequestFacts facts = m.requestFacts(null);
        assertThat(verifier.verifyRequest(facts, m.body(), Vectors.trustedExplicitly(wit(m))).nonce()).isEqualTo("abcd1111");
        assertThatThrownBy(() -> verifier.verifyRequest(facts, m.body(), Vectors.trustedExplicitly(wit(m))))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAY));
    }

    @Test
    void HS_3_aVerifierOfDraft07OnlyRefusesTheRequestTargetForm() throws Exception {
        HttpMessageText m = Vectors.message(Vectors.text(REQ_06));
        HttpSignatureVerifier verifier = HttpSignatureVerifier.builder().trust(Vectors.noTrust())
                .clock(Vectors.clockAt(Vectors.CREATED_06 + 10)).profiles(Set.of(SignatureProfile.DRAFT_07)).build();
        assertThatThrownBy(() -> verifier.verifyRequest(m.requestFacts(null), m.body(), Vectors.trustedExplicitly(wit(m))))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNCOVERED_COMPONENT));
    }

    @Test
    void HS_7_withoutExplicitTrustTheDraftWitIsRefusedBeforeItsSignatureIsUsed() {
        HttpMessageText m = Vectors.message(Vectors.text(REQ_07));
        HttpSignatureVerifier verifier = verifier(new Row("x", REQ_07, t -> t, 10, null));
        assertThatThrownBy(() -> verifier.verifyRequest(m.requestFacts(null), m.body()))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_TRUST_DOMAIN));
    }

    @Test
    void theCopiesEqualTheSharedVectorsWhenPresent() throws IOException {
        Path shared = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/vectors/http-signature-07"))) {
                shared = dir.resolve("shared/vectors");
                break;
            }
        }
        List<String> names = List.of(REQ_07, RES_07, REQ_07_C, RES_07_C, REQ_06, RES_06,
                Vectors.V06 + "sigs-svca-jwk.txt", Vectors.V06 + "sigs-svcb-jwk.txt");
        int compared = 0;
        for (String name : names) {
            if (shared != null) {
                assertThat(Vectors.bytes(name)).as(name).isEqualTo(Files.readAllBytes(shared.resolve(name)));
                compared++;
            }
        }
        assertThat(compared).isIn(0, names.size());
    }

    private static String wit(HttpMessageText m) {
        return m.values("Workload-Identity-Token").get(0);
    }

    private static HttpSignatureVerifier verifier(Row row) {
        long created = row.vector().startsWith(Vectors.V06) ? Vectors.CREATED_06
                : row.vector().contains("-c") ? Vectors.CREATED_07_C : Vectors.CREATED_07;
        String aud = row.vector().contains("-c") ? "https://svcc.example.com/inventory/cones" : "https://svcb.example.com/gimme-ice-cream";
        return HttpSignatureVerifier.builder().trust(Vectors.noTrust()).clock(Vectors.clockAt(created + row.secondsAfterCreated()))
                .audience(aud).build();
    }

    private static Arguments ok(String name, String vector) {
        return Arguments.of(new Row(name, vector, t -> t, 10, null));
    }

    private static Arguments bad(String name, String vector, UnaryOperator<String> mutation, Reason expected) {
        return Arguments.of(new Row(name, vector, mutation, 10, expected));
    }

    private static Arguments bad(String name, String vector, UnaryOperator<String> mutation, long after, Reason expected) {
        return Arguments.of(new Row(name, vector, mutation, after, expected));
    }
}
