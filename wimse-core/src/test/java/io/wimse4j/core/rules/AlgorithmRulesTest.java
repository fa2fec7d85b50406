package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.TrustedKey;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.testkit.Fixture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ALG-1: RFC 9864's fully-specified {@code Ed25519} and the polymorphic {@code EdDSA} it deprecates
 * are both accepted, in JWS headers and in {@code cnf.jwk.alg}, and V-3 stays an exact string
 * comparison. Three tables, one rule per named row:
 * <ul>
 *   <li>requests through {@link RequestVerifier} ({@link HttpRequestFacts} from the test kit's
 *       {@link Fixture}): Ed25519 WITs and proofs accepted, the two names never standing in for
 *       each other, an {@code Ed25519} header with a P-256 key refused, the allowlists naming the
 *       two separately;</li>
 *   <li>trust-bundle keys: a key declaring {@code alg} verifies under that name only, one without
 *       {@code alg} under either;</li>
 *   <li>what wimse4j emits: {@code Ed25519} when asked for ({@link WorkloadKeyPair#generate}, the
 *       issued {@code cnf.jwk.alg}, the proof header), {@code EdDSA} otherwise.</li>
 * </ul>
 * The Identity Server's part (registration and issuance for an {@code Ed25519} public key, a
 * server signing with {@code Ed25519}) is {@code wimse-server}'s {@code AlgorithmRulesServerTest}.
 */
class AlgorithmRulesTest {
    /** Identity Server and workload both Ed25519 under RFC 9864's name. */
    static final Fixture ED25519_BOTH = new Fixture(JwsAlgorithm.Ed25519, JwsAlgorithm.Ed25519);
    /** An ES256 Identity Server, an {@code Ed25519}-named workload key. */
    static final Fixture ED25519_WORKLOAD = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.Ed25519);
    /** The test kit's default: an ES256 Identity Server, an {@code EdDSA}-named workload key. */
    static final Fixture EDDSA_WORKLOAD = new Fixture();
    /** An ES256 Identity Server and an ES256 (P-256) workload key. */
    static final Fixture P256_WORKLOAD = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.ES256);

    // ---------------------------------------------------------------- requests through RequestVerifier

    /** A request of fixture {@code f}, how the verifier differs, and the refusal ({@code null}: accepted with {@code cnfAlg}). */
    record RequestRow(String name, Fixture f, HttpRequestFacts request, UnaryOperator<RequestVerifier.Builder> config,
                      Reason refusal, JwsAlgorithm cnfAlg) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestRows")
    void ALG_1_throughTheRequestVerifier(RequestRow row) throws WimseException {
        RequestVerifier verifier = row.config().apply(row.f().verifier()).build();
        if (row.refusal() != null) {
            assertRejected(() -> verifier.verify(row.request()), row.refusal());
            return;
        }
        VerifiedCaller caller = verifier.verify(row.request());
        assertThat(caller.workload()).isEqualTo(row.f().workload);
        assertThat(caller.wit().confirmationAlgorithm()).isEqualTo(row.cnfAlg());
        assertThat(caller.wit().confirmationAlgorithmName()).isEqualTo(row.cnfAlg().jwaName());
        String wpt = row.request().values("Workload-Proof-Token").get(0);
        assertThat(header(wpt).get("alg").textValue()).as("the proof's alg is cnf.jwk.alg (V-3)").isEqualTo(row.cnfAlg().jwaName());
    }

    static List<RequestRow> requestRows() {
        Fixture both = ED25519_BOTH;
        Fixture ed = ED25519_WORKLOAD;
        Fixture eddsa = EDDSA_WORKLOAD;
        Fixture p256 = P256_WORKLOAD;
        // a P-256 cnf.jwk that declares Ed25519: signed by the issuer, so only the key check can refuse it
        String p256AsEd25519Wit = p256.craftWit(same(), c -> ((ObjectNode) c.path("cnf").path("jwk")).put("alg", "Ed25519"));
        return List.of(
                accepted("ALG-1 Ed25519 WIT (Ed25519 issuer key) with an Ed25519 cnf.jwk and an Ed25519 WPT → accepted",
                        both, both.validRequest(), b -> b, JwsAlgorithm.Ed25519),
                accepted("ALG-1 ES256 WIT with an Ed25519 cnf.jwk and an Ed25519 WPT → accepted",
                        ed, ed.validRequest(), b -> b, JwsAlgorithm.Ed25519),
                accepted("ALG-1 EdDSA still accepted: ES256 WIT, EdDSA cnf.jwk, EdDSA WPT",
                        eddsa, eddsa.validRequest(), b -> b, JwsAlgorithm.EdDSA),
                accepted("ALG-1 WIT header EdDSA signed by an Ed25519 issuer key, bundle key without alg → accepted",
                        both, request(both, both.craftWit(h -> h.put("alg", "EdDSA"), same())),
                        b -> b.trust(TrustBundleSet.of(bundleWithoutAlg(both, both.issuerKey))), JwsAlgorithm.Ed25519),
                // V-3: the two names never stand in for each other
                refused("ALG-1 EdDSA WPT under an Ed25519 cnf.jwk.alg (a valid Ed25519 signature) → ALG_MISMATCH",
                        ed, ed.request(ed.wit, ed.craftWpt(ed.wit, h -> h.put("alg", "EdDSA"), same())).build(), b -> b,
                        Reason.ALG_MISMATCH),
                refused("ALG-1 Ed25519 WPT under an EdDSA cnf.jwk.alg (a valid Ed25519 signature) → ALG_MISMATCH",
                        eddsa, eddsa.request(eddsa.wit, eddsa.craftWpt(eddsa.wit, h -> h.put("alg", "Ed25519"), same())).build(),
                        b -> b, Reason.ALG_MISMATCH),
                // an Ed25519 header with a P-256 key
                refused("ALG-1 Ed25519 WPT under a P-256 (ES256) cnf.jwk → ALG_MISMATCH",
                        p256, p256.request(p256.wit, p256.craftWpt(p256.wit, h -> h.put("alg", "Ed25519"), same())).build(),
                        b -> b, Reason.ALG_MISMATCH),
                refused("ALG-1 WIT header alg Ed25519 with the kid of the P-256 issuer key → UNKNOWN_KEY (no Ed25519 key has it)",
                        eddsa, request(eddsa, eddsa.craftWit(h -> h.put("alg", "Ed25519"), same())), b -> b, Reason.UNKNOWN_KEY),
                refused("ALG-1 P-256 cnf.jwk declaring alg Ed25519 → INVALID_CNF_KEY",
                        p256, p256.request(p256AsEd25519Wit, p256.craftWpt(p256AsEd25519Wit, h -> h.put("alg", "Ed25519"), same()))
                                .build(), b -> b, Reason.INVALID_CNF_KEY),
                // the allowlists list the two names separately
                refused("ALG-1 Ed25519 cnf.jwk.alg, proofAlgorithms ES256, ES384, EdDSA (Ed25519 off) → UNSUPPORTED_ALG",
                        ed, ed.validRequest(), b -> b.proofAlgorithms(EnumSet.of(JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.EdDSA)),
                        Reason.UNSUPPORTED_ALG),
                refused("ALG-1 EdDSA cnf.jwk.alg, proofAlgorithms Ed25519 only (EdDSA off) → UNSUPPORTED_ALG",
                        eddsa, eddsa.validRequest(), b -> b.proofAlgorithms(EnumSet.of(JwsAlgorithm.Ed25519)), Reason.UNSUPPORTED_ALG),
                accepted("ALG-1 Ed25519 cnf.jwk.alg, proofAlgorithms Ed25519 only → accepted",
                        ed, ed.validRequest(), b -> b.proofAlgorithms(EnumSet.of(JwsAlgorithm.Ed25519)), JwsAlgorithm.Ed25519),
                refused("ALG-1 Ed25519-signed WIT, witAlgorithms ES256 and EdDSA (Ed25519 off) → UNSUPPORTED_ALG",
                        both, both.validRequest(), b -> b.witAlgorithms(EnumSet.of(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA)),
                        Reason.UNSUPPORTED_ALG));
    }

    private static RequestRow accepted(String name, Fixture f, HttpRequestFacts request,
                                       UnaryOperator<RequestVerifier.Builder> config, JwsAlgorithm cnfAlg) {
        return new RequestRow(name, f, request, config, null, cnfAlg);
    }

    private static RequestRow refused(String name, Fixture f, HttpRequestFacts request,
                                      UnaryOperator<RequestVerifier.Builder> config, Reason refusal) {
        return new RequestRow(name, f, request, config, refusal, null);
    }

    /** {@code wit} with a fresh proof of {@code f}'s workload key for it. */
    private static HttpRequestFacts request(Fixture f, String wit) {
        return f.request(wit, f.craftWpt(wit, same(), same())).build();
    }

    // ---------------------------------------------------------------- trust-bundle keys

    /**
     * A WIT whose header names {@code headerAlg}, signed by an Ed25519 issuer key, checked against
     * a bundle of that key as {@code bundleJwk} writes it; {@code refusal} null means accepted, and
     * {@code atLoad} that the bundle itself is refused when read, before any token.
     */
    record BundleRow(String name, String headerAlg, Consumer<ObjectNode> bundleJwk, Reason refusal, boolean atLoad) {
        BundleRow(String name, String headerAlg, Consumer<ObjectNode> bundleJwk, Reason refusal) {
            this(name, headerAlg, bundleJwk, refusal, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundleRows")
    void ALG_1_trustBundleKeys(BundleRow row) throws WimseException {
        Fixture f = ED25519_BOTH;
        ObjectNode jwk = Fixture.json(f.issuerKey.publicJwk().toJson());
        row.bundleJwk().accept(jwk);
        String wit = f.craftWit(h -> h.put("alg", row.headerAlg()), same());
        if (row.atLoad()) {
            assertRejected(() -> TrustBundle.fromJwks(f.trustDomain, "{\"keys\":[" + jwk + "]}"), row.refusal());
            return;
        }
        TrustBundle bundle = TrustBundle.fromJwks(f.trustDomain, "{\"keys\":[" + jwk + "]}");
        WitVerifier verifier = WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(f.clock).build();
        if (row.refusal() == null) {
            assertThat(verifier.verify(wit).subject()).isEqualTo(f.workload);
        } else {
            assertRejected(() -> verifier.verify(wit), row.refusal());
        }
    }

    static List<BundleRow> bundleRows() {
        Consumer<ObjectNode> noAlg = j -> j.remove("alg");
        return List.of(
                new BundleRow("ALG-1 bundle key declaring Ed25519, WIT header Ed25519 → accepted", "Ed25519", same(), null),
                new BundleRow("ALG-1 bundle key declaring Ed25519, WIT header EdDSA → UNKNOWN_KEY (alg restricts the key)",
                        "EdDSA", same(), Reason.UNKNOWN_KEY),
                new BundleRow("ALG-1 bundle key declaring EdDSA, WIT header EdDSA → accepted", "EdDSA", j -> j.put("alg", "EdDSA"), null),
                new BundleRow("ALG-1 bundle key declaring EdDSA, WIT header Ed25519 → UNKNOWN_KEY (alg restricts the key)",
                        "Ed25519", j -> j.put("alg", "EdDSA"), Reason.UNKNOWN_KEY),
                new BundleRow("ALG-1 bundle key without alg, WIT header Ed25519 → accepted", "Ed25519", noAlg, null),
                new BundleRow("ALG-1 bundle key without alg, WIT header EdDSA → accepted", "EdDSA", noAlg, null),
                new BundleRow("ALG-1 bundle key without alg, WIT header ES256 (a P-256 name for an OKP key) → UNKNOWN_KEY",
                        "ES256", noAlg, Reason.UNKNOWN_KEY),
                new BundleRow("ALG-1 bundle key declaring alg ed25519 (not the case-sensitive name) → UNSUPPORTED_ALG at load",
                        "Ed25519", j -> j.put("alg", "ed25519"), Reason.UNSUPPORTED_ALG, true),
                new BundleRow("ALG-1 bundle P-256 key declaring alg Ed25519 → INVALID_KEY at load", "Ed25519",
                        j -> replaceWith(j, P256_WORKLOAD.issuerKey, "Ed25519"), Reason.INVALID_KEY, true));
    }

    /** Makes {@code jwk} {@code key}'s public JWK with {@code alg} replaced. */
    private static void replaceWith(ObjectNode jwk, WorkloadKeyPair key, String alg) {
        jwk.removeAll();
        jwk.setAll(Fixture.json(key.publicJwk().toJson()));
        jwk.put("alg", alg);
    }

    /** A bundle of {@code key}'s public JWK with its {@code alg} member removed. */
    private static TrustBundle bundleWithoutAlg(Fixture f, WorkloadKeyPair key) {
        ObjectNode jwk = Fixture.json(key.publicJwk().toJson());
        jwk.remove("alg");
        try {
            return TrustBundle.fromJwks(f.trustDomain, "{\"keys\":[" + jwk + "]}");
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- keys, names and what wimse4j emits

    /** One check of keys and names; a row fails when {@code check} throws. */
    record KeyRow(String name, ThrowingCallable check) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyRows")
    void ALG_1_keysAndTheNamesWimse4jEmits(KeyRow row) throws Throwable {
        row.check().call();
    }

    static List<KeyRow> keyRows() {
        String p256PrivateAsEd25519 = Fixture.json(WorkloadKeyPair.generate(JwsAlgorithm.ES256).privateJwkJson())
                .put("alg", "Ed25519").toString();
        return List.of(
                new KeyRow("ALG-1 WorkloadKeyPair.generate(Ed25519) → OKP Ed25519 key whose public JWK has alg Ed25519", () -> {
                    WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.Ed25519);
                    assertThat(key.algorithm()).isEqualTo(JwsAlgorithm.Ed25519);
                    assertThat(key.publicJwk().toMap()).containsEntry("alg", "Ed25519").containsEntry("kty", "OKP")
                            .containsEntry("crv", "Ed25519");
                    assertThat(key.signer().algorithm()).isEqualTo(JwsAlgorithm.Ed25519);
                    assertThat(Fixture.json(key.privateJwkJson()).get("alg").textValue()).isEqualTo("Ed25519");
                }),
                new KeyRow("ALG-1 WorkloadKeyPair.generate(EdDSA) still writes alg EdDSA", () ->
                        assertThat(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA).publicJwk().toMap()).containsEntry("alg", "EdDSA")),
                new KeyRow("ALG-1 a WIT issued for an Ed25519 key carries cnf.jwk.alg Ed25519", () -> {
                    JsonNode cnf = claims(ED25519_WORKLOAD.wit).path("cnf").path("jwk");
                    assertThat(cnf.path("alg").textValue()).isEqualTo("Ed25519");
                    assertThat(cnf.path("crv").textValue()).isEqualTo("Ed25519");
                }),
                new KeyRow("ALG-1 a WIT signed by an Ed25519 issuer key has header alg Ed25519", () ->
                        assertThat(header(ED25519_BOTH.wit).get("alg").textValue()).isEqualTo("Ed25519")),
                new KeyRow("ALG-1 a WPT signed with an Ed25519 key has header alg Ed25519", () ->
                        assertThat(header(ED25519_WORKLOAD.wpt(ProofBindings.NONE)).get("alg").textValue()).isEqualTo("Ed25519")),
                new KeyRow("ALG-1 an EdDSA-named signer for a WIT whose cnf.jwk.alg is Ed25519 (the same key) → ALG_MISMATCH", () -> {
                    WorkloadKeyPair asEdDsa = WorkloadKeyPair.fromPrivateJwk(
                            Fixture.json(ED25519_WORKLOAD.workloadKey.privateJwkJson()).put("alg", "EdDSA").toString(), null);
                    assertRejected(() -> WorkloadCredentials.of(ED25519_WORKLOAD.wit, asEdDsa.signer()), Reason.ALG_MISMATCH);
                }),
                new KeyRow("ALG-1 a private Ed25519 JWK without alg loads as EdDSA, the default name (not refused as ambiguous)", () -> {
                    ObjectNode jwk = Fixture.json(WorkloadKeyPair.generate(JwsAlgorithm.Ed25519).privateJwkJson());
                    jwk.remove("alg");
                    assertThat(WorkloadKeyPair.fromPrivateJwk(jwk.toString(), null).algorithm()).isEqualTo(JwsAlgorithm.EdDSA);
                    assertThat(WorkloadKeyPair.fromPrivateJwk(jwk.toString(), JwsAlgorithm.Ed25519).algorithm())
                            .isEqualTo(JwsAlgorithm.Ed25519);
                }),
                new KeyRow("ALG-1 a private P-256 JWK declaring alg Ed25519 → INVALID_KEY", () ->
                        assertRejected(() -> WorkloadKeyPair.fromPrivateJwk(p256PrivateAsEd25519, null), Reason.INVALID_KEY)),
                new KeyRow("ALG-1 a public P-256 JWK declaring alg Ed25519 → INVALID_KEY", () ->
                        assertRejected(() -> PublicJwk.parse(Fixture.json(P256_WORKLOAD.workloadKey.publicJwk().toJson())
                                .put("alg", "Ed25519").toString()), Reason.INVALID_KEY)),
                new KeyRow("ALG-1 a public Ed25519 JWK without alg may verify both names, with alg only its own", () -> {
                    ObjectNode jwk = Fixture.json(ED25519_WORKLOAD.workloadKey.publicJwk().toJson());
                    assertThat(PublicJwk.parse(jwk.toString()).algorithms()).containsExactly(JwsAlgorithm.Ed25519);
                    jwk.remove("alg");
                    assertThat(PublicJwk.parse(jwk.toString()).algorithms())
                            .containsExactlyInAnyOrder(JwsAlgorithm.EdDSA, JwsAlgorithm.Ed25519);
                    assertThat(TrustedKey.fromJwks(jwk.toString(), EnumSet.allOf(JwsAlgorithm.class), true, false, 32))
                            .extracting(TrustedKey::algorithm).containsExactly(JwsAlgorithm.EdDSA, JwsAlgorithm.Ed25519);
                }),
                new KeyRow("ALG-1 Ed25519 is an OKP Ed25519 algorithm with 64-byte signatures, like EdDSA", () -> {
                    assertThat(JwsAlgorithm.Ed25519.keyType()).isEqualTo(JwsAlgorithm.EdDSA.keyType()).isEqualTo("OKP");
                    assertThat(JwsAlgorithm.Ed25519.curve()).isEqualTo(JwsAlgorithm.EdDSA.curve()).isEqualTo("Ed25519");
                    assertThat(JwsAlgorithm.Ed25519.signatureLength()).isEqualTo(64);
                    assertThat(JwsAlgorithm.Ed25519.jwaName()).isEqualTo("Ed25519");
                }),
                new KeyRow("ALG-1 fromJwaName: exact, case-sensitive names, and no allocation per lookup", () -> {
                    assertThat(JwsAlgorithm.fromJwaName("Ed25519")).contains(JwsAlgorithm.Ed25519);
                    assertThat(JwsAlgorithm.fromJwaName("EdDSA")).contains(JwsAlgorithm.EdDSA);
                    assertThat(JwsAlgorithm.fromJwaName("ed25519")).isEmpty();
                    assertThat(JwsAlgorithm.fromJwaName("ED25519")).isEmpty();
                    assertThat(JwsAlgorithm.fromJwaName(new String("Ed25519".toCharArray())))
                            .isSameAs(JwsAlgorithm.fromJwaName("Ed25519"));
                }),
                new KeyRow("ALG-1 the default proof algorithms hold both names", () ->
                        assertThat(WitVerifier.DEFAULT_PROOF_ALGORITHMS)
                                .containsExactlyInAnyOrder(JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.EdDSA, JwsAlgorithm.Ed25519)));
    }

    // ---------------------------------------------------------------- helpers

    static JsonNode header(String compact) {
        return part(compact, 0);
    }

    static JsonNode claims(String compact) {
        return part(compact, 1);
    }

    private static JsonNode part(String compact, int index) {
        return Fixture.json(new String(Base64.getUrlDecoder().decode(compact.split("\\.")[index]), StandardCharsets.UTF_8));
    }
}
