package io.wimse4j.core.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.testkit.DraftExample;
import io.wimse4j.testkit.Prerequisite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.wimse4j.core.interop.Jose4jInteropTest.sha256b64url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interoperability with the npm package {@code jose} (panva/jose) on node, a JOSE implementation
 * sharing no code with wimse4j, through {@code interop/node/interop.mjs}: wimse4j tokens verify
 * under node jose, node-jose-minted tokens verify under wimse4j's {@link RequestVerifier}, tampered
 * ones fail with the specific {@link Reason}, and node jose accepts the drafts' example. Both names
 * of Ed25519 (ALG-1), {@code EdDSA} and RFC 9864's {@code Ed25519}, go both ways; a proof whose
 * {@code alg} is the other name than its WIT's {@code cnf.jwk.alg} is refused on either side.
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci --prefix interop/node}. Without them the
 * tests are skipped, or fail when the environment variable {@code CI} is set.
 */
class NodeJoseInteropTest {
    private static final ObjectMapper JSON = NodeHarness.JSON;
    private static final TrustDomain DOMAIN = new TrustDomain("example.org");
    private static final String SUBJECT = "wimse://example.org/a";
    private static final String ISSUER = "https://issuer.example.org";
    private static final String TARGET = "https://service.example/path";
    private static final String ACCESS_TOKEN = "tok-4b1d9e";

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

    /**
     * The availability rule: without node or the installed {@code jose} package, fail when the
     * environment variable {@code CI} is set (CI installs the dependencies first), skip otherwise.
     */
    @BeforeEach
    void requireNodeAndJose() {
        NodeHarness.require();
    }

    private static NodeHarness.Result node(String subcommand, JsonNode input) throws Exception {
        return NodeHarness.run(subcommand, input);
    }

    // ---------------------------------------------------------------- wimse4j -> node jose

    private record WimseTokens(String jwks, String wit, String wpt, WorkloadKeyPair workloadKey,
                               WorkloadCredentials credentials) {
    }

    private WimseTokens wimseTokens(JwsAlgorithm issuerAlg, JwsAlgorithm workloadAlg) throws WimseException {
        WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(issuerAlg);
        WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(workloadAlg);
        String wit = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(DOMAIN).issuer(ISSUER).clock(clock).build()
                .issue(WorkloadIdentifier.parse(SUBJECT), workloadKey.publicJwk(), Duration.ofHours(1), Map.of())
                .token();
        WorkloadCredentials credentials = WorkloadCredentials.of(wit, workloadKey.signer());
        String wpt = WptCreator.create(clock, Duration.ofSeconds(60))
                .create(credentials, TARGET, ProofBindings.accessToken(ACCESS_TOKEN));
        String jwks = "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}";
        return new WimseTokens(jwks, wit, wpt, workloadKey, credentials);
    }

    private ObjectNode verifyInput(String jwks, String wit, String wpt, String audience, String accessToken, Instant at)
            throws IOException {
        ObjectNode in = JSON.createObjectNode();
        in.set("jwks", JSON.readTree(jwks));
        in.put("wit", wit);
        in.put("wpt", wpt);
        in.put("audience", audience);
        if (accessToken != null) {
            in.put("accessToken", accessToken);
        }
        in.put("now", at.getEpochSecond());
        return in;
    }

    @ParameterizedTest(name = "issuer {0}, workload {1}")
    @CsvSource({"ES256, EdDSA", "EdDSA, ES256", "ES256, ES256", "EdDSA, EdDSA",
            // ALG-1: RFC 9864's name, which jose 6 accepts for signing and verifying
            "ES256, Ed25519", "Ed25519, ES256", "Ed25519, Ed25519", "EdDSA, Ed25519", "Ed25519, EdDSA"})
    void wimse4jTokensVerifyUnderNodeJose(JwsAlgorithm issuerAlg, JwsAlgorithm workloadAlg) throws Exception {
        WimseTokens t = wimseTokens(issuerAlg, workloadAlg);
        NodeHarness.Result r = node("verify", verifyInput(t.jwks(), t.wit(), t.wpt(), TARGET, ACCESS_TOKEN, now));

        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode j = r.json();
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.at("/wit/header/typ").asText()).isEqualTo("wit+jwt");
        assertThat(j.at("/wit/header/alg").asText()).isEqualTo(issuerAlg.jwaName());
        assertThat(j.at("/wit/claims/sub").asText()).isEqualTo(SUBJECT);
        assertThat(j.at("/wit/claims/iss").asText()).isEqualTo(ISSUER);
        assertThat(j.at("/wit/claims/cnf/jwk/alg").asText()).isEqualTo(workloadAlg.jwaName());
        assertThat(j.at("/wpt/header/typ").asText()).isEqualTo("wpt+jwt");
        assertThat(j.at("/wpt/header/alg").asText()).isEqualTo(workloadAlg.jwaName());
        assertThat(j.at("/wpt/claims/aud").asText()).isEqualTo(TARGET);
        // node hashed with node:crypto, we hash with MessageDigest: both must agree with the claims
        assertThat(j.path("wth").asText()).isEqualTo(sha256b64url(t.wit()));
        assertThat(j.at("/wpt/claims/wth").asText()).isEqualTo(sha256b64url(t.wit()));
        assertThat(j.at("/wpt/claims/ath").asText()).isEqualTo(sha256b64url(ACCESS_TOKEN));
    }

    @Test
    void nodeJoseRejectsAWimse4jWptWithAFlippedSignatureByte() throws Exception {
        WimseTokens t = wimseTokens(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
        NodeHarness.Result r = node("verify", verifyInput(t.jwks(), t.wit(), flipSignatureByte(t.wpt()), TARGET, ACCESS_TOKEN, now));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().path("stage").asText()).isEqualTo("wpt");
        assertThat(r.json().path("code").asText()).isEqualTo("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    }

    @Test
    void nodeJoseRejectsAWimse4jWptPresentedWithAnotherWit() throws Exception {
        WimseTokens t = wimseTokens(JwsAlgorithm.EdDSA, JwsAlgorithm.ES256);
        // a second WIT for the same workload key: the proof's signature still verifies, only wth differs
        WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String otherWit = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(DOMAIN).clock(clock).build()
                .issue(WorkloadIdentifier.parse(SUBJECT), t.workloadKey().publicJwk(), Duration.ofHours(1), Map.of()).token();
        String jwks = "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}";
        NodeHarness.Result r = node("verify", verifyInput(jwks, otherWit, t.wpt(), TARGET, ACCESS_TOKEN, now));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().path("stage").asText()).isEqualTo("wth");
        assertThat(r.json().path("code").asText()).isEqualTo("WTH_MISMATCH");
    }

    // ---------------------------------------------------------------- node jose -> wimse4j

    private JsonNode mint(String issuerAlg, String workloadAlg, Map<String, String> extra) throws Exception {
        ObjectNode in = JSON.createObjectNode();
        in.put("issuerAlg", issuerAlg);
        in.put("workloadAlg", workloadAlg);
        in.put("sub", SUBJECT);
        in.put("iss", ISSUER);
        in.put("audience", TARGET);
        in.put("accessToken", ACCESS_TOKEN);
        in.put("now", now.getEpochSecond());
        in.put("witTtl", 3600);
        in.put("wptTtl", 60);
        extra.forEach(in::put);
        NodeHarness.Result r = node("mint", in);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.json();
    }

    private RequestVerifier wimseVerifier(JsonNode jwks) throws WimseException {
        return RequestVerifier.builder().trust(TrustBundleSet.of(TrustBundle.fromJwks(DOMAIN, jwks.toString())))
                .clock(clock).build();
    }

    private static HttpRequestFacts request(String wit, String wpt) {
        return HttpRequestFacts.builder("GET", URI.create(TARGET))
                .header("Workload-Identity-Token", wit)
                .header("Workload-Proof-Token", wpt)
                .header("Authorization", "Bearer " + ACCESS_TOKEN)
                .build();
    }

    private void assertReason(JsonNode minted, HttpRequestFacts facts, Reason expected) throws WimseException {
        RequestVerifier verifier = wimseVerifier(minted.get("jwks"));
        assertThatThrownBy(() -> verifier.verify(facts))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected));
    }

    @ParameterizedTest(name = "issuer {0}, workload {1}")
    @CsvSource({"ES256, EdDSA", "EdDSA, ES256", "ES256, ES256", "EdDSA, EdDSA",
            // ALG-1: RFC 9864's name, which jose 6 accepts for signing and verifying
            "ES256, Ed25519", "Ed25519, ES256", "Ed25519, Ed25519", "EdDSA, Ed25519", "Ed25519, EdDSA"})
    void nodeJoseTokensVerifyUnderWimse4j(String issuerAlg, String workloadAlg) throws Exception {
        JsonNode m = mint(issuerAlg, workloadAlg, Map.of());
        assertThat(m.path("joseVersion").asText()).isNotBlank();
        VerifiedCaller caller = wimseVerifier(m.get("jwks")).verify(request(m.get("wit").asText(), m.get("wpt").asText()));
        assertThat(caller.workload().value()).isEqualTo(SUBJECT);
        assertThat(caller.trustDomain()).isEqualTo(DOMAIN);
        assertThat(caller.accessTokenBound()).isTrue();
        assertThat(caller.wit().expiresAt()).isEqualTo(now.plusSeconds(3600));
        assertThat(caller.proof().expiresAt()).isEqualTo(now.plusSeconds(60));
        assertThat(caller.proof().audience()).isEqualTo(TARGET);
        assertThat(caller.proof().jwtId())
                .isEqualTo(JSON.readTree(Jose4jInteropTest.claimsOf(m.get("wpt").asText())).get("jti").asText());
    }

    @Test
    void nodeWptWithAFlippedSignatureByteIsBadSignature() throws Exception {
        JsonNode m = mint("ES256", "EdDSA", Map.of());
        assertReason(m, request(m.get("wit").asText(), flipSignatureByte(m.get("wpt").asText())), Reason.BAD_SIGNATURE);
    }

    @Test
    void nodeWitWithAFlippedSignatureByteIsBadSignature() throws Exception {
        JsonNode m = mint("ES256", "ES256", Map.of());
        assertReason(m, request(flipSignatureByte(m.get("wit").asText()), m.get("wpt").asText()), Reason.BAD_SIGNATURE);
    }

    @Test
    void nodeWptPresentedWithAnotherValidWitIsWthMismatch() throws Exception {
        JsonNode m = mint("EdDSA", "EdDSA", Map.of());
        String otherWit = m.get("otherWit").asText();
        assertThat(otherWit).isNotEqualTo(m.get("wit").asText());
        // the other WIT alone is fine: it is the pairing that is wrong
        WitVerifier witVerifier = WitVerifier.builder()
                .trust(TrustBundleSet.of(TrustBundle.fromJwks(DOMAIN, m.get("jwks").toString()))).clock(clock).build();
        assertThat(witVerifier.verify(otherWit).subject().value()).isEqualTo(SUBJECT);
        assertReason(m, request(otherWit, m.get("wpt").asText()), Reason.WTH_MISMATCH);
    }

    @Test
    void nodeWptWithTypJwtIsWrongTyp() throws Exception {
        JsonNode m = mint("ES256", "EdDSA", Map.of("wptTyp", "JWT"));
        assertReason(m, request(m.get("wit").asText(), m.get("wpt").asText()), Reason.WRONG_TYP);
    }

    @Test
    void nodeWitWithTypJwtIsWrongTyp() throws Exception {
        JsonNode m = mint("EdDSA", "ES256", Map.of("witTyp", "JWT"));
        assertReason(m, request(m.get("wit").asText(), m.get("wpt").asText()), Reason.WRONG_TYP);
    }

    @Test
    void ALG_1_nodeMintedEdDSAProofUnderAnEd25519CnfJwkIsAlgMismatch() throws Exception {
        JsonNode m = mint("ES256", "Ed25519", Map.of("wptAlg", "EdDSA"));
        assertThat(m.at("/workloadJwk/alg").asText()).isEqualTo("Ed25519");
        assertThat(JSON.readTree(headerOf(m.get("wpt").asText())).get("alg").asText()).isEqualTo("EdDSA");
        assertReason(m, request(m.get("wit").asText(), m.get("wpt").asText()), Reason.ALG_MISMATCH);
    }

    @Test
    void ALG_1_nodeMintedEd25519ProofUnderAnEdDSACnfJwkIsAlgMismatch() throws Exception {
        JsonNode m = mint("ES256", "EdDSA", Map.of("wptAlg", "Ed25519"));
        assertReason(m, request(m.get("wit").asText(), m.get("wpt").asText()), Reason.ALG_MISMATCH);
    }

    @Test
    void ALG_1_nodeJoseRefusesAWimse4jEd25519WitWhenItsJwksKeyDeclaresEdDSA() throws Exception {
        // jose, like wimse4j, treats a JWKS key's 'alg' as a restriction: "EdDSA" does not select an Ed25519 token
        WimseTokens t = wimseTokens(JwsAlgorithm.Ed25519, JwsAlgorithm.ES256);
        ObjectNode jwks = (ObjectNode) JSON.readTree(t.jwks());
        ((ObjectNode) jwks.get("keys").get(0)).put("alg", "EdDSA");
        NodeHarness.Result r = node("verify", verifyInput(jwks.toString(), t.wit(), t.wpt(), TARGET, ACCESS_TOKEN, now));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().path("stage").asText()).isEqualTo("wit");
        assertThat(r.json().path("code").asText()).isEqualTo("ERR_JWKS_NO_MATCHING_KEY");
        // and without 'alg' the same key verifies it
        ((ObjectNode) jwks.get("keys").get(0)).remove("alg");
        NodeHarness.Result ok = node("verify", verifyInput(jwks.toString(), t.wit(), t.wpt(), TARGET, ACCESS_TOKEN, now));
        assertThat(ok.exitCode()).as("%s", ok).isZero();
    }

    // ---------------------------------------------------------------- the drafts' example

    @Test
    void draftExampleVerifiesUnderNodeJose() throws Exception {
        String auth = DraftExample.requestBuilder().build().values("Authorization").get(0);
        String accessToken = auth.substring("Bearer ".length());
        String aud = JSON.readTree(Jose4jInteropTest.claimsOf(DraftExample.WPT)).get("aud").asText();
        NodeHarness.Result r = node("verify", verifyInput(DraftExample.jwksJson(), DraftExample.WIT, DraftExample.WPT,
                aud, accessToken, DraftExample.VALID_AT));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().at("/wit/claims/sub").asText()).isEqualTo(DraftExample.SUBJECT);
        assertThat(r.json().path("wth").asText()).isEqualTo(DraftExample.root().at("/expected/wth").asText());
        assertThat(r.json().path("ath").asText()).isEqualTo(DraftExample.root().at("/expected/ath").asText());
        assertThat(r.json().at("/wpt/claims/jti").asText()).isEqualTo(DraftExample.root().at("/expected/wpt_jti").asText());
    }

    @Test
    void draftExampleIsExpiredForNodeJoseAfterItsWptExp() throws Exception {
        String aud = JSON.readTree(Jose4jInteropTest.claimsOf(DraftExample.WPT)).get("aud").asText();
        NodeHarness.Result r = node("verify", verifyInput(DraftExample.jwksJson(), DraftExample.WIT, DraftExample.WPT,
                aud, null, DraftExample.WPT_EXP.plusSeconds(1)));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().path("stage").asText()).isEqualTo("wpt");
        assertThat(r.json().path("code").asText()).isEqualTo("ERR_JWT_EXPIRED");
    }

    // ---------------------------------------------------------------- helpers

    /** The decoded protected header JSON of a compact JWS. */
    static String headerOf(String compact) {
        return new String(Base64.getUrlDecoder().decode(compact.split("\\.")[0]), StandardCharsets.UTF_8);
    }

    /** The token with one byte in the middle of its signature inverted. */
    static String flipSignatureByte(String compact) {
        int dot = compact.lastIndexOf('.');
        byte[] sig = Base64.getUrlDecoder().decode(compact.substring(dot + 1));
        sig[sig.length / 2 - 3] ^= 0x01;
        return compact.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }
}
