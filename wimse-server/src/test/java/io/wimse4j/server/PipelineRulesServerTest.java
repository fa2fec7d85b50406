package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import io.wimse4j.server.attest.KubernetesIdentity;
import io.wimse4j.server.attest.KubernetesTokenVerifier;
import io.wimse4j.server.http.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 8, done-when 1, for the two token kinds of {@code wimse-server}: the Identity Server's proof
 * of possession ({@link ProofChecker}) and the Kubernetes service-account token
 * ({@link KubernetesTokenVerifier}) go through the same core {@code JwsVerifier} pipeline as the WIT
 * and the WPT ({@code wimse-core}'s {@code PipelineRulesTest}). One row per mutation of a valid
 * token: {@code alg} (none, HMAC, allowlist), unknown {@code crit}, wrong {@code typ}, key selection
 * (C2-1: by {@code kid} from the cluster JWKS; the proof's key is the submitted {@code public_jwk}),
 * the {@code exp} boundary at a fixed instant (C2-5: expired at exactly {@code exp} + leeway), and two
 * rows only the shared parser answers (size, duplicate JSON member). The proof answers a
 * {@link Problem} ({@code invalid-proof}) whose detail carries the pipeline's own wording; the
 * Kubernetes verifier answers the {@link Reason} itself.
 */
class PipelineRulesServerTest {
    static final Duration LEEWAY = Duration.ofSeconds(60);

    // ---------------------------------------------------------------- the Identity Server's proof

    static final String PROOF_AUDIENCE = "https://wimse.test/v1/wit";
    static final WorkloadKeyPair POP_KEY = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final JsonNode POP_JWK = Fixture.json(POP_KEY.publicJwk().toJson());
    static final Instant PROOF_EXP = NOW.plusSeconds(60);
    static final String PROOF_JTI = JwsWriter.randomJwtId();

    /** A proof, the instant it is checked at, and the detail fragment of its refusal (null: accepted). */
    record ProofRow(String name, String proof, Instant at, String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proofRows")
    void proofSharesThePipeline(ProofRow row) throws Problem {
        ProofChecker checker = new ProofChecker(PROOF_AUDIENCE, LEEWAY);
        if (row.refusal() == null) {
            ProofChecker.CheckedProof checked = checker.check(POP_JWK, row.proof(), row.at());
            assertThat(checked.jwtId()).isEqualTo(PROOF_JTI);
            assertThat(checked.expiresAt()).isEqualTo(PROOF_EXP);
            assertThat(checked.algorithm()).isEqualTo(JwsAlgorithm.ES256);
            assertThat(checked.publicKey()).isEqualTo(POP_KEY.publicJwk());
        } else {
            assertThatThrownBy(() -> checker.check(POP_JWK, row.proof(), row.at()))
                    .isInstanceOfSatisfying(Problem.class, p -> {
                        assertThat(p.code()).as("problem code (detail: %s)", p.detail()).isEqualTo(Problem.Code.INVALID_PROOF.code());
                        assertThat(p.detail()).startsWith("proof: ").contains(row.refusal());
                        // the wire code is invalid-proof (the server's contract); the pipeline's Reason is kept
                        java.util.regex.Matcher expected = java.util.regex.Pattern.compile("→ ([A-Z_]+)").matcher(row.name());
                        assertThat(expected.find()).as("a refusal row names its Reason: %s", row.name()).isTrue();
                        assertThat(p.reason()).as("the pipeline's reason").hasValue(Reason.valueOf(expected.group(1)));
                    });
        }
    }

    static List<ProofRow> proofRows() {
        Instant now = NOW;
        return List.of(
                proofRow("C2-5 proof baseline: a proof at its iat is accepted", proof(same(), same()), now, null),
                // alg
                proofRow("hardening proof alg none with a signature part → UNSUPPORTED_ALG ('alg' none is not accepted)",
                        unsigned("{\"alg\":\"none\",\"typ\":\"wimse-pop+jwt\"}", proofClaims(), junkSignature()), now,
                        "'alg' none is not accepted"),
                proofRow("hardening proof alg none with an empty signature part → MALFORMED_TOKEN (a part is empty)",
                        unsigned("{\"alg\":\"none\",\"typ\":\"wimse-pop+jwt\"}", proofClaims(), ""), now, "part is empty"),
                proofRow("hardening proof alg HS256 → UNSUPPORTED_ALG ('alg' HS256 is not accepted)",
                        proof(h -> h.put("alg", "HS256"), same()), now, "'alg' HS256 is not accepted"),
                proofRow("V-3 proof alg ES384 under public_jwk alg ES256 → ALG_MISMATCH (the key is public_jwk)",
                        proof(h -> h.put("alg", "ES384"), same()), now, "is not the public_jwk's alg ES256"),
                // crit
                proofRow("hardening proof unknown crit → UNSUPPORTED_CRIT", proof(PipelineRulesServerTest::crit, same()), now, "'crit'"),
                // typ
                proofRow("hardening proof typ jwt → WRONG_TYP", proof(h -> h.put("typ", "jwt"), same()), now,
                        "'typ' must be 'wimse-pop+jwt'"),
                proofRow("hardening proof typ absent → WRONG_TYP", proof(h -> h.remove("typ"), same()), now, "no 'typ'"),
                proofRow("hardening proof typ wpt+jwt (the WPT's) → WRONG_TYP", proof(h -> h.put("typ", "wpt+jwt"), same()), now,
                        "'typ' must be 'wimse-pop+jwt'"),
                proofRow("hardening proof typ wit+jwt (the WIT's) → WRONG_TYP", proof(h -> h.put("typ", "wit+jwt"), same()), now,
                        "'typ' must be 'wimse-pop+jwt'"),
                // key selection: the proof's key is public_jwk, never chosen by kid
                proofRow("C2-1 proof kid naming no key is not used for selection (the key is public_jwk) → accepted",
                        proof(h -> h.put("kid", "no-such-key"), same()), now, null),
                // exp boundary
                proofRow("C2-5 proof exp boundary: at exp+leeway-1s accepted", proof(same(), same()),
                        PROOF_EXP.plus(LEEWAY).minusSeconds(1), null),
                proofRow("C2-5 proof exp boundary: at exp+leeway → EXPIRED", proof(same(), same()), PROOF_EXP.plus(LEEWAY),
                        "proof expired at " + PROOF_EXP),
                proofRow("C2-5 proof exp missing → MISSING_CLAIM", proof(same(), c -> c.remove("exp")), now, "no 'exp' claim"),
                // only the shared parser answers these
                proofRow("hardening proof longer than 8192 characters → TOKEN_TOO_LARGE",
                        proof(same(), c -> c.put("pad", "x".repeat(9000))), now, "the limit is 8192"),
                proofRow("hardening proof header with a duplicate member → INVALID_JSON",
                        RawJws.signRaw(POP_KEY.signer(), duplicateTyp(proofHeader()), proofClaims().toString()), now,
                        "JOSE header is not valid JSON"));
    }

    private static ProofRow proofRow(String name, String proof, Instant at, String refusal) {
        return new ProofRow(name, proof, at, refusal);
    }

    private static ObjectNode proofHeader() {
        ObjectNode h = StrictJson.mapper().createObjectNode();
        return h.put("alg", POP_KEY.algorithm().jwaName()).put("typ", ProofChecker.TYP);
    }

    /** The claims {@code ServerHarness.proof} writes, at {@link Fixture#NOW}. */
    private static ObjectNode proofClaims() {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        return c.put("aud", PROOF_AUDIENCE).put("iat", NOW.getEpochSecond()).put("exp", PROOF_EXP.getEpochSecond())
                .put("jti", PROOF_JTI);
    }

    private static String proof(Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        ObjectNode h = proofHeader();
        ObjectNode c = proofClaims();
        header.accept(h);
        claims.accept(c);
        return RawJws.signRaw(POP_KEY.signer(), h.toString(), c.toString());
    }

    // ---------------------------------------------------------------- the Kubernetes service-account token

    static final String K8S_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String K8S_AUDIENCE = "https://wimse-server.example.org";
    static final Duration K8S_LEEWAY = KubernetesTokenVerifier.DEFAULT_LEEWAY;
    static final Instant K8S_EXP = NOW.plusSeconds(3600);
    static final WorkloadKeyPair EC1 = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final WorkloadKeyPair EC2 = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final WorkloadKeyPair RSA1 = WorkloadKeyPair.generate(JwsAlgorithm.RS256);
    static final WorkloadKeyPair RSA2 = WorkloadKeyPair.generate(JwsAlgorithm.RS256);
    static final String ONE_EC = jwks(EC1);
    static final String TWO_EC = jwks(EC1, EC2);
    static final String RSA_AND_EC = jwks(RSA1, EC1);
    static final String TWO_RSA = jwks(RSA1, RSA2);

    /** A token, the cluster JWKS, the instant, and the {@link Reason} of its refusal (null: accepted). */
    record KubernetesRow(String name, String token, String jwks, Instant at, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubernetesRows")
    void kubernetesTokenSharesThePipeline(KubernetesRow row) throws Exception {
        KubernetesTokenVerifier verifier = KubernetesTokenVerifier.builder().issuer(K8S_ISSUER).audience(K8S_AUDIENCE)
                .jwks(row.jwks()).clock(Clock.fixed(row.at(), ZoneOffset.UTC)).leeway(K8S_LEEWAY).build();
        if (row.refusal() == null) {
            KubernetesIdentity id = verifier.verify(row.token());
            assertThat(id).isEqualTo(new KubernetesIdentity("payments", "checkout", Optional.of("checkout-7d9f8b6c5-x2x4k"),
                    "system:serviceaccount:payments:checkout"));
        } else {
            assertRejected(() -> verifier.verify(row.token()), row.refusal());
        }
    }

    static List<KubernetesRow> kubernetesRows() {
        Instant now = NOW;
        return List.of(
                k8s("C2-1 k8s baseline: ES256 with the kid of the one key, no typ → accepted", k8s(EC1, same(), same()), ONE_EC, now, null),
                // alg
                k8s("hardening k8s alg none with a signature part → UNSUPPORTED_ALG",
                        unsigned("{\"alg\":\"none\",\"kid\":\"" + EC1.keyId() + "\"}", k8sClaims(), junkSignature()), ONE_EC, now,
                        Reason.UNSUPPORTED_ALG),
                k8s("hardening k8s alg none with an empty signature part → MALFORMED_TOKEN (refused before alg)",
                        unsigned("{\"alg\":\"none\",\"kid\":\"" + EC1.keyId() + "\"}", k8sClaims(), ""), ONE_EC, now,
                        Reason.MALFORMED_TOKEN),
                k8s("hardening k8s alg HS256 → UNSUPPORTED_ALG", k8s(EC1, h -> h.put("alg", "HS256"), same()), ONE_EC, now,
                        Reason.UNSUPPORTED_ALG),
                k8s("hardening k8s alg PS256 (outside RS256/ES256) → UNSUPPORTED_ALG", k8s(RSA1, h -> h.put("alg", "PS256"), same()),
                        RSA_AND_EC, now, Reason.UNSUPPORTED_ALG),
                // crit
                k8s("hardening k8s unknown crit → UNSUPPORTED_CRIT", k8s(EC1, PipelineRulesServerTest::crit, same()), ONE_EC, now,
                        Reason.UNSUPPORTED_CRIT),
                // typ: absent or JWT
                k8s("hardening k8s typ JWT → accepted", k8s(EC1, h -> h.put("typ", "JWT"), same()), ONE_EC, now, null),
                k8s("hardening k8s typ application/jwt → accepted", k8s(EC1, h -> h.put("typ", "application/jwt"), same()), ONE_EC,
                        now, null),
                k8s("hardening k8s typ wit+jwt → WRONG_TYP", k8s(EC1, h -> h.put("typ", "wit+jwt"), same()), ONE_EC, now,
                        Reason.WRONG_TYP),
                k8s("hardening k8s typ at+jwt → WRONG_TYP", k8s(EC1, h -> h.put("typ", "at+jwt"), same()), ONE_EC, now,
                        Reason.WRONG_TYP),
                k8s("hardening k8s typ not a string → WRONG_TYP", k8s(EC1, h -> h.put("typ", 1), same()), ONE_EC, now,
                        Reason.WRONG_TYP),
                // kid selection against a JWKS of one and of two keys
                k8s("C2-1 k8s kid naming no key → UNKNOWN_KEY", k8s(EC1, h -> h.put("kid", "no-such-key"), same()), ONE_EC, now,
                        Reason.UNKNOWN_KEY),
                k8s("C2-1 k8s no kid, one ES256 key → accepted", k8s(EC1, h -> h.remove("kid"), same()), ONE_EC, now, null),
                k8s("C2-1 k8s no kid, two ES256 keys → AMBIGUOUS_KEY", k8s(EC1, h -> h.remove("kid"), same()), TWO_EC, now,
                        Reason.AMBIGUOUS_KEY),
                k8s("C2-1 k8s kid naming the second of two ES256 keys → accepted", k8s(EC2, same(), same()), TWO_EC, now, null),
                k8s("C2-1 k8s RS256, no kid, one RS256 key (and an ES256 key) → accepted", k8s(RSA1, h -> h.remove("kid"), same()),
                        RSA_AND_EC, now, null),
                k8s("C2-1 k8s no kid, two RS256 keys → AMBIGUOUS_KEY", k8s(RSA1, h -> h.remove("kid"), same()), TWO_RSA, now,
                        Reason.AMBIGUOUS_KEY),
                k8s("C2-1 k8s RS256 with the kid of the ES256 key (another alg) → UNKNOWN_KEY",
                        k8s(RSA1, h -> h.put("kid", EC1.keyId()), same()), RSA_AND_EC, now, Reason.UNKNOWN_KEY),
                // exp boundary
                k8s("C2-5 k8s exp boundary: at exp+leeway-1s accepted", k8s(EC1, same(), same()), ONE_EC,
                        K8S_EXP.plus(K8S_LEEWAY).minusSeconds(1), null),
                k8s("C2-5 k8s exp boundary: at exp+leeway expired", k8s(EC1, same(), same()), ONE_EC, K8S_EXP.plus(K8S_LEEWAY),
                        Reason.EXPIRED),
                k8s("C2-5 k8s exp missing → MISSING_CLAIM", k8s(EC1, same(), c -> c.remove("exp")), ONE_EC, now,
                        Reason.MISSING_CLAIM),
                // only the shared parser answers these
                k8s("hardening k8s longer than the maximum token length → TOKEN_TOO_LARGE",
                        k8s(EC1, same(), c -> c.put("pad", "x".repeat(9000))), ONE_EC, now, Reason.TOKEN_TOO_LARGE),
                k8s("hardening k8s header with a duplicate member → INVALID_JSON",
                        RawJws.signRaw(EC1.signer(), duplicateKid(k8sHeader(EC1)), k8sClaims().toString()), ONE_EC, now,
                        Reason.INVALID_JSON));
    }

    private static KubernetesRow k8s(String name, String token, String jwks, Instant at, Reason refusal) {
        return new KubernetesRow(name, token, jwks, at, refusal);
    }

    /** The header the API server writes: {@code alg} and {@code kid}, no {@code typ}. */
    private static ObjectNode k8sHeader(WorkloadKeyPair key) {
        return StrictJson.mapper().createObjectNode().put("alg", key.algorithm().jwaName()).put("kid", key.keyId());
    }

    /** The claims of a pod-bound projected token, as in {@code KubernetesTokenVerifierTest}. */
    private static ObjectNode k8sClaims() {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.putArray("aud").add(K8S_AUDIENCE);
        c.put("exp", K8S_EXP.getEpochSecond()).put("iat", NOW.getEpochSecond() - 60).put("nbf", NOW.getEpochSecond() - 60);
        c.put("iss", K8S_ISSUER).put("sub", "system:serviceaccount:payments:checkout");
        ObjectNode k8s = c.putObject("kubernetes.io");
        k8s.put("namespace", "payments");
        k8s.putObject("pod").put("name", "checkout-7d9f8b6c5-x2x4k");
        k8s.putObject("serviceaccount").put("name", "checkout");
        return c;
    }

    private static String k8s(WorkloadKeyPair key, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        ObjectNode h = k8sHeader(key);
        ObjectNode c = k8sClaims();
        header.accept(h);
        claims.accept(c);
        return RawJws.signRaw(key.signer(), h.toString(), c.toString());
    }

    private static String jwks(WorkloadKeyPair... keys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            sb.append(i == 0 ? "" : ",").append(keys[i].publicJwk().toJson());
        }
        return sb.append("]}").toString();
    }

    // ---------------------------------------------------------------- helpers

    private static String unsigned(String headerJson, ObjectNode claims, String signature) {
        return RawJws.unsignedJws(headerJson, claims.toString(), signature);
    }

    private static String junkSignature() {
        return RawJws.junkSignature();
    }

    private static void crit(ObjectNode header) {
        RawJws.criticalUnknownExtension(header);
    }

    /** The header's JSON text with a second {@code typ} member (same value). */
    private static String duplicateTyp(ObjectNode header) {
        return duplicate(header, "typ");
    }

    /** The header's JSON text with a second {@code kid} member (same value). */
    private static String duplicateKid(ObjectNode header) {
        return duplicate(header, "kid");
    }

    private static String duplicate(ObjectNode header, String member) {
        return RawJws.withDuplicateMember(header, member);
    }
}
