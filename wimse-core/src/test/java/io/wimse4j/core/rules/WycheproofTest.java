package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.testkit.Prerequisite;
import io.wimse4j.core.rules.WycheproofVectors.Case;
import io.wimse4j.core.rules.WycheproofVectors.Group;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Known-answer tests (ALG-KAT): the Wycheproof signature vectors of {@code shared/vectors/wycheproof/}
 * (ES256 and ES384 in P1363 form, Ed25519 under both of its names EdDSA and Ed25519 (ALG-1), RS256,
 * PS256) run through the path tokens use. Each test
 * group's public key becomes a public JWK ({@code alg} the JWS algorithm, {@code use} {@code sig}),
 * is loaded with {@link TrustBundle#fromJwks} (the trust anchors of ID-3; a WIT's {@code cnf.jwk},
 * WIT-7/WIT-8, goes through the same {@code JwkKeys.parsePublic} and {@code JwkKeys.verifier}),
 * picked by {@code kid} with {@link TrustBundle#select} (C2-1), and each case is verified with the
 * key's {@link SignatureVerifier} (WIT-1: only these asymmetric algorithms; V-4: the signature
 * verifies with the key, and nothing else does).
 *
 * <p>One row per case, named {@code ALG-KAT <alg> tcId <n> (<result>) <comment>}. A valid case must
 * verify, an invalid one must not; a verifier that throws instead of answering fails the row.
 * Wycheproof's "acceptable" cases must take the verdict listed in {@link #ACCEPTABLE}, so a change
 * of behaviour is noticed. A group whose key wimse4j refuses at load counts as rejecting all its
 * cases, which fails every valid one, and the refused groups must be exactly those of
 * {@link #REFUSED_AT_LOAD}. The salt-0 PSS file is a profile check: PS256 (RFC 7518 3.5) means a
 * 32-byte salt, so every salt-0 signature must fail, except tcId {@value #SALT0_RESIGNED}, which the
 * file re-made with a 32-byte salt. Per-file counts are fixed too, so a changed vector file is
 * noticed. The results are documented in {@code docs/wycheproof.md}.
 */
class WycheproofTest {
    enum Verdict { ACCEPT, REJECT }

    /** Wycheproof's own counts of a file. */
    record Counts(int valid, int invalid, int acceptable) {
    }

    static final String ES256_FILE = "ecdsa_secp256r1_sha256_p1363_test.json";
    static final String ES384_FILE = "ecdsa_secp384r1_sha384_p1363_test.json";
    static final String ED25519_FILE = "ed25519_test.json";
    static final String RS256_FILE = "rsa_signature_2048_sha256_test.json";
    static final String PS256_FILE = "rsa_pss_2048_sha256_mgf1_32_test.json";
    static final String SALT0_FILE = "rsa_pss_2048_sha256_mgf1_0_test.json";

    /** The one case of the salt-0 file whose signature was made with a 32-byte salt. */
    static final int SALT0_RESIGNED = 69;
    static final String SALT0_RESIGNED_COMMENT = "s_len changed to 32";

    /** Wycheproof's valid / invalid / acceptable counts, per file. */
    static final Map<String, Counts> COUNTS = Map.of(
            ES256_FILE, new Counts(173, 89, 0),
            ES384_FILE, new Counts(193, 87, 0),
            ED25519_FILE, new Counts(88, 63, 0),
            RS256_FILE, new Counts(9, 249, 1),
            PS256_FILE, new Counts(63, 45, 0),
            SALT0_FILE, new Counts(61, 42, 0));

    /** Every "acceptable" case ({@code file#tcId}) with the verdict wimse4j takes (docs/wycheproof.md says why). */
    static final Map<String, Verdict> ACCEPTABLE = Map.of(
            // DigestInfo without the NULL parameters of sha256 (RFC 8017 9.2 gives it with NULL):
            // BouncyCastle's RSADigestSigner accepts this legacy variant too, an exact comparison
            // against one other fixed encoding, no ASN.1 parsing; Wycheproof: "not a vulnerability".
            RS256_FILE + "#8", Verdict.ACCEPT);

    /** The groups (0-based index in the file) whose key wimse4j refuses at load. */
    static final Map<String, List<Integer>> REFUSED_AT_LOAD = Map.of(
            ES256_FILE, List.of(),
            ES384_FILE, List.of(),
            ED25519_FILE, List.of(),
            RS256_FILE, List.of(),
            PS256_FILE, List.of(),
            SALT0_FILE, List.of());

    private static final TrustDomain TRUST_DOMAIN = new TrustDomain("wycheproof.example");

    /** The committed copy of the vectors is byte for byte the project's shared one, when that is here. */
    @org.junit.jupiter.api.Test
    void committedVectorsAreTheSharedOnes() throws java.io.IOException {
        Optional<Path> shared = WycheproofVectors.sharedDirectory();
        org.junit.jupiter.api.Assumptions.assumeTrue(shared.isPresent(), "shared/vectors/wycheproof is not beside this clone");
        Path copy = WycheproofVectors.committedCopy().orElseThrow(() -> new AssertionError("no committed copy on the class path"));
        try (Stream<Path> files = java.nio.file.Files.list(shared.get())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertThat(java.nio.file.Files.readAllBytes(copy.resolve(f.getFileName().toString())))
                        .as("committed copy of %s", f.getFileName()).isEqualTo(java.nio.file.Files.readAllBytes(f));
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> es256() {
        return table(ES256_FILE, JwsAlgorithm.ES256);
    }

    @TestFactory
    Stream<DynamicNode> es384() {
        return table(ES384_FILE, JwsAlgorithm.ES384);
    }

    @TestFactory
    Stream<DynamicNode> ed25519() {
        return table(ED25519_FILE, JwsAlgorithm.EdDSA);
    }

    /**
     * The same Ed25519 vectors with the keys declaring RFC 9864's {@code "alg":"Ed25519"} and
     * selected for an {@code Ed25519} token (ALG-1): the verdicts must not depend on the name.
     */
    @TestFactory
    Stream<DynamicNode> ed25519UnderItsFullySpecifiedName() {
        return table(ED25519_FILE, JwsAlgorithm.Ed25519);
    }

    @TestFactory
    Stream<DynamicNode> rs256() {
        return table(RS256_FILE, JwsAlgorithm.RS256);
    }

    @TestFactory
    Stream<DynamicNode> ps256() {
        return table(PS256_FILE, JwsAlgorithm.PS256);
    }

    @TestFactory
    Stream<DynamicNode> ps256Salt0ProfileCheck() {
        return table(SALT0_FILE, JwsAlgorithm.PS256);
    }

    /** The outcome of loading one group's key through the trust-bundle path. */
    private record Load(SignatureVerifier verifier, String refusal, Throwable crash) {
        boolean refused() {
            return refusal != null;
        }
    }

    private static Stream<DynamicNode> table(String file, JwsAlgorithm alg) {
        Path dir = WycheproofVectors.directory().orElseThrow(() -> Prerequisite.missing(
                "shared/vectors/wycheproof not found upward from " + Path.of("").toAbsolutePath()));
        WycheproofVectors vectors = WycheproofVectors.read(dir, file, alg);
        String label = file.equals(SALT0_FILE) ? alg.jwaName() + " salt-0" : alg.jwaName();
        List<Load> loads = vectors.groups().stream().map(g -> load(g, alg)).toList();

        List<DynamicNode> rows = new ArrayList<>();
        rows.add(DynamicTest.dynamicTest("ALG-KAT " + label + " " + file + ": counts as listed", () -> checkCounts(vectors)));
        rows.add(DynamicTest.dynamicTest("ALG-KAT " + label + " groups refused at key load as listed", () -> {
            List<Integer> refused = new ArrayList<>();
            for (int i = 0; i < loads.size(); i++) {
                if (loads.get(i).refused()) {
                    refused.add(i);
                }
            }
            assertThat(refused).as("groups of %s refused at key load: %s", file, refusals(loads))
                    .isEqualTo(REFUSED_AT_LOAD.get(file));
        }));
        rows.add(DynamicTest.dynamicTest("ALG-KAT " + label + " keys converted as the file's own JWKs",
                () -> vectors.groups().forEach(WycheproofTest::checkConversion)));
        if (file.equals(SALT0_FILE)) {
            rows.add(DynamicTest.dynamicTest("ALG-KAT " + label + " tcId " + SALT0_RESIGNED + " is the case re-made with a 32-byte salt",
                    () -> assertThat(vectors.cases()).filteredOn(c -> c.tcId() == SALT0_RESIGNED).singleElement()
                            .satisfies(c -> assertThat(c.comment()).isEqualTo(SALT0_RESIGNED_COMMENT))));
        }
        for (Group g : vectors.groups()) {
            Load load = loads.get(g.index());
            for (Case c : g.cases()) {
                Verdict expected = expected(file, c);
                String name = rowName(label, file, c, expected) + (load.refused() ? " [key refused at load]" : "");
                rows.add(DynamicTest.dynamicTest(name, () -> checkCase(name, load, c, expected)));
            }
        }
        return rows.stream();
    }

    private static Load load(Group g, JwsAlgorithm alg) {
        try {
            TrustBundle bundle = TrustBundle.fromJwks(TRUST_DOMAIN, g.jwks());
            // the key selection tokens use (C2-1): the kid names exactly one key of the alg
            List<SignatureVerifier> candidates = bundle.select(alg, Optional.of(g.kid()), true);
            if (bundle.keys().size() != 1 || candidates.size() != 1) {
                return new Load(null, null, new AssertionError("expected exactly one " + alg + " key, got " + bundle.keys()));
            }
            return new Load(candidates.get(0), null, null);
        } catch (WimseException e) {
            return new Load(null, e.reason() + ": " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return new Load(null, null, e);
        }
    }

    /** The verdict the test expects of wimse4j for {@code c}. */
    static Verdict expected(String file, Case c) {
        if (file.equals(SALT0_FILE)) {
            return c.tcId() == SALT0_RESIGNED ? Verdict.ACCEPT : Verdict.REJECT;
        }
        return switch (c.result()) {
            case "valid" -> Verdict.ACCEPT;
            case "invalid" -> Verdict.REJECT;
            case "acceptable" -> {
                Verdict v = ACCEPTABLE.get(file + "#" + c.tcId());
                if (v == null) {
                    yield fail("acceptable case " + file + " tcId " + c.tcId() + " (" + c.comment()
                            + ") has no fixed verdict in ACCEPTABLE");
                }
                yield v;
            }
            default -> fail("unknown Wycheproof result '" + c.result() + "' in " + file + " tcId " + c.tcId());
        };
    }

    private static String rowName(String label, String file, Case c, Verdict expected) {
        String result;
        if (file.equals(SALT0_FILE)) {
            result = c.result() + " with salt 0; PS256 must " + (expected == Verdict.ACCEPT ? "accept" : "reject");
        } else if (c.result().equals("acceptable")) {
            result = "acceptable; taken: " + (expected == Verdict.ACCEPT ? "accept" : "reject");
        } else {
            result = c.result();
        }
        String comment = c.comment().length() > 90 ? c.comment().substring(0, 87) + "..." : c.comment();
        return "ALG-KAT " + label + " tcId " + c.tcId() + " (" + result + ") " + comment;
    }

    private static void checkCase(String name, Load load, Case c, Verdict expected) throws Throwable {
        if (load.crash() != null) {
            throw new AssertionError(name + ": loading the key failed instead of being refused", load.crash());
        }
        Verdict actual = load.refused() ? Verdict.REJECT : verify(name, load.verifier(), c);
        String why = load.refused() ? "key refused at load: " + load.refusal() : "verifier answered " + actual;
        assertThat(actual).as("%s %s (flags %s; %s)", name,
                expected == Verdict.ACCEPT ? "must be accepted" : "must be rejected", c.flags(), why).isEqualTo(expected);
    }

    /** Verifies at offset 0 and again inside a larger buffer; both answers must agree, and nothing may throw. */
    private static Verdict verify(String name, SignatureVerifier verifier, Case c) {
        boolean direct;
        boolean shifted;
        try {
            direct = verifier.verify(c.msg(), 0, c.msg().length, c.signature().clone());
            byte[] padded = new byte[c.msg().length + 5];
            padded[0] = 'x';
            padded[padded.length - 1] = '.';
            System.arraycopy(c.msg(), 0, padded, 3, c.msg().length);
            shifted = verifier.verify(padded, 3, c.msg().length, c.signature().clone());
        } catch (RuntimeException e) {
            throw new AssertionError(name + ": the verifier threw instead of answering", e);
        }
        assertThat(shifted).as("%s: the verdict at an offset into a larger buffer", name).isEqualTo(direct);
        return direct ? Verdict.ACCEPT : Verdict.REJECT;
    }

    private static void checkCounts(WycheproofVectors vectors) {
        List<Case> cases = vectors.cases();
        assertThat(cases).as("%s: cases read vs numberOfTests", vectors.file()).hasSize(vectors.numberOfTests());
        assertThat(cases).extracting(Case::tcId).as("%s: tcIds unique", vectors.file()).doesNotHaveDuplicates();
        Counts counts = new Counts(count(cases, "valid"), count(cases, "invalid"), count(cases, "acceptable"));
        assertThat(counts).as("%s: valid/invalid/acceptable", vectors.file()).isEqualTo(COUNTS.get(vectors.file()));
        assertThat(counts.valid() + counts.invalid() + counts.acceptable()).isEqualTo(cases.size());
    }

    private static int count(List<Case> cases, String result) {
        return (int) cases.stream().filter(c -> c.result().equals(result)).count();
    }

    /** Where the file gives its own JWK for a group, the key members the test built must be the same. */
    private static void checkConversion(Group g) {
        if (g.fileJwk().isEmpty()) {
            return;
        }
        JsonNode mine = g.jwk();
        JsonNode theirs = g.fileJwk().get();
        for (String member : List.of("kty", "crv", "x", "y", "n", "e")) {
            assertThat(mine.path(member).asText()).as("group %d member %s", g.index(), member)
                    .isEqualTo(theirs.path(member).asText());
        }
    }

    private static List<String> refusals(List<Load> loads) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < loads.size(); i++) {
            if (loads.get(i).refused()) {
                out.add("group " + i + ": " + loads.get(i).refusal());
            }
        }
        return out;
    }
}
