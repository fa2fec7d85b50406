package io.wimse4j.core.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;

import static io.wimse4j.core.interop.NodeHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both WPT transports against the npm package {@code jose} on node, an implementation sharing no code
 * with wimse4j: requests minted by node (its own headers, {@code Authorization: WPT <jwt>} of wpt-02 or
 * the seed {@code Workload-Proof-Token}) verify under wimse4j's {@link RequestVerifier}, and wimse4j's
 * signed requests verify under the harness's {@code verify-request}, which reads the proof from the
 * request's headers as the drafts say (P2-1, P2-2).
 */
class NodeJoseTransportInteropTest {
    private static final TrustDomain DOMAIN = new TrustDomain("example.org");
    private static final String SUBJECT = "wimse://example.org/a";
    private static final String TARGET = "https://service.example/path";

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

    @BeforeEach
    void requireNodeAndJose() {
        NodeHarness.require();
    }

    private static String wireName(WptTransport t) {
        return t == WptTransport.AUTHORIZATION ? "authorization" : "workload-proof-token";
    }

    private JsonNode mint(WptTransport transport) throws Exception {
        ObjectNode in = JSON.createObjectNode().put("issuerAlg", "ES256").put("workloadAlg", "EdDSA").put("sub", SUBJECT)
                .put("audience", TARGET).put("now", now.getEpochSecond()).put("transport", wireName(transport));
        NodeHarness.Result r = NodeHarness.run("mint", in);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.json();
    }

    private RequestVerifier verifier(JsonNode jwks) throws WimseException {
        return RequestVerifier.builder().trust(TrustBundleSet.of(TrustBundle.fromJwks(DOMAIN, jwks.toString()))).clock(clock).build();
    }

    private static HttpRequestFacts facts(JsonNode headers) {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder("GET", URI.create(TARGET));
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            b.header(e.getKey(), e.getValue().asText());
        }
        return b.build();
    }

    @ParameterizedTest(name = "P2-1 node jose request in {0} → wimse4j accepts it in that transport")
    @EnumSource(WptTransport.class)
    void P2_1_nodeJoseRequestsVerifyUnderWimse4jInTheirTransport(WptTransport transport) throws Exception {
        JsonNode m = mint(transport);
        JsonNode headers = m.get("headers");
        if (transport == WptTransport.AUTHORIZATION) {
            assertThat(headers.get("Authorization").asText()).isEqualTo("WPT " + m.get("wpt").asText());
            assertThat(headers.has("Workload-Proof-Token")).isFalse();
        } else {
            assertThat(headers.get("Workload-Proof-Token").asText()).isEqualTo(m.get("wpt").asText());
        }
        VerifiedCaller caller = verifier(m.get("jwks")).verify(facts(headers));
        assertThat(caller.workload().value()).isEqualTo(SUBJECT);
        assertThat(caller.transport()).isEqualTo(transport);
    }

    @Test
    void P2_4_aNodeJoseAuthorizationWptWithAFlippedSignatureIsA401CredentialFailure() throws Exception {
        JsonNode m = mint(WptTransport.AUTHORIZATION);
        String wpt = m.get("wpt").asText();
        String flipped = wpt.substring(0, wpt.length() - 2) + (wpt.charAt(wpt.length() - 2) == 'A' ? 'B' : 'A') + wpt.charAt(wpt.length() - 1);
        ObjectNode headers = ((ObjectNode) m.get("headers").deepCopy()).put("Authorization", "WPT " + flipped);
        RequestVerifier v = verifier(m.get("jwks"));
        assertThatThrownBy(() -> v.verify(facts(headers))).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.challenge()).contains("WPT");
        });
    }

    @Test
    void P2_2_aNodeJoseRequestCarryingBothTransportsIsRefusedByWimse4j() throws Exception {
        JsonNode m = mint(WptTransport.AUTHORIZATION);
        ObjectNode headers = ((ObjectNode) m.get("headers").deepCopy()).put("Workload-Proof-Token", m.get("wpt").asText());
        RequestVerifier v = verifier(m.get("jwks"));
        assertThatThrownBy(() -> v.verify(facts(headers))).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TWO_PROOF_TRANSPORTS));
    }

    /** A wimse4j-signed request in {@code transport}, as header name to value, and the JWKS of its issuer. */
    private ObjectNode wimse4jRequest(WptTransport transport) throws Exception {
        WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(DOMAIN).clock(clock).build()
                .issue(WorkloadIdentifier.parse(SUBJECT), workloadKey.publicJwk(), Duration.ofHours(1), Map.of()).token();
        RequestSigner signer = RequestSigner.builder().transport(transport)
                .credentials(CredentialSource.fixed(WorkloadCredentials.of(wit, workloadKey.signer())))
                .proofCreator(WptCreator.create(clock, Duration.ofSeconds(60))).build();
        ObjectNode headers = JSON.createObjectNode();
        signer.sign("GET", URI.create(TARGET), Map.of()).asMap().forEach(headers::put);
        ObjectNode in = JSON.createObjectNode();
        in.set("jwks", JSON.readTree("{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}"));
        in.set("headers", headers);
        in.put("audience", TARGET).put("now", now.getEpochSecond());
        return in;
    }

    @ParameterizedTest(name = "P2-1 wimse4j request in {0} → node jose finds and verifies the proof")
    @EnumSource(WptTransport.class)
    void P2_1_wimse4jRequestsVerifyUnderNodeJoseInTheirTransport(WptTransport transport) throws Exception {
        NodeHarness.Result r = NodeHarness.run("verify-request", wimse4jRequest(transport));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().get("transport").asText()).isEqualTo(wireName(transport));
        assertThat(r.json().at("/wit/claims/sub").asText()).isEqualTo(SUBJECT);
        assertThat(r.json().at("/wpt/claims").has("ath")).isFalse();
    }

    @Test
    void P2_2_nodeJoseRefusesAWimse4jRequestCarryingBothTransports() throws Exception {
        ObjectNode in = wimse4jRequest(WptTransport.AUTHORIZATION);
        ObjectNode headers = (ObjectNode) in.get("headers");
        headers.put("Workload-Proof-Token", headers.get("Authorization").asText().substring("WPT ".length()));
        NodeHarness.Result r = NodeHarness.run("verify-request", in);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("TWO_TRANSPORTS");
    }

    @Test
    void P2_2_nodeJoseRefusesAWimse4jAuthorizationRequestWhoseProofWasSwapped() throws Exception {
        ObjectNode in = wimse4jRequest(WptTransport.AUTHORIZATION);
        ObjectNode other = wimse4jRequest(WptTransport.AUTHORIZATION);
        ((ObjectNode) in.get("headers")).put("Authorization", other.get("headers").get("Authorization").asText());
        NodeHarness.Result r = NodeHarness.run("verify-request", in);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("stage").asText()).isEqualTo("wpt");
    }
}
