package io.wimse4j.core.rules;

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

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/** Workload Identity Token rules: WIT-1..WIT-11. */
class WitRulesTest {
    final Fixture f = new Fixture();

    WitVerifier verifier() {
        return WitVerifier.builder().trust(f.trust()).clock(f.clock).build();
    }

    @ParameterizedTest
    @EnumSource(JwsAlgorithm.class)
    void WIT_1_witsSignedWithEveryAsymmetricAlgorithmVerify(JwsAlgorithm issuerAlg) throws WimseException {
        Fixture g = new Fixture(issuerAlg, JwsAlgorithm.EdDSA);
        VerifiedWit wit = WitVerifier.builder().trust(g.trust()).clock(g.clock).build().verify(g.wit);
        assertThat(wit.subject()).isEqualTo(g.workload);
        assertThat(CompactJws.parse(g.wit, 8192).algorithmName()).isEqualTo(issuerAlg.jwaName());
    }

    @Test
    void WIT_1_algNoneAndHmacAreRejected() {
        String unsigned = Base64Url.encode("{\"alg\":\"none\",\"typ\":\"wit+jwt\"}".getBytes()) + "."
                + Base64Url.encode(f.witClaims().toString().getBytes()) + ".AA";
        assertRejected(() -> verifier().verify(unsigned), Reason.UNSUPPORTED_ALG);
        String hs = f.craftWit(h -> h.put("alg", "HS256"), same());
        assertRejected(() -> verifier().verify(hs), Reason.UNSUPPORTED_ALG);
        String lower = f.craftWit(h -> h.put("alg", "es256"), same());
        assertRejected(() -> verifier().verify(lower), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void WIT_1_witAlgorithmsCanBeRestricted() {
        WitVerifier onlyEd = WitVerifier.builder().trust(f.trust()).clock(f.clock)
                .algorithms(Set.of(JwsAlgorithm.EdDSA)).build();
        assertRejected(() -> onlyEd.verify(f.wit), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void WIT_2_typMustBeWitJwtInAnyCaseWithOrWithoutApplicationPrefix() throws WimseException {
        assertThat(verifier().verify(f.craftWit(h -> h.put("typ", "application/WIT+JWT"), same())).subject()).isEqualTo(f.workload);
        assertRejected(() -> verifier().verify(f.craftWit(h -> h.put("typ", "jwt"), same())), Reason.WRONG_TYP);
        assertRejected(() -> verifier().verify(f.craftWit(h -> h.put("typ", "wpt+jwt"), same())), Reason.WRONG_TYP);
        assertRejected(() -> verifier().verify(f.craftWit(h -> h.remove("typ"), same())), Reason.WRONG_TYP);
        assertThat(CompactJws.parse(f.wit, 8192).header().get("typ").asText()).isEqualTo("wit+jwt");
    }

    @Test
    void WIT_3_issIsOptionalUnlessAnAllowlistIsConfigured() throws WimseException {
        String noIss = f.craftWit(same(), c -> c.remove("iss"));
        assertThat(verifier().verify(noIss).issuer()).isEmpty();
        WitVerifier strict = WitVerifier.builder().trust(f.trust()).clock(f.clock)
                .allowedIssuers(Set.of("https://issuer.example.org")).build();
        assertThat(strict.verify(f.wit).issuer()).contains("https://issuer.example.org");
        // the one claims validator: an expected claim that is absent is MISSING_CLAIM, in every token kind
        assertRejected(() -> strict.verify(noIss), Reason.MISSING_CLAIM);
        assertRejected(() -> strict.verify(f.craftWit(same(), c -> c.put("iss", "https://evil.example"))), Reason.UNTRUSTED_ISSUER);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("iss", 7))), Reason.INVALID_CLAIM);
    }

    @Test
    void WIT_4_subIsRequiredAndMustBeAWorkloadIdentifier() {
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.remove("sub"))), Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("sub", "https://example.org/x"))), Reason.INVALID_IDENTIFIER);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("sub", 42))), Reason.INVALID_CLAIM);
    }

    @Test
    void WIT_5_expIsRequiredAndEnforcedWithLeeway() throws WimseException {
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.remove("exp"))), Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("exp", "tomorrow"))), Reason.INVALID_CLAIM);
        String justInLeeway = f.craftWit(same(), c -> c.put("exp", NOW.getEpochSecond() - 59));
        assertThat(verifier().verify(justInLeeway).expiresAt().getEpochSecond()).isEqualTo(NOW.getEpochSecond() - 59);
        // C2-5: the current time must be before exp + leeway, so exactly at it the WIT is expired
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("exp", NOW.getEpochSecond() - 60))), Reason.EXPIRED);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("nbf", NOW.getEpochSecond() + 61))), Reason.NOT_YET_VALID);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.put("iat", NOW.getEpochSecond() + 61))), Reason.ISSUED_IN_FUTURE);
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

    @Test
    void WIT_7_cnfJwkIsRequiredAndMustBeAPublicKey() throws WimseException {
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.remove("cnf"))), Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.putObject("cnf"))), Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(f.craftWit(same(), c -> c.putObject("cnf").put("jwk", "x"))), Reason.INVALID_CNF_KEY);
        assertRejected(() -> verifier().verify(f.craftWit(same(),
                c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("cnf").get("jwk")).put("d", "AAAA"))), Reason.INVALID_CNF_KEY);
        assertThat(verifier().verify(f.wit).confirmationKey()).isEqualTo(f.workloadKey.publicJwk());
    }

    @Test
    void WIT_8_cnfJwkAlgIsRequiredAndMustBeAnAsymmetricSignatureAlgorithm() throws WimseException {
        assertRejected(() -> verifier().verify(f.craftWit(same(),
                c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("cnf").get("jwk")).remove("alg"))), Reason.INVALID_CNF_KEY);
        for (String bad : List.of("none", "HS256", "RSA-OAEP", "A128GCM")) {
            assertRejected(() -> verifier().verify(f.craftWit(same(),
                    c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("cnf").get("jwk")).put("alg", bad))), Reason.UNSUPPORTED_ALG);
        }
        // ES256 is mandatory to support
        Fixture es = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.ES256);
        VerifiedCaller caller = es.verifier().build().verify(es.validRequest());
        assertThat(caller.wit().confirmationAlgorithmName()).isEqualTo("ES256");
        // the cnf alg must fit the key: an Ed25519 key announced as ES256 is unusable
        assertRejected(() -> verifier().verify(f.craftWit(same(),
                c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("cnf").get("jwk")).put("alg", "ES256"))), Reason.INVALID_CNF_KEY);
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
