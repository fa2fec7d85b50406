package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALG-2, the loader: SPIFFE bundles and go-spiffe WIT bundles as the WIT trust anchors of their trust
 * domain, on go-spiffe's own test data (copied to {@code src/test/resources/spiffe/}, see its
 * {@code NOTICE.md}) and mutations of it. One table of documents that load (which keys, which
 * metadata), one of documents that are refused (reason and detail).
 */
class SpiffeBundleRulesTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String VALID = "spiffebundle_valid_with_wit.json";
    static final List<String> VALID_WIT_KIDS = List.of("uNhqAaPI7NDn7IHOsa2ac1BF4O5qGxjZ", "y3UHKFp0WqPpG7gVr3FKieiEzwH8fTMm");
    static final String JWT_KID = "IRsID4VIM3T11TsK43Ny1DgCD5UNWhva";

    /** One of the loaders under test. */
    enum Loader {
        AUTO, SPIFFE, WIT;

        TrustBundle load(String json) throws WimseException {
            return switch (this) {
                case AUTO -> TrustBundle.fromJwks(TD, json);
                case SPIFFE -> TrustBundle.fromSpiffeBundle(TD, json);
                case WIT -> TrustBundle.fromWitBundle(TD, json);
            };
        }
    }

    static String vector(String file) {
        try (InputStream in = SpiffeBundleRulesTest.class.getResourceAsStream("/spiffe/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource spiffe/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code file}, changed by {@code change} on its JSON tree. */
    static String mutated(String file, UnaryOperator<ObjectNode> change) {
        try {
            return MAPPER.writeValueAsString(change.apply((ObjectNode) MAPPER.readTree(vector(file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode entry(ObjectNode root, int i) {
        return (ObjectNode) root.get("keys").get(i);
    }

    // ---------------------------------------------------------------------------------------------------
    // documents that load

    /** One row: a document, how it is loaded, and what must come out. */
    record Loads(String name, String json, Loader loader, TrustBundle.Format format, List<String> kids,
                 OptionalLong sequence, Optional<Duration> hint) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Loads> loads() {
        OptionalLong one = OptionalLong.of(1);
        Optional<Duration> sixty = Optional.of(Duration.ofSeconds(60));
        return Stream.of(
                new Loads("ALG-2 go-spiffe spiffebundle_valid_with_wit, auto-detected → exactly its two wit-svid keys, sequence 1, hint 60 s",
                        vector(VALID), Loader.AUTO, TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS, one, sixty),
                new Loads("ALG-2 go-spiffe spiffebundle_valid_with_wit, as a SPIFFE bundle → the same",
                        vector(VALID), Loader.SPIFFE, TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS, one, sixty),
                new Loads("ALG-2 go-spiffe witbundle_jwks_valid_1, as a WIT bundle → its one key",
                        vector("witbundle_jwks_valid_1.json"), Loader.WIT, TrustBundle.Format.WIT_BUNDLE,
                        List.of("C6vs25welZOx6WksNYfbMfiw9l96pMnD"), OptionalLong.empty(), Optional.empty()),
                new Loads("ALG-2 go-spiffe witbundle_jwks_valid_2, as a WIT bundle → its two keys",
                        vector("witbundle_jwks_valid_2.json"), Loader.WIT, TrustBundle.Format.WIT_BUNDLE,
                        List.of("C6vs25welZOx6WksNYfbMfiw9l96pMnD", "gHTCunJbefYtnZnTctd84xeRWyMrEsWD"),
                        OptionalLong.empty(), Optional.empty()),
                new Loads("ALG-2 go-spiffe witbundle_jwks_valid_2, auto-detected (no use, no spiffe_*) → a plain JWKS, as before",
                        vector("witbundle_jwks_valid_2.json"), Loader.AUTO, TrustBundle.Format.JWKS,
                        List.of("C6vs25welZOx6WksNYfbMfiw9l96pMnD", "gHTCunJbefYtnZnTctd84xeRWyMrEsWD"),
                        OptionalLong.empty(), Optional.empty()),
                new Loads("ALG-2 a use changed from wit-svid to jwt-svid → that key is no WIT key any more",
                        mutated(VALID, r -> { entry(r, 3).put("use", "jwt-svid"); return r; }), Loader.AUTO,
                        TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS.subList(1, 2), one, sixty),
                new Loads("ALG-2 a wit-svid entry without use in a SPIFFE bundle → ignored (4.2.2)",
                        mutated(VALID, r -> { entry(r, 3).remove("use"); return r; }), Loader.SPIFFE,
                        TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS.subList(1, 2), one, sixty),
                new Loads("ALG-2 an unknown use (foo-svid) → ignored, and the document is still auto-detected",
                        mutated(VALID, r -> { entry(r, 3).put("use", "foo-svid"); r.remove("spiffe_sequence");
                            r.remove("spiffe_refresh_hint"); return r; }), Loader.AUTO,
                        TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS.subList(1, 2), OptionalLong.empty(), Optional.empty()),
                new Loads("ALG-2 a wit-svid entry of an unknown kty → ignored (4.2.1)",
                        mutated(VALID, r -> { entry(r, 3).put("kty", "XYZ"); return r; }), Loader.SPIFFE,
                        TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS.subList(1, 2), one, sixty),
                new Loads("ALG-2 a wit-svid key of an algorithm wimse4j lacks (ES512) → ignored",
                        mutated(VALID, r -> { entry(r, 3).put("alg", "ES512"); return r; }), Loader.SPIFFE,
                        TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS.subList(1, 2), one, sixty),
                new Loads("ALG-2 no wit-svid entry at all → loads without keys (the trust domain verifies no WIT)",
                        mutated(VALID, r -> { entry(r, 3).put("use", "jwt-svid"); entry(r, 4).put("use", "x509-svid");
                            return r; }), Loader.AUTO, TrustBundle.Format.SPIFFE_BUNDLE, List.of(), one, sixty),
                new Loads("ALG-2 an empty keys array (the trust domain revoked its keys, 4.1.3) → loads without keys",
                        "{\"keys\":[],\"spiffe_sequence\":7}", Loader.AUTO, TrustBundle.Format.SPIFFE_BUNDLE, List.of(),
                        OptionalLong.of(7), Optional.empty()),
                new Loads("ALG-2 spiffe_sequence 2^63-1 and spiffe_refresh_hint 0 → kept as they are",
                        mutated(VALID, r -> { r.put("spiffe_sequence", Long.MAX_VALUE); r.put("spiffe_refresh_hint", 0);
                            return r; }), Loader.SPIFFE, TrustBundle.Format.SPIFFE_BUNDLE, VALID_WIT_KIDS,
                        OptionalLong.of(Long.MAX_VALUE), Optional.of(Duration.ZERO)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loads")
    void ALG_2_spiffeBundlesLoadAsTheWitTrustAnchorsOfTheirTrustDomain(Loads row) throws WimseException {
        TrustBundle b = row.loader().load(row.json());
        assertThat(b.trustDomain()).isEqualTo(TD);
        assertThat(b.format()).isEqualTo(row.format());
        assertThat(b.isSpiffe()).isEqualTo(row.format() != TrustBundle.Format.JWKS);
        assertThat(b.keys()).extracting(k -> k.keyId().orElseThrow()).containsExactlyElementsOf(row.kids());
        assertThat(b.keys()).extracting(TrustedKey::algorithm).allMatch(JwsAlgorithm.ES256::equals);
        assertThat(b.spiffeSequence()).isEqualTo(row.sequence());
        assertThat(b.spiffeRefreshHint()).isEqualTo(row.hint());
        if (row.kids().isEmpty()) {
            assertThatThrownBy(() -> b.select(JwsAlgorithm.ES256, Optional.of(JWT_KID), false))
                    .isInstanceOfSatisfying(WimseException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
                        assertThat(e.detail()).contains("holds no wit-svid entry");
                    });
        }
    }

    @Test
    void ALG_2_aJwtSvidKidSelectsNothingAndTheRefusalSaysWhy() throws WimseException {
        TrustBundle b = TrustBundle.fromJwks(TD, vector(VALID));
        assertThat(b.select(JwsAlgorithm.ES256, Optional.of(VALID_WIT_KIDS.get(0)), true)).hasSize(1);
        assertThatThrownBy(() -> b.select(JwsAlgorithm.ES256, Optional.of(JWT_KID), false))
                .isInstanceOfSatisfying(WimseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
                    assertThat(e.detail()).contains("names a jwt-svid entry", "never verifies a WIT");
                });
    }

    @Test
    void ALG_2_equalityIgnoresTheSequenceButNotWhereTheKeysCameFrom() throws WimseException {
        TrustBundle first = TrustBundle.fromJwks(TD, vector(VALID));
        TrustBundle next = TrustBundle.fromJwks(TD, mutated(VALID, r -> r.put("spiffe_sequence", 2)));
        assertThat(next).isEqualTo(first).hasSameHashCodeAs(first);
        assertThat(next.spiffeSequence()).hasValue(2);
        // the same keys in a plain JWKS are another bundle: the WIT-SVID profile accepts only the first
        String plain = mutated(VALID, r -> {
            ArrayNode keys = r.putArray("keys");
            keys.add(((ObjectNode) readTree(vector(VALID)).get("keys").get(3)).put("use", "sig"));
            keys.add(((ObjectNode) readTree(vector(VALID)).get("keys").get(4)).put("use", "sig"));
            r.remove("spiffe_sequence");
            r.remove("spiffe_refresh_hint");
            return r;
        });
        TrustBundle asJwks = TrustBundle.fromJwks(TD, plain);
        assertThat(asJwks.format()).isEqualTo(TrustBundle.Format.JWKS);
        assertThat(asJwks.keys()).hasSize(2);
        assertThat(asJwks).isNotEqualTo(first);
        assertThat(first.toString()).contains("SPIFFE_BUNDLE #1").doesNotContain("\"x\"");
    }

    // ---------------------------------------------------------------------------------------------------
    // documents that are refused

    /** One row: a document, how it is loaded, the reason and a fragment of the detail. */
    record Refused(String name, String json, Loader loader, Reason reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refused> refused() {
        return Stream.of(
                new Refused("ALG-2 go-spiffe witbundle_jwks_missing_kid, as a WIT bundle → INVALID_KEY, as go-spiffe refuses it",
                        vector("witbundle_jwks_missing_kid.json"), Loader.WIT, Reason.INVALID_KEY, "entry 1 (wit-svid) has no 'kid'"),
                new Refused("ALG-2 the missing-kid key marked use wit-svid, auto-detected → INVALID_KEY",
                        mutated("witbundle_jwks_missing_kid.json", r -> { entry(r, 1).put("use", "wit-svid"); return r; }),
                        Loader.AUTO, Reason.INVALID_KEY, "the SPIFFE bundle entry 1 (wit-svid) has no 'kid'"),
                new Refused("ALG-2 a wit-svid kid removed from spiffebundle_valid_with_wit → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 4).remove("kid"); return r; }), Loader.AUTO, Reason.INVALID_KEY,
                        "entry 4 (wit-svid) has no 'kid'"),
                new Refused("ALG-2 spiffe_sequence as a string → INVALID_KEY",
                        mutated(VALID, r -> r.put("spiffe_sequence", "1")), Loader.AUTO, Reason.INVALID_KEY,
                        "'spiffe_sequence' must be a JSON integer, not a JSON string"),
                new Refused("ALG-2 spiffe_sequence as a fraction → INVALID_KEY",
                        mutated(VALID, r -> r.put("spiffe_sequence", 1.5)), Loader.SPIFFE, Reason.INVALID_KEY,
                        "'spiffe_sequence' must be a JSON integer, not a fraction"),
                new Refused("ALG-2 spiffe_sequence null → INVALID_KEY",
                        mutated(VALID, r -> r.putNull("spiffe_sequence")), Loader.AUTO, Reason.INVALID_KEY,
                        "'spiffe_sequence' must be a JSON integer, not a JSON null"),
                new Refused("ALG-2 spiffe_sequence negative → INVALID_KEY",
                        mutated(VALID, r -> r.put("spiffe_sequence", -1)), Loader.AUTO, Reason.INVALID_KEY,
                        "'spiffe_sequence' must be between 0 and 2^63-1"),
                new Refused("ALG-2 spiffe_sequence 2^64-1 (beyond a signed 64-bit integer) → INVALID_KEY",
                        mutated(VALID, r -> r.put("spiffe_sequence", new java.math.BigInteger("18446744073709551615"))),
                        Loader.AUTO, Reason.INVALID_KEY, "'spiffe_sequence' must be between 0 and 2^63-1"),
                new Refused("ALG-2 spiffe_refresh_hint as a string → INVALID_KEY",
                        mutated(VALID, r -> r.put("spiffe_refresh_hint", "60")), Loader.AUTO, Reason.INVALID_KEY,
                        "'spiffe_refresh_hint' must be a JSON integer, not a JSON string"),
                new Refused("ALG-2 spiffe_refresh_hint negative → INVALID_KEY",
                        mutated(VALID, r -> r.put("spiffe_refresh_hint", -60)), Loader.AUTO, Reason.INVALID_KEY,
                        "'spiffe_refresh_hint' must be between 0 and 2^63-1"),
                new Refused("ALG-2 two wit-svid entries with one kid → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 4).put("kid", VALID_WIT_KIDS.get(0)); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 4 has the 'kid' of an earlier wit-svid entry"),
                new Refused("ALG-2 a wit-svid entry with the kid of a jwt-svid entry → INVALID_KEY (WIT-SVID 6.1)",
                        mutated(VALID, r -> { entry(r, 3).put("kid", JWT_KID); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 3 has the 'kid' of an earlier jwt-svid entry"),
                new Refused("ALG-2 a jwt-svid entry (never a WIT key) leaking a private 'd' → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 1).put("d", "AAAA"); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 1 carries the private member 'd'"),
                new Refused("ALG-2 a kid that is a number → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 3).put("kid", 7); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 3 'kid' must be a non-empty string, not a JSON number"),
                new Refused("ALG-2 a use that is not a string → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 3).put("use", true); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 3 'use' must be a non-empty string, not a JSON boolean"),
                new Refused("ALG-2 no keys member → INVALID_KEY (4.1.3)",
                        "{\"spiffe_sequence\":1}", Loader.AUTO, Reason.INVALID_KEY, "the SPIFFE bundle needs a 'keys' array"),
                new Refused("ALG-2 keys not an array → INVALID_KEY",
                        "{\"keys\":{},\"spiffe_sequence\":1}", Loader.SPIFFE, Reason.INVALID_KEY, "'keys' is not an array"),
                new Refused("ALG-2 an entry that is not an object → INVALID_KEY",
                        mutated(VALID, r -> { ((ArrayNode) r.get("keys")).add("key"); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 5 is not a JSON object"),
                new Refused("ALG-2 a wit-svid entry with a private member → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 3).put("d", "AAAA"); return r; }), Loader.AUTO,
                        Reason.INVALID_KEY, "entry 3 carries the private member 'd'"),
                new Refused("ALG-2 a symmetric wit-svid key → INVALID_KEY",
                        "{\"keys\":[{\"use\":\"wit-svid\",\"kid\":\"k\",\"kty\":\"oct\",\"k\":\"AAAA\"}]}", Loader.AUTO,
                        Reason.INVALID_KEY, "entry 0"),
                new Refused("ALG-2 a wit-svid point off the curve → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 3).put("y", entry(r, 4).get("y").textValue()); return r; }),
                        Loader.AUTO, Reason.INVALID_KEY, "entry 3"),
                new Refused("ALG-2 a duplicate spiffe_sequence member → INVALID_JSON",
                        "{\"keys\":[],\"spiffe_sequence\":1,\"spiffe_sequence\":2}", Loader.AUTO, Reason.INVALID_JSON,
                        "duplicate"),
                new Refused("ALG-2 the x509-svid entry (no kid) re-marked wit-svid, as a WIT bundle → INVALID_KEY",
                        mutated(VALID, r -> { entry(r, 0).put("use", "wit-svid"); return r; }), Loader.WIT,
                        Reason.INVALID_KEY, "entry 0 (wit-svid) has no 'kid'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void ALG_2_malformedSpiffeBundlesAreRefused(Refused row) {
        assertThatThrownBy(() -> row.loader().load(row.json())).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).as(e.detail()).isEqualTo(row.reason());
            assertThat(e.detail()).contains(row.detail());
        });
    }

    @Test
    void theCommittedVectorsAreTheSharedOnes() throws IOException {
        Path shared = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && shared == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/vectors/spiffe");
            shared = Files.isDirectory(candidate) ? candidate : null;
        }
        for (String f : List.of(VALID, "witbundle_jwks_valid_1.json", "witbundle_jwks_valid_2.json", "witbundle_jwks_missing_kid.json")) {
            assertThat(vector(f)).as(f).contains("\"keys\"");
            if (shared != null) {
                assertThat(vector(f)).as(f + " is the copy of " + shared).isEqualTo(Files.readString(shared.resolve(f)));
            }
        }
    }

    static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
