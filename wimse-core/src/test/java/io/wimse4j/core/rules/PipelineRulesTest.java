package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.TARGET;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, done-when 1: the WIT and the WPT (through {@link RequestVerifier}) share the one
 * {@code JwsVerifier} pipeline. Each row is one mutation of an otherwise valid token and the
 * {@link Reason} the pipeline guarantees for it (or acceptance, with the verified result checked):
 * {@code alg} (none, HMAC, allowlist), unknown {@code crit}, wrong {@code typ}, {@code kid} selection
 * (C2-1, WIT only: the WPT's key is the WIT's {@code cnf.jwk}), the {@code exp} boundary at a fixed
 * clock (C2-5: expired at exactly {@code exp} + leeway), the WIT {@code aud} (C2-5), and two rows per
 * kind that only the shared parser answers (size, duplicate JSON member). The Identity Server's proof
 * and the Kubernetes token have the same table in {@code wimse-server}'s {@code PipelineRulesServerTest}.
 */
class PipelineRulesTest {
    /** ES256 issuer key, EdDSA workload key; its default WIT claims expire at {@link #WIT_EXP}. */
    static final Fixture F = new Fixture();
    static final Duration LEEWAY = Duration.ofSeconds(60);
    /** {@code exp} of {@link Fixture#witClaims()}. */
    static final Instant WIT_EXP = NOW.plusSeconds(3600);
    /** {@code exp} of {@link Fixture#wptClaims(String)}. */
    static final Instant WPT_EXP = NOW.plusSeconds(60);
    static final String WIT_AUDIENCE = "https://api.example.org";

    /** A second issuer key of the same algorithm (ES256) and one of another algorithm (EdDSA). */
    static final WorkloadKeyPair SECOND_ES256 = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final WorkloadKeyPair OTHER_ALG = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
    static final TrustBundleSet ONE_ES256_AND_AN_EDDSA = TrustBundleSet.of(Fixture.bundle(F.trustDomain, F.issuerKey, OTHER_ALG));
    static final TrustBundleSet TWO_ES256 = TrustBundleSet.of(Fixture.bundle(F.trustDomain, F.issuerKey, SECOND_ES256));

    /** A WIT and how the verifier differs from the default; {@code refusal} null means accepted. */
    record WitRow(String name, String token, UnaryOperator<WitVerifier.Builder> config, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A WPT (sent with the fixture's WIT) and how the verifier differs; {@code refusal} null means accepted. */
    record WptRow(String name, String token, UnaryOperator<RequestVerifier.Builder> config, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---------------------------------------------------------------- WIT

    @ParameterizedTest(name = "{0}")
    @MethodSource("witRows")
    void witSharesThePipeline(WitRow row) throws WimseException {
        WitVerifier verifier = row.config().apply(WitVerifier.builder().trust(F.trust()).clock(F.clock).leeway(LEEWAY)).build();
        if (row.refusal() == null) {
            VerifiedWit wit = verifier.verify(row.token());
            assertThat(wit.subject()).isEqualTo(F.workload);
            assertThat(wit.jwtId()).contains("wit-jti-1");
            assertThat(wit.expiresAt()).isEqualTo(WIT_EXP);
        } else {
            assertRejected(() -> verifier.verify(row.token()), row.refusal());
        }
    }

    static List<WitRow> witRows() {
        String noKid = F.craftWit(h -> h.remove("kid"), same());
        String withAud = F.craftWit(same(), c -> c.put("aud", WIT_AUDIENCE));
        return List.of(
                wit("WIT-1 WIT baseline: the fixture's crafted WIT is accepted", F.craftWit(same(), same()), b -> b, null),
                // alg
                wit("WIT-1 WIT alg none with a signature part → UNSUPPORTED_ALG",
                        unsigned("{\"alg\":\"none\",\"typ\":\"wit+jwt\"}", F.witClaims(), junkSignature()), b -> b, Reason.UNSUPPORTED_ALG),
                wit("WIT-1 WIT alg none with an empty signature part → MALFORMED_TOKEN (refused before alg)",
                        unsigned("{\"alg\":\"none\",\"typ\":\"wit+jwt\"}", F.witClaims(), ""), b -> b, Reason.MALFORMED_TOKEN),
                wit("WIT-1 WIT alg HS256 → UNSUPPORTED_ALG", F.craftWit(h -> h.put("alg", "HS256"), same()), b -> b,
                        Reason.UNSUPPORTED_ALG),
                wit("WIT-1 WIT alg ES256 outside the verifier's allowlist (EdDSA only) → UNSUPPORTED_ALG",
                        F.craftWit(same(), same()), b -> b.algorithms(Set.of(JwsAlgorithm.EdDSA)), Reason.UNSUPPORTED_ALG),
                // crit
                wit("hardening WIT unknown crit → UNSUPPORTED_CRIT",
                        F.craftWit(h -> crit(h), same()), b -> b, Reason.UNSUPPORTED_CRIT),
                // typ
                wit("WIT-2 WIT typ jwt → WRONG_TYP", F.craftWit(h -> h.put("typ", "jwt"), same()), b -> b, Reason.WRONG_TYP),
                wit("WIT-2 WIT typ absent → WRONG_TYP", F.craftWit(h -> h.remove("typ"), same()), b -> b, Reason.WRONG_TYP),
                wit("WIT-2 WIT typ wpt+jwt (the WPT's) → WRONG_TYP", F.craftWit(h -> h.put("typ", "wpt+jwt"), same()), b -> b,
                        Reason.WRONG_TYP),
                wit("WIT-2 WIT typ application/WIT+JWT is accepted", F.craftWit(h -> h.put("typ", "application/WIT+JWT"), same()),
                        b -> b, null),
                // kid selection
                wit("C2-1 WIT kid naming no key → UNKNOWN_KEY", F.craftWit(h -> h.put("kid", "no-such-key"), same()), b -> b,
                        Reason.UNKNOWN_KEY),
                wit("C2-1 WIT no kid, one key of its alg (and one of another alg) → accepted", noKid,
                        b -> b.trust(ONE_ES256_AND_AN_EDDSA), null),
                wit("C2-1 WIT no kid, two keys of its alg → AMBIGUOUS_KEY", noKid, b -> b.trust(TWO_ES256), Reason.AMBIGUOUS_KEY),
                wit("C2-1 WIT kid naming the second of two keys of its alg → accepted",
                        F.craftWit(SECOND_ES256.signer(), h -> h.put("kid", SECOND_ES256.keyId()), same()),
                        b -> b.trust(TWO_ES256), null),
                wit("C2-1 WIT requireKid(true) and no kid → KID_REQUIRED", noKid, b -> b.requireKid(true), Reason.KID_REQUIRED),
                wit("C2-1 WIT requireKid(true) and the key's kid → accepted", F.craftWit(same(), same()), b -> b.requireKid(true), null),
                wit("C2-1 WIT kid naming a key of another alg → UNKNOWN_KEY",
                        F.craftWit(h -> h.put("kid", OTHER_ALG.keyId()), same()), b -> b.trust(ONE_ES256_AND_AN_EDDSA),
                        Reason.UNKNOWN_KEY),
                // exp boundary
                wit("C2-5 WIT exp boundary: at exp+leeway-1s accepted", F.craftWit(same(), same()),
                        b -> b.clock(at(WIT_EXP.plus(LEEWAY).minusSeconds(1))), null),
                wit("C2-5 WIT exp boundary: at exp+leeway expired", F.craftWit(same(), same()),
                        b -> b.clock(at(WIT_EXP.plus(LEEWAY))), Reason.EXPIRED),
                wit("C2-5 WIT exp boundary, leeway 0: at exp-1s accepted", F.craftWit(same(), same()),
                        b -> b.leeway(Duration.ZERO).clock(at(WIT_EXP.minusSeconds(1))), null),
                wit("C2-5 WIT exp boundary, leeway 0: at exp expired", F.craftWit(same(), same()),
                        b -> b.leeway(Duration.ZERO).clock(at(WIT_EXP)), Reason.EXPIRED),
                wit("C2-5 WIT exp missing → MISSING_CLAIM", F.craftWit(same(), c -> c.remove("exp")), b -> b, Reason.MISSING_CLAIM),
                // aud
                wit("C2-5 WIT no aud, audiences configured → accepted", F.craftWit(same(), same()),
                        b -> b.audiences(Set.of(WIT_AUDIENCE)), null),
                wit("C2-5 WIT aud naming a configured audience → accepted", withAud, b -> b.audiences(Set.of(WIT_AUDIENCE)), null),
                wit("C2-5 WIT aud array naming a configured audience among others → accepted",
                        F.craftWit(same(), c -> c.putArray("aud").add("https://other.example").add(WIT_AUDIENCE)),
                        b -> b.audiences(Set.of(WIT_AUDIENCE)), null),
                wit("C2-5 WIT aud naming another recipient → AUDIENCE_MISMATCH", withAud,
                        b -> b.audiences(Set.of("https://elsewhere.example")), Reason.AUDIENCE_MISMATCH),
                wit("C2-5 WIT aud, no audience configured (the default) → AUDIENCE_MISMATCH", withAud, b -> b,
                        Reason.AUDIENCE_MISMATCH),
                wit("C2-5 WIT aud with a non-string entry → INVALID_CLAIM",
                        F.craftWit(same(), c -> c.putArray("aud").add(WIT_AUDIENCE).add(7)),
                        b -> b.audiences(Set.of(WIT_AUDIENCE)), Reason.INVALID_CLAIM),
                // only the shared parser answers these
                wit("hardening WIT longer than the maximum token length → TOKEN_TOO_LARGE",
                        F.craftWit(same(), c -> c.put("pad", "x".repeat(9000))), b -> b, Reason.TOKEN_TOO_LARGE),
                wit("hardening WIT header with a duplicate member → INVALID_JSON",
                        RawJws.signRaw(F.issuerKey.signer(), duplicateTyp(F.witHeader()), F.witClaims().toString()), b -> b,
                        Reason.INVALID_JSON));
    }

    private static WitRow wit(String name, String token, UnaryOperator<WitVerifier.Builder> config, Reason refusal) {
        return new WitRow(name, token, config, refusal);
    }

    // ---------------------------------------------------------------- WPT (through RequestVerifier)

    @ParameterizedTest(name = "{0}")
    @MethodSource("wptRows")
    void wptSharesThePipeline(WptRow row) throws WimseException {
        RequestVerifier verifier = row.config().apply(F.verifier().leeway(LEEWAY)).build();
        var request = F.request(F.wit, row.token()).build();
        if (row.refusal() == null) {
            VerifiedCaller caller = verifier.verify(request);
            assertThat(caller.workload()).isEqualTo(F.workload);
            assertThat(caller.proof().audience()).isEqualTo(TARGET);
            assertThat(caller.proof().expiresAt()).isEqualTo(WPT_EXP);
        } else {
            assertRejected(() -> verifier.verify(request), row.refusal());
        }
    }

    static List<WptRow> wptRows() {
        String wit = F.wit;
        return List.of(
                wpt("V-4 WPT baseline: the fixture's crafted WPT is accepted", F.craftWpt(wit, same(), same()), b -> b, null),
                // alg
                wpt("V-3 WPT alg none with a signature part → UNSUPPORTED_ALG",
                        unsigned("{\"alg\":\"none\",\"typ\":\"wpt+jwt\"}", F.wptClaims(wit), junkSignature()), b -> b,
                        Reason.UNSUPPORTED_ALG),
                wpt("V-2 WPT alg none with an empty signature part → MALFORMED_TOKEN (refused before alg)",
                        unsigned("{\"alg\":\"none\",\"typ\":\"wpt+jwt\"}", F.wptClaims(wit), ""), b -> b, Reason.MALFORMED_TOKEN),
                wpt("V-3 WPT alg HS256 → UNSUPPORTED_ALG", F.craftWpt(wit, h -> h.put("alg", "HS256"), same()), b -> b,
                        Reason.UNSUPPORTED_ALG),
                wpt("V-3 WPT alg ES256 under cnf.jwk.alg EdDSA → ALG_MISMATCH (the key is the cnf key)",
                        F.craftWpt(SECOND_ES256.signer(), wit, h -> h.put("alg", "ES256"), same()), b -> b, Reason.ALG_MISMATCH),
                // crit
                wpt("V-2 WPT unknown crit → UNSUPPORTED_CRIT", F.craftWpt(wit, h -> crit(h), same()), b -> b,
                        Reason.UNSUPPORTED_CRIT),
                // typ
                wpt("V-5 WPT typ jwt → WRONG_TYP", F.craftWpt(wit, h -> h.put("typ", "jwt"), same()), b -> b, Reason.WRONG_TYP),
                wpt("V-5 WPT typ absent → WRONG_TYP", F.craftWpt(wit, h -> h.remove("typ"), same()), b -> b, Reason.WRONG_TYP),
                wpt("V-5 WPT typ wit+jwt (the WIT's) → WRONG_TYP", F.craftWpt(wit, h -> h.put("typ", "wit+jwt"), same()), b -> b,
                        Reason.WRONG_TYP),
                wpt("V-5 WPT typ application/WPT+JWT is accepted", F.craftWpt(wit, h -> h.put("typ", "application/WPT+JWT"), same()),
                        b -> b, null),
                // kid: the WPT's key is cnf.jwk, never chosen by kid
                wpt("C2-1 WPT kid naming no key is not used for selection (the key is cnf.jwk) → accepted",
                        F.craftWpt(wit, h -> h.put("kid", "no-such-key"), same()), b -> b, null),
                // exp boundary
                wpt("C2-5 WPT exp boundary: at exp+leeway-1s accepted", F.craftWpt(wit, same(), same()),
                        b -> b.clock(at(WPT_EXP.plus(LEEWAY).minusSeconds(1))), null),
                wpt("C2-5 WPT exp boundary: at exp+leeway expired", F.craftWpt(wit, same(), same()),
                        b -> b.clock(at(WPT_EXP.plus(LEEWAY))), Reason.EXPIRED),
                wpt("C2-5 WPT exp missing → MISSING_CLAIM", F.craftWpt(wit, same(), c -> c.remove("exp")), b -> b,
                        Reason.MISSING_CLAIM),
                // only the shared parser answers these
                wpt("V-2 WPT longer than the maximum token length → TOKEN_TOO_LARGE",
                        F.craftWpt(wit, same(), c -> c.put("pad", "x".repeat(9000))), b -> b, Reason.TOKEN_TOO_LARGE),
                wpt("V-2 WPT header with a duplicate member → INVALID_JSON",
                        RawJws.signRaw(F.workloadKey.signer(), duplicateTyp(F.wptHeader()), F.wptClaims(wit).toString()), b -> b,
                        Reason.INVALID_JSON));
    }

    private static WptRow wpt(String name, String token, UnaryOperator<RequestVerifier.Builder> config, Reason refusal) {
        return new WptRow(name, token, config, refusal);
    }

    // ---------------------------------------------------------------- helpers

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

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
        return RawJws.withDuplicateMember(header, "typ");
    }
}
