package io.wimse4j.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.wimse4j.demo.Workload.assertProblem;
import static io.wimse4j.demo.Workload.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Reason}s of HTTP Message Signatures (draft-ietf-wimse-http-signature) that a request can
 * produce, each produced by a real request over a socket through the demo service's {@code WimseFilter}
 * and answered with its own problem: 400 for every signature failure (HS-9), 413 for a body too large to
 * digest, 501 for a signed response the service cannot give (HS-6). {@link EveryReasonThroughTheFilterTest}
 * counts these as covered.
 */
class EverySignatureReasonThroughTheFilterTest {
    private static final String AUD = Workload.BASE + "/echo";
    private static final long NOW = Fixture.NOW.getEpochSecond();
    private static final String PARAMS = ";created=" + NOW + ";expires=" + (NOW + 60) + ";nonce=\"n-0123456789abcdef\""
            + ";tag=\"wimse-workload-to-workload\";wimse-aud=\"" + AUD + "\"";
    private static final String COVERED = "(\"@method\" \"@path\" \"@query\" \"workload-identity-token\"";
    private static final String SIG = "wimse=:" + "A".repeat(86) + "==:";

    /** Reasons a client raises about a response, never a service about a request. */
    static final Map<Reason, String> CLIENT_SIDE = Map.of(
            Reason.UNSIGNED_RESPONSE, "the client's refusal of an unsigned response it asked to be signed (HS-6)",
            Reason.REQUEST_NONCE_MISMATCH, "the client's refusal of a response bound to another request (HS-6)");

    private static final Workload W = new Workload();
    private static DemoService service;
    /** Accepts HTTP Message Signatures only, no WPT. */
    private static DemoService signaturesOnly;

    @BeforeAll
    static void start() throws Exception {
        service = W.service().insecureHttp().build().start();
        signaturesOnly = W.service().insecureHttp().acceptWpt(false).build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (DemoService s : new DemoService[] {service, signaturesOnly}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** A request causing {@code reason}: its headers, its body (null: a GET), sent to the signatures-only service or not. */
    record Case(Reason reason, Function<Fixture, List<String[]>> headers, byte[] body, boolean signaturesOnly) {
        @Override
        public String toString() {
            return reason.name();
        }
    }

    private static String[] h(String name, String value) {
        return new String[] {name, value};
    }

    /** The WIT and a hand-written signature input: refused before any signature is checked. */
    private static Function<Fixture, List<String[]>> input(String signatureInput) {
        return f -> List.of(h("Workload-Identity-Token", f.wit), h("Signature-Input", signatureInput), h("Signature", SIG));
    }

    /** A real signature of the request {@code method /echo} with {@code signedBody}, its headers as sent. */
    private static Function<Fixture, List<String[]>> signed(byte[] signedBody, boolean askSignedResponse) {
        return signed(signedBody == null ? "GET" : "POST", signedBody, askSignedResponse);
    }

    private static Function<Fixture, List<String[]>> signed(String method, byte[] signedBody, boolean askSignedResponse) {
        return f -> {
            HttpSignatureSigner signer = HttpSignatureSigner.builder(CredentialSource.fixed(f.credentials())).clock(f.clock)
                    .requestSignedResponses(askSignedResponse).build();
            HttpRequestFacts.Builder facts = HttpRequestFacts.builder(method, URI.create(AUD));
            try {
                RequestSignature s = signer.signRequest(facts.build(), signedBody);
                List<String[]> out = new ArrayList<>();
                s.headers().forEach((k, v) -> out.add(h(k, v)));
                return out;
            } catch (WimseException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(Reason.MISSING_SIGNATURE, f -> List.<String[]>of(h("Workload-Identity-Token", f.wit)), null, true),
                new Case(Reason.MALFORMED_SIGNATURE, input("wimse=((\"@method\")" + PARAMS), null, false),
                new Case(Reason.AMBIGUOUS_SIGNATURE, input("a=" + COVERED + ")" + PARAMS + ", b=" + COVERED + ")" + PARAMS), null, false),
                new Case(Reason.FORBIDDEN_SIGNATURE_PARAMETER, input("wimse=" + COVERED + ")" + PARAMS + ";keyid=\"k\""), null, false),
                new Case(Reason.MISSING_SIGNATURE_PARAMETER, input("wimse=" + COVERED + ")" + PARAMS.replace(";created=" + NOW, "")),
                        null, false),
                new Case(Reason.UNCOVERED_COMPONENT, input("wimse=(\"@method\")" + PARAMS), null, false),
                new Case(Reason.ABSENT_COMPONENT, input("wimse=" + COVERED + " \"x-absent\")" + PARAMS), null, false),
                // a POST signed without a body, sent with one: the body is read once the signature verified, and has no digest
                new Case(Reason.MISSING_CONTENT_DIGEST, signed("POST", null, false), bytes("{\"a\":1}"), false),
                new Case(Reason.CONTENT_DIGEST_MISMATCH, signed(bytes("{\"flavor\":\"vanilla\"}"), false), bytes("{\"flavor\":\"mango\"}"),
                        false),
                new Case(Reason.BODY_TOO_LARGE, signed(bytes("x"), false), new byte[WimseFilter.DEFAULT_SIGNED_BODY_LIMIT + 1], false),
                new Case(Reason.SIGNED_RESPONSE_UNAVAILABLE, signed(null, true), null, false));
    }

    /** The reasons the cases produce. */
    static Set<Reason> covered() {
        return cases().map(Case::reason).collect(Collectors.toCollection(() -> EnumSet.noneOf(Reason.class)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void HS_9_reasonAnswersItsStatusAndProblemCode(Case c) throws Exception {
        List<String[]> headers = c.headers().apply(W.f);
        DemoService target = c.signaturesOnly() ? signaturesOnly : service;
        HttpRequest.Builder b = Workload.request(target, "/echo");
        headers.forEach(hv -> b.header(hv[0], hv[1]));
        if (c.body() != null) {
            b.POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
        } else {
            b.GET();
        }
        HttpResponse<String> r = send(Workload.http(null), b.build());
        JsonNode problem = assertProblem(r, c.reason());
        assertThat(r.statusCode()).isEqualTo(switch (c.reason()) {
            case BODY_TOO_LARGE -> 413;
            case SIGNED_RESPONSE_UNAVAILABLE -> 501;
            default -> 400;
        });
        assertThat(Reason.fromCode(problem.get("code").asText())).hasValue(c.reason());
        for (String[] hv : headers) {
            for (String part : hv[1].split("[.:= ]")) {
                if (part.length() > 24) {
                    assertThat(r.body()).as("the problem echoes header %s", hv[0]).doesNotContain(part);
                }
            }
        }
    }

    @Test
    void HS_8_aReplayedNonceAnswers400Replay() throws Exception {
        List<String[]> headers = signed(null, false).apply(W.f);
        HttpRequest.Builder b = Workload.request(service, "/echo").GET();
        headers.forEach(hv -> b.header(hv[0], hv[1]));
        HttpRequest once = b.build();
        Workload.assertEcho(send(Workload.http(null), once), "GET", "/echo");
        assertProblem(send(Workload.http(null), once), Reason.REPLAY);
    }

    @Test
    void HS_9_aRequestWithAWptAndASignatureAnswersTwoProofTransports() throws Exception {
        List<String[]> headers = new ArrayList<>(signed(null, false).apply(W.f));
        headers.add(h("Workload-Proof-Token", W.f.wpt(AUD, io.wimse4j.core.wpt.ProofBindings.NONE)));
        HttpRequest.Builder b = Workload.request(service, "/echo").GET();
        headers.forEach(hv -> b.header(hv[0], hv[1]));
        assertProblem(send(Workload.http(null), b.build()), Reason.TWO_PROOF_TRANSPORTS);
    }
}
