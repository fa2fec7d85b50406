package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/** Workload Identity Token rules: WIT-1..WIT-11; one table per rule where a rule has several mutations. */
class WitRulesTest {
    final Fixture f = new Fixture();

    WitVerifier verifier() {
        return WitVerifier.builder().trust(f.trust()).clock(f.clock).build();
    }

    /**
     * One row of a rule table: a WIT made from a fresh {@link Fixture}, how the verifier differs from the
     * fixture's, and the verdict: a {@link Reason}, or accepted and checked.
     */
    record Row(String name, Function<Fixture, String> wit, UnaryOperator<WitVerifier.Builder> config, Reason refusal,
               Accepted accepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What an accepted row checks of the verified WIT (and the token it was made from). */
    interface Accepted {
        void check(Fixture f, String token, VerifiedWit wit) throws Exception;
    }

    static Row refused(String name, Function<Fixture, String> wit, Reason reason) {
        return new Row(name, wit, b -> b, reason, null);
    }

    static Row refused(String name, UnaryOperator<WitVerifier.Builder> config, Function<Fixture, String> wit, Reason reason) {
        return new Row(name, wit, config, reason, null);
    }

    static Row accepted(String name, Function<Fixture, String> wit, Accepted check) {
        return new Row(name, wit, b -> b, null, check);
    }

    static Row accepted(String name, UnaryOperator<WitVerifier.Builder> config, Function<Fixture, String> wit, Accepted check) {
        return new Row(name, wit, config, null, check);
    }

    /** The fixture's WIT with its claims changed. */
    static Function<Fixture, String> claims(Consumer<ObjectNode> change) {
        return x -> x.craftWit(same(), change);
    }

    /** The fixture's WIT with its header changed. */
    static Function<Fixture, String> header(Consumer<ObjectNode> change) {
        return x -> x.craftWit(change, same());
    }

    /** The fixture's WIT with its {@code cnf.jwk} changed. */
    static Function<Fixture, String> cnfJwk(Consumer<ObjectNode> change) {
        return claims(c -> change.accept((ObjectNode) c.get("cnf").get("jwk")));
    }

    void check(Row row) throws Exception {
        WitVerifier v = row.config().apply(WitVerifier.builder().trust(f.trust()).clock(f.clock)).build();
        String token = row.wit().apply(f);
        if (row.refusal() != null) {
            assertRejected(() -> v.verify(token), row.refusal());
        } else {
            row.accepted().check(f, token, v.verify(token));
        }
    }

    @ParameterizedTest(name = "WIT-1 a WIT signed {0} verifies")
    @EnumSource(JwsAlgorithm.class)
    void WIT_1_witsSignedWithEveryAsymmetricAlgorithmVerify(JwsAlgorithm issuerAlg) throws WimseException {
        Fixture g = new Fixture(issuerAlg, JwsAlgorithm.EdDSA);
        VerifiedWit wit = WitVerifier.builder().trust(g.trust()).clock(g.clock).build().verify(g.wit);
        assertThat(wit.subject()).isEqualTo(g.workload);
        assertThat(CompactJws.parse(g.wit, 8192).algorithmName()).isEqualTo(issuerAlg.jwaName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit1")
    void WIT_1_algNoneAndHmacAreRejected(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit1() {
        return Stream.of(
                refused("WIT-1 alg none (with a signature part) → UNSUPPORTED_ALG",
                        x -> Base64Url.encode("{\"alg\":\"none\",\"typ\":\"wit+jwt\"}".getBytes()) + "."
                                + Base64Url.encode(x.witClaims().toString().getBytes()) + ".AA",
                        Reason.UNSUPPORTED_ALG),
                refused("WIT-1 alg HS256 → UNSUPPORTED_ALG", header(h -> h.put("alg", "HS256")), Reason.UNSUPPORTED_ALG),
                refused("WIT-1 alg es256 (not the string ES256) → UNSUPPORTED_ALG", header(h -> h.put("alg", "es256")),
                        Reason.UNSUPPORTED_ALG));
    }

    @Test
    void WIT_1_witAlgorithmsCanBeRestricted() {
        WitVerifier onlyEd = WitVerifier.builder().trust(f.trust()).clock(f.clock)
                .algorithms(Set.of(JwsAlgorithm.EdDSA)).build();
        assertRejected(() -> onlyEd.verify(f.wit), Reason.UNSUPPORTED_ALG);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit2")
    void WIT_2_typMustBeWitJwtInAnyCaseWithOrWithoutApplicationPrefix(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit2() {
        return Stream.of(
                accepted("WIT-2 typ application/WIT+JWT (any case, with the prefix) → accepted",
                        header(h -> h.put("typ", "application/WIT+JWT")), (x, token, wit) -> assertThat(wit.subject()).isEqualTo(x.workload)),
                refused("WIT-2 typ jwt → WRONG_TYP", header(h -> h.put("typ", "jwt")), Reason.WRONG_TYP),
                refused("WIT-2 typ wpt+jwt → WRONG_TYP", header(h -> h.put("typ", "wpt+jwt")), Reason.WRONG_TYP),
                refused("WIT-2 typ absent → WRONG_TYP", header(h -> h.remove("typ")), Reason.WRONG_TYP),
                accepted("WIT-2 an issued WIT carries typ wit+jwt → accepted", x -> x.wit, (x, token, wit) -> {
                    assertThat(CompactJws.parse(token, 8192).header().get("typ").asText()).isEqualTo("wit+jwt");
                    assertThat(wit.subject()).isEqualTo(x.workload);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit3")
    void WIT_3_issIsOptionalUnlessAnAllowlistIsConfigured(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit3() {
        UnaryOperator<WitVerifier.Builder> strict = b -> b.allowedIssuers(Set.of("https://issuer.example.org"));
        return Stream.of(
                accepted("WIT-3 iss absent, no issuer allowlist → accepted, no issuer", claims(c -> c.remove("iss")),
                        (x, token, wit) -> assertThat(wit.issuer()).isEmpty()),
                accepted("WIT-3 iss on the allowlist → accepted, its issuer", strict, x -> x.wit,
                        (x, token, wit) -> assertThat(wit.issuer()).contains("https://issuer.example.org")),
                // the one claims validator: an expected claim that is absent is MISSING_CLAIM, in every token kind
                refused("WIT-3 iss absent with an allowlist → MISSING_CLAIM", strict, claims(c -> c.remove("iss")),
                        Reason.MISSING_CLAIM),
                refused("WIT-3 iss not on the allowlist → UNTRUSTED_ISSUER", strict, claims(c -> c.put("iss", "https://evil.example")),
                        Reason.UNTRUSTED_ISSUER),
                refused("WIT-3 iss a number → INVALID_CLAIM", claims(c -> c.put("iss", 7)), Reason.INVALID_CLAIM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit4")
    void WIT_4_subIsRequiredAndMustBeAWorkloadIdentifier(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit4() {
        return Stream.of(
                refused("WIT-4 sub absent → MISSING_CLAIM", claims(c -> c.remove("sub")), Reason.MISSING_CLAIM),
                refused("WIT-4 sub an https URI, not a workload identifier → INVALID_IDENTIFIER",
                        claims(c -> c.put("sub", "https://example.org/x")), Reason.INVALID_IDENTIFIER),
                refused("WIT-4 sub a number → INVALID_CLAIM", claims(c -> c.put("sub", 42)), Reason.INVALID_CLAIM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit5")
    void WIT_5_expIsRequiredAndEnforcedWithLeeway(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit5() {
        long now = NOW.getEpochSecond();
        return Stream.of(
                refused("WIT-5 exp absent → MISSING_CLAIM", claims(c -> c.remove("exp")), Reason.MISSING_CLAIM),
                refused("WIT-5 exp a string → INVALID_CLAIM", claims(c -> c.put("exp", "tomorrow")), Reason.INVALID_CLAIM),
                accepted("WIT-5 exp 59 s ago, within the 60 s leeway → accepted, its expiry", claims(c -> c.put("exp", now - 59)),
                        (x, token, wit) -> assertThat(wit.expiresAt().getEpochSecond()).isEqualTo(now - 59)),
                // C2-5: the current time must be before exp + leeway, so exactly at it the WIT is expired
                refused("WIT-5 exp exactly at now − leeway (C2-5) → EXPIRED", claims(c -> c.put("exp", now - 60)), Reason.EXPIRED),
                refused("WIT-5 nbf 61 s ahead (beyond the leeway) → NOT_YET_VALID", claims(c -> c.put("nbf", now + 61)),
                        Reason.NOT_YET_VALID),
                refused("WIT-5 iat 61 s ahead (beyond the leeway) → ISSUED_IN_FUTURE", claims(c -> c.put("iat", now + 61)),
                        Reason.ISSUED_IN_FUTURE));
    }

    @Test
    void WIT_6_issuedWitsCarryIatAndA128BitRandomJti() throws WimseException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            VerifiedWit wit = verifier().verify(f.issuer().issue(f.workload, f.workloadKey.publicJwk()).token());
            String jti = wit.jwtId().orElseThrow();
            assertThat(Base64Url.decode(jti)).hasSize(16);
            assertThat(seen.add(jti)).as("jti unique").isTrue();
            assertThat(wit.issuedAt()).contains(NOW);
            assertThat(wit.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        }
        assertThat(verifier().verify(f.craftWit(same(), c -> c.remove("jti"))).jwtId()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit7")
    void WIT_7_cnfJwkIsRequiredAndMustBeAPublicKey(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit7() {
        return Stream.of(
                refused("WIT-7 cnf absent → MISSING_CLAIM", claims(c -> c.remove("cnf")), Reason.MISSING_CLAIM),
                refused("WIT-7 cnf without jwk → MISSING_CLAIM", claims(c -> c.putObject("cnf")), Reason.MISSING_CLAIM),
                refused("WIT-7 cnf.jwk a string → INVALID_CNF_KEY", claims(c -> c.putObject("cnf").put("jwk", "x")),
                        Reason.INVALID_CNF_KEY),
                refused("WIT-7 cnf.jwk with a private part d → INVALID_CNF_KEY", cnfJwk(jwk -> jwk.put("d", "AAAA")),
                        Reason.INVALID_CNF_KEY),
                accepted("WIT-7 cnf.jwk the workload's public key → accepted, its confirmation key", x -> x.wit,
                        (x, token, wit) -> assertThat(wit.confirmationKey()).isEqualTo(x.workloadKey.publicJwk())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit8")
    void WIT_8_cnfJwkAlgIsRequiredAndMustBeAnAsymmetricSignatureAlgorithm(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wit8() {
        return Stream.concat(Stream.of(
                        refused("WIT-8 cnf.jwk.alg absent → INVALID_CNF_KEY", cnfJwk(jwk -> jwk.remove("alg")), Reason.INVALID_CNF_KEY),
                        // the cnf alg must fit the key: an Ed25519 key announced as ES256 is unusable
                        refused("WIT-8 cnf.jwk.alg ES256 on an Ed25519 key → INVALID_CNF_KEY", cnfJwk(jwk -> jwk.put("alg", "ES256")),
                                Reason.INVALID_CNF_KEY)),
                Stream.of("none", "HS256", "RSA-OAEP", "A128GCM").map(bad -> refused(
                        "WIT-8 cnf.jwk.alg " + bad + " (not an asymmetric signature algorithm) → UNSUPPORTED_ALG",
                        cnfJwk(jwk -> jwk.put("alg", bad)), Reason.UNSUPPORTED_ALG)));
    }

    @Test
    void WIT_8_es256IsMandatoryToSupport() throws WimseException {
        Fixture es = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.ES256);
        VerifiedCaller caller = es.verifier().build().verify(es.validRequest());
        assertThat(caller.wit().confirmationAlgorithmName()).isEqualTo("ES256");
    }

    @Test
    void WIT_9_aWitSentAsBearerTokenIsRejected() {
        HttpRequestFacts bearer = f.request(f.wit, f.wpt(ProofBindings.accessToken(f.wit)))
                .header("Authorization", "Bearer " + f.wit).build();
        assertRejected(() -> f.verifier().build().verify(bearer), Reason.WIT_AS_BEARER);
        HttpRequestFacts raw = f.request(f.wit, f.wpt(ProofBindings.NONE)).header("Authorization", f.wit).build();
        assertRejected(() -> f.verifier().build().verify(raw), Reason.WIT_AS_BEARER);
    }

    @Test
    void WIT_10_headerNameIsCaseInsensitiveAndValueCaseSensitive() throws WimseException {
        HttpRequestFacts upper = HttpRequestFacts.builder("GET", URI.create(Fixture.TARGET))
                .header("WORKLOAD-IDENTITY-TOKEN", f.wit).header("workload-proof-token", f.wpt(ProofBindings.NONE)).build();
        assertThat(f.verifier().build().verify(upper).workload()).isEqualTo(f.workload);
        // swap the case of one letter inside the WIT's signature: a different token
        int dot = f.wit.lastIndexOf('.');
        int i = dot + 10;
        while (!Character.isLetter(f.wit.charAt(i))) {
            i++;
        }
        char c = f.wit.charAt(i);
        char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        String changed = f.wit.substring(0, i) + swapped + f.wit.substring(i + 1);
        assertRejected(() -> verifier().verify(changed), Reason.BAD_SIGNATURE);
    }

    @Test
    void WIT_11_unknownClaimsAreIgnoredButKept() throws WimseException {
        String wit = f.craftWit(same(), c -> c.put("https://example.org/claims/tier", "gold").putObject("x-nested").put("a", 1));
        VerifiedWit v = verifier().verify(wit);
        assertThat(v.claim("https://example.org/claims/tier")).contains("gold");
        assertThat(v.claims()).containsKey("x-nested");
        String issued = f.issuer().issue(f.workload, f.workloadKey.publicJwk(), Duration.ofMinutes(5),
                Map.of("https://example.org/claims/tier", "silver")).token();
        assertThat(verifier().verify(issued).claim("https://example.org/claims/tier")).contains("silver");
    }
}
