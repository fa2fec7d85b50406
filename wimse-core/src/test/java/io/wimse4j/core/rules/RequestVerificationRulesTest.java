package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.OthPolicy;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.TARGET;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a recipient must check: V-1..V-14, SEC-2, SEC-4; one table per rule, one row per mutation. */
class RequestVerificationRulesTest {
    final Fixture f = new Fixture();
    final RequestVerifier verifier = f.verifier().build();

    /**
     * One row of a rule table: the request built from a fresh {@link Fixture}, how the verifier differs from the
     * fixture's, and the verdict: a {@link Reason}, or accepted (the caller is the fixture's workload) and checked.
     */
    record Row(String name, Function<Fixture, HttpRequestFacts> request, UnaryOperator<RequestVerifier.Builder> config,
               Reason refusal, BiConsumer<Fixture, VerifiedCaller> accepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row refused(String name, Function<Fixture, HttpRequestFacts> request, Reason reason) {
        return new Row(name, request, b -> b, reason, null);
    }

    static Row refused(String name, UnaryOperator<RequestVerifier.Builder> config, Function<Fixture, HttpRequestFacts> request,
                       Reason reason) {
        return new Row(name, request, config, reason, null);
    }

    static Row accepted(String name, Function<Fixture, HttpRequestFacts> request, BiConsumer<Fixture, VerifiedCaller> check) {
        return new Row(name, request, b -> b, null, check);
    }

    static Row accepted(String name, UnaryOperator<RequestVerifier.Builder> config, Function<Fixture, HttpRequestFacts> request,
                        BiConsumer<Fixture, VerifiedCaller> check) {
        return new Row(name, request, config, null, check);
    }

    /** The fixture's request carrying the fixture's WIT and {@code wpt}. */
    static Function<Fixture, HttpRequestFacts> proof(Function<Fixture, String> wpt) {
        return x -> x.request(x.wit, wpt.apply(x)).build();
    }

    /** A proof crafted for the fixture's WIT with its claims changed. */
    static Function<Fixture, HttpRequestFacts> claims(Consumer<ObjectNode> change) {
        return proof(x -> x.craftWpt(x.wit, same(), change));
    }

    /** A proof crafted for the fixture's WIT with its header changed. */
    static Function<Fixture, HttpRequestFacts> header(Consumer<ObjectNode> change) {
        return proof(x -> x.craftWpt(x.wit, change, same()));
    }

    static final BiConsumer<Fixture, VerifiedCaller> WORKLOAD_ONLY = (x, caller) -> { };

    void check(Row row) throws WimseException {
        RequestVerifier v = row.config().apply(f.verifier()).build();
        HttpRequestFacts request = row.request().apply(f);
        if (row.refusal() != null) {
            assertRejected(() -> v.verify(request), row.refusal());
        } else {
            VerifiedCaller caller = v.verify(request);
            assertThat(caller.workload()).as(row.name()).isEqualTo(f.workload);
            row.accepted().accept(f, caller);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v1")
    void V_1_exactlyOneProofHeaderAndOneWitHeader(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v1() {
        return Stream.of(
                refused("V-1 a WIT and no Workload-Proof-Token → MISSING_WPT",
                        x -> HttpRequestFacts.builder("GET", URI.create(TARGET)).header("Workload-Identity-Token", x.wit).build(),
                        Reason.MISSING_WPT),
                refused("V-1 a WPT and no Workload-Identity-Token → MISSING_WIT",
                        x -> HttpRequestFacts.builder("GET", URI.create(TARGET))
                                .header("Workload-Proof-Token", x.wpt(ProofBindings.NONE)).build(),
                        Reason.MISSING_WIT),
                refused("V-1 the WPT header twice (names differing in case) → REPEATED_HEADER", x -> {
                    String wpt = x.wpt(ProofBindings.NONE);
                    return x.request(x.wit, wpt).header("workload-proof-token", wpt).build();
                }, Reason.REPEATED_HEADER),
                refused("V-1 the WIT header twice → REPEATED_HEADER",
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("Workload-Identity-Token", x.wit).build(),
                        Reason.REPEATED_HEADER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v2")
    void V_2_theProofIsASingleWellFormedJwt(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v2() {
        return Stream.of(
                refused("V-2 the WPT without its signature part → MALFORMED_TOKEN", proof(x -> {
                    String wpt = x.wpt(ProofBindings.NONE);
                    return wpt.substring(0, wpt.lastIndexOf('.'));
                }), Reason.MALFORMED_TOKEN),
                refused("V-2 two WPTs joined by '.' → MALFORMED_TOKEN", proof(x -> {
                    String wpt = x.wpt(ProofBindings.NONE);
                    return wpt + "." + wpt;
                }), Reason.MALFORMED_TOKEN),
                refused("V-2 two WPTs joined by ', ' (a list) → MALFORMED_TOKEN", proof(x -> {
                    String wpt = x.wpt(ProofBindings.NONE);
                    return wpt + ", " + wpt;
                }), Reason.MALFORMED_TOKEN),
                refused("V-2 an empty WPT header → MALFORMED_TOKEN", proof(x -> ""), Reason.MALFORMED_TOKEN),
                refused("V-2 the WPT with a leading space → BAD_ENCODING", proof(x -> " " + x.wpt(ProofBindings.NONE)),
                        Reason.BAD_ENCODING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v3")
    void V_3_algMustStringEqualTheWitsCnfAlg(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v3() {
        return Stream.of(
                refused("V-3 a proof signed ES256 (with an ES256 key) under an EdDSA cnf.jwk.alg → ALG_MISMATCH", proof(x -> {
                    WorkloadKeyPair es = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
                    return x.craftWpt(es.signer(), x.wit, h -> h.put("alg", "ES256"), same());
                }), Reason.ALG_MISMATCH),
                refused("V-3 alg none → UNSUPPORTED_ALG", header(h -> h.put("alg", "none")), Reason.UNSUPPORTED_ALG),
                refused("V-3 alg eddsa (not the string EdDSA) → UNSUPPORTED_ALG", header(h -> h.put("alg", "eddsa")),
                        Reason.UNSUPPORTED_ALG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v4")
    void V_4_theSignatureMustVerifyWithTheWitsCnfKey(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v4() {
        return Stream.of(
                refused("V-4 a proof signed by another key than the WIT's cnf key → BAD_SIGNATURE", proof(x -> {
                    WorkloadKeyPair thief = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
                    return x.craftWpt(thief.signer(), x.wit, same(), same());
                }), Reason.BAD_SIGNATURE),
                refused("V-4 one signature bit flipped → BAD_SIGNATURE", proof(x -> RawJws.flipSignatureBit(x.wpt(ProofBindings.NONE))),
                        Reason.BAD_SIGNATURE),
                accepted("V-4 a crafted proof signed with the cnf key → accepted", claims(same()), WORKLOAD_ONLY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v5")
    void V_5_typMustBeWptJwt(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v5() {
        return Stream.of(
                refused("V-5 typ wit+jwt → WRONG_TYP", header(h -> h.put("typ", "wit+jwt")), Reason.WRONG_TYP),
                refused("V-5 typ absent → WRONG_TYP", header(h -> h.remove("typ")), Reason.WRONG_TYP),
                accepted("V-5 typ Application/WPT+JWT (any case, with the prefix) → accepted",
                        header(h -> h.put("typ", "Application/WPT+JWT")), WORKLOAD_ONLY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v6")
    void V_6_audMustBeTheTargetUriOrAnAcceptedAlias(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v6() {
        UnaryOperator<RequestVerifier.Builder> alias = b -> b.audience("wimse://example.org/svc/orders");
        return Stream.of(
                accepted("V-6 the target with a query, aud without it → accepted (query and fragment ignored)",
                        x -> HttpRequestFacts.builder("GET", URI.create(TARGET + "?page=2"))
                                .header("Workload-Identity-Token", x.wit).header("Workload-Proof-Token", x.wpt(ProofBindings.NONE))
                                .build(),
                        WORKLOAD_ONLY),
                accepted("V-6 aud HTTPS://API.example.org:443/orders (scheme and host case, default port) → accepted",
                        claims(c -> c.put("aud", "HTTPS://API.example.org:443/orders")), WORKLOAD_ONLY),
                refused("V-6 aud another target (/payments) → AUDIENCE_MISMATCH",
                        proof(x -> x.wpt("https://api.example.org/payments", ProofBindings.NONE)), Reason.AUDIENCE_MISMATCH),
                refused("V-6 aud a path differing only in case (/Orders) → AUDIENCE_MISMATCH",
                        proof(x -> x.wpt("https://api.example.org/Orders", ProofBindings.NONE)), Reason.AUDIENCE_MISMATCH),
                accepted("V-6 aud an agreed alias the verifier is configured with → accepted", alias,
                        proof(x -> x.wpt("wimse://example.org/svc/orders", ProofBindings.NONE)), WORKLOAD_ONLY),
                refused("V-6 aud the alias, not configured → AUDIENCE_MISMATCH",
                        proof(x -> x.wpt("wimse://example.org/svc/orders", ProofBindings.NONE)), Reason.AUDIENCE_MISMATCH),
                refused("V-6 aud an array of two audiences (SEC-3) → AUDIENCE_MISMATCH",
                        claims(c -> c.putArray("aud").add(TARGET).add("https://other.example")), Reason.AUDIENCE_MISMATCH),
                accepted("V-6 aud an array of the target alone → accepted, its audience is the target",
                        claims(c -> c.putArray("aud").add(TARGET)),
                        (x, caller) -> assertThat(caller.proof().audience()).isEqualTo(TARGET)),
                refused("V-6 aud absent → MISSING_CLAIM", claims(c -> c.remove("aud")), Reason.MISSING_CLAIM));
    }

    @Test
    void V_6_hostAndForwardedHostNeverPickTheAudience() {
        String forEvil = f.wpt("https://evil.example/orders", ProofBindings.NONE);
        HttpRequestFacts spoofed = f.request(f.wit, forEvil).header("Host", "evil.example")
                .header("X-Forwarded-Host", "evil.example").build();
        assertRejected(() -> verifier.verify(spoofed), Reason.AUDIENCE_MISMATCH);
        RequestVerifier onlyConfigured = f.verifier().acceptTargetUri(false).audience("https://public.example.org/orders").build();
        assertRejected(() -> onlyConfigured.verify(f.validRequest()), Reason.AUDIENCE_MISMATCH);
        assertThatThrownBy(() -> f.verifier().acceptTargetUri(false).build()).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v7")
    void V_7_expRequiredNotPassedAndNotTooFarAhead(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v7() {
        long now = NOW.getEpochSecond();
        Consumer<ObjectNode> farAhead = c -> {
            c.remove("iat");
            c.put("exp", now + 361);
        };
        return Stream.of(
                refused("V-7 exp absent → MISSING_CLAIM", claims(c -> c.remove("exp")), Reason.MISSING_CLAIM),
                accepted("V-7 exp 59 s ago, within the 60 s leeway → accepted",
                        claims(c -> c.put("exp", now - 59).put("iat", now - 90)), WORKLOAD_ONLY),
                refused("V-7 exp exactly at now − leeway (C2-5: now must be before exp + leeway) → EXPIRED",
                        claims(c -> c.put("exp", now - 60).put("iat", now - 90)), Reason.EXPIRED),
                refused("V-7 exp 361 s ahead without iat (over the 5 min maximum + leeway) → LIFETIME_TOO_LONG",
                        claims(farAhead), Reason.LIFETIME_TOO_LONG),
                refused("V-7 iat an hour ago, exp in 60 s (exp − iat over the maximum) → LIFETIME_TOO_LONG",
                        claims(c -> c.put("iat", now - 3600).put("exp", now + 60)), Reason.LIFETIME_TOO_LONG),
                accepted("V-7 exp 361 s ahead with maxProofLifetime 10 min → accepted",
                        b -> b.maxProofLifetime(Duration.ofMinutes(10)), claims(farAhead), WORKLOAD_ONLY),
                refused("V-7 iat 120 s in the future → ISSUED_IN_FUTURE",
                        claims(c -> c.put("iat", now + 120).put("exp", now + 150)), Reason.ISSUED_IN_FUTURE));
    }

    @Test
    void V_7_leewayAndMaxProofLifetimeAreBounded() {
        assertThatThrownBy(() -> f.verifier().leeway(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.verifier().maxProofLifetime(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v8")
    void V_8_wthMustBeTheHashOfThePresentedWit(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v8() {
        return Stream.of(
                refused("V-8 wth absent → WTH_MISSING", claims(c -> c.remove("wth")), Reason.WTH_MISSING),
                refused("V-8 the fixture's proof sent with another WIT → WTH_MISMATCH",
                        x -> x.request(x.craftWit(same(), c -> c.put("jti", "another")), x.wpt(ProofBindings.NONE)).build(),
                        Reason.WTH_MISMATCH));
    }

    @Test
    void V_9_aReplayedJtiIsRejectedButARejectedProofDoesNotConsumeIt() throws WimseException {
        HttpRequestFacts request = f.validRequest();
        assertThat(verifier.verify(request).workload()).isEqualTo(f.workload);
        assertRejected(() -> verifier.verify(request), Reason.REPLAY);

        InMemoryReplayCache shared = InMemoryReplayCache.builder().clock(f.clock).build();
        RequestVerifier wrongAudience = f.verifier().acceptTargetUri(false).audience("https://elsewhere.example/").replayCache(shared).build();
        RequestVerifier right = f.verifier().replayCache(shared).build();
        HttpRequestFacts fresh = f.validRequest();
        assertRejected(() -> wrongAudience.verify(fresh), Reason.AUDIENCE_MISMATCH);
        assertThat(right.verify(fresh).workload()).isEqualTo(f.workload);
        assertRejected(() -> right.verify(fresh), Reason.REPLAY);
    }

    @Test
    void V_9_sameJtiFromAnotherWorkloadIsNotAReplay() throws WimseException {
        Fixture other = new Fixture();
        String jti = "shared-jti-value";
        InMemoryReplayCache cache = InMemoryReplayCache.builder().clock(f.clock).build();
        RequestVerifier v = RequestVerifier.builder().clock(f.clock).replayCache(cache)
                .trust(td -> td.equals(f.trustDomain) ? Optional.of(Fixture.bundle(td, f.issuerKey, other.issuerKey)) : Optional.empty())
                .build();
        String witB = other.issuer().issue(io.wimse4j.core.id.WorkloadIdentifier.parse("wimse://example.org/svc/other"),
                other.workloadKey.publicJwk()).token();
        assertThat(v.verify(f.request(f.wit, f.craftWpt(f.wit, same(), c -> c.put("jti", jti))).build()).workload()).isEqualTo(f.workload);
        assertThat(v.verify(other.request(witB, other.craftWpt(witB, same(), c -> c.put("jti", jti))).build()).workload().path())
                .isEqualTo("/svc/other");
        assertRejected(() -> v.verify(f.request(f.wit, f.craftWpt(f.wit, same(), c -> c.put("jti", jti))).build()), Reason.REPLAY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v10")
    void V_10_athMustMatchThePresentedAccessToken(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v10() {
        String token = "2YotnFZFEjr1zCsicMWpAA";
        Function<Fixture, HttpRequestFacts.Builder> bound = x -> x.request(x.wit, x.wpt(ProofBindings.accessToken(token)));
        return Stream.of(
                accepted("V-10 ath of the Bearer access token → accepted, the access token bound",
                        x -> bound.apply(x).header("Authorization", "Bearer " + token).build(),
                        (x, caller) -> assertThat(caller.accessTokenBound()).isTrue()),
                accepted("V-10 ath of the DPoP access token → accepted, the access token bound",
                        x -> bound.apply(x).header("Authorization", "DPoP " + token).build(),
                        (x, caller) -> assertThat(caller.accessTokenBound()).isTrue()),
                refused("V-10 a Bearer access token and no ath → ATH_MISSING",
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("Authorization", "Bearer " + token).build(),
                        Reason.ATH_MISSING),
                refused("V-10 ath of another access token → ATH_MISMATCH",
                        x -> bound.apply(x).header("Authorization", "Bearer other").build(), Reason.ATH_MISMATCH),
                refused("V-10 ath and no access token in the request → ATH_MISMATCH",
                        x -> bound.apply(x).build(), Reason.ATH_MISMATCH),
                refused("V-10 Authorization twice → REPEATED_HEADER",
                        x -> bound.apply(x).header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token)
                                .build(),
                        Reason.REPEATED_HEADER),
                accepted("V-10 Basic credentials and no ath → accepted, no access token bound",
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("Authorization", "Basic dTpw").build(),
                        (x, caller) -> assertThat(caller.accessTokenBound()).isFalse()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v11")
    void V_11_tthMustMatchThePresentedTxnToken(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v11() {
        ProofBindings txn = new ProofBindings(Optional.empty(), Optional.of("txn.token.value"), Map.of());
        return Stream.of(
                accepted("V-11 tth of the Txn-Token → accepted, the Txn-Token bound",
                        x -> x.request(x.wit, x.wpt(txn)).header("Txn-Token", "txn.token.value").build(),
                        (x, caller) -> assertThat(caller.txnTokenBound()).isTrue()),
                refused("V-11 a Txn-Token and no tth → TTH_MISSING",
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("Txn-Token", "txn.token.value").build(),
                        Reason.TTH_MISSING),
                refused("V-11 tth of another Txn-Token → TTH_MISMATCH",
                        x -> x.request(x.wit, x.wpt(txn)).header("Txn-Token", "other").build(), Reason.TTH_MISMATCH),
                refused("V-11 tth and no Txn-Token in the request → TTH_MISMATCH",
                        x -> x.request(x.wit, x.wpt(txn)).build(), Reason.TTH_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v12")
    void V_12_othMustMatchEachBoundHeaderAndRequiredHeadersMustBeBound(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v12() {
        UnaryOperator<RequestVerifier.Builder> policy =
                b -> b.othPolicy(OthPolicy.builder().required("X-User-Assertion").optional("x-tenant").build());
        UnaryOperator<RequestVerifier.Builder> joined =
                b -> b.othPolicy(OthPolicy.builder().add("x-user-assertion", new OthPolicy.Rule(true, true)).build());
        ProofBindings user = new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-user-assertion", "u.s.er"));
        ProofBindings both = new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-user-assertion", "a, b"));
        return Stream.of(
                accepted("V-12 oth of the required header (value trimmed), an optional one unbound → accepted, only it bound",
                        policy, x -> x.request(x.wit, x.wpt(user)).header("X-User-Assertion", " u.s.er ").header("X-Tenant", "t1").build(),
                        (x, caller) -> assertThat(caller.boundHeaders()).containsExactly("x-user-assertion")),
                refused("V-12 the required header present, no oth → OTH_MISSING", policy,
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("X-User-Assertion", "u.s.er").build(),
                        Reason.OTH_MISSING),
                refused("V-12 oth of another header value → OTH_MISMATCH", policy,
                        x -> x.request(x.wit, x.wpt(user)).header("X-User-Assertion", "forged").build(), Reason.OTH_MISMATCH),
                refused("V-12 oth and the header absent → OTH_MISMATCH", policy,
                        x -> x.request(x.wit, x.wpt(user)).build(), Reason.OTH_MISMATCH),
                refused("V-12 the bound header repeated (default rule) → REPEATED_HEADER", policy,
                        x -> x.request(x.wit, x.wpt(user)).header("X-User-Assertion", "u.s.er").header("X-User-Assertion", "u.s.er")
                                .build(),
                        Reason.REPEATED_HEADER),
                accepted("V-12 a repeated header under a rule that joins repeats, oth of 'a, b' → accepted, bound", joined,
                        x -> x.request(x.wit, x.wpt(both)).header("X-User-Assertion", "a").header("X-User-Assertion", "b").build(),
                        (x, caller) -> assertThat(caller.boundHeaders()).containsExactly("x-user-assertion")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v13")
    void V_13_anOthEntryTheRecipientDoesNotUnderstandRejectsTheProof(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> v13() {
        ProofBindings unknown = new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-custom", "v"));
        return Stream.of(
                refused("V-13 an oth entry for a header the verifier has no rule for → OTH_UNKNOWN_ENTRY",
                        x -> x.request(x.wit, x.wpt(unknown)).header("X-Custom", "v").build(), Reason.OTH_UNKNOWN_ENTRY),
                accepted("V-13 a header not covered by oth → accepted, not reported as bound",
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("X-Custom", "v").build(),
                        (x, caller) -> assertThat(caller.boundHeaders()).isEmpty()),
                refused("V-13 oth not a JSON object → INVALID_CLAIM", claims(c -> c.put("oth", "x")), Reason.INVALID_CLAIM));
    }

    @Test
    void V_14_everyReasonHasAStableProblemTypeTitleAndItsStatus() {
        Set<String> codes = new HashSet<>();
        for (Reason r : Reason.values()) {
            assertThat(r.code()).isEqualTo(r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            assertThat(r.problemType()).isEqualTo(io.wimse4j.core.error.ProblemType.typeOf(r.code()));
            assertThat(codes.add(r.code())).isTrue();
            assertThat(r.title()).isNotBlank();
            // 503: a dependency is down; 413: a body too large to digest (HS-5); 501: a signed response
            // that cannot be produced (HS-6); every other refusal 400 (V-14, HS-9)
            int expected = switch (r) {
                case REPLAY_CACHE_UNAVAILABLE -> 503;
                case BODY_TOO_LARGE -> 413;
                case SIGNED_RESPONSE_UNAVAILABLE -> 501;
                default -> 400;
            };
            assertThat(r.httpStatus()).as(r.name()).isEqualTo(expected);
        }
    }

    @Test
    void V_14_rejectionDetailsNeverEchoTokens() {
        String token = "2YotnFZFEjr1zCsicMWpAA";
        String wpt = f.wpt(ProofBindings.accessToken(token));
        HttpRequestFacts bad = f.request(f.wit, wpt).header("Authorization", "Bearer wrong-token").build();
        assertThatThrownBy(() -> verifier.verify(bad)).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.ATH_MISMATCH);
            assertThat(e.getMessage()).doesNotContain(wpt).doesNotContain(f.wit).doesNotContain("wrong-token")
                    .doesNotContain(Hashes.tokenHash(token));
        });
    }

    @Test
    void SEC_2_proofsOutsideTheirValidityAreRejectedEvenIfTheWitIsValid() {
        String wpt = f.craftWpt(f.wit, same(), c -> c.put("iat", NOW.getEpochSecond() - 200).put("exp", NOW.getEpochSecond() - 100));
        assertRejected(() -> verifier.verify(f.request(f.wit, wpt).build()), Reason.EXPIRED);
    }

    @Test
    void SEC_4_verifiersSharingOneReplayCacheRejectAReplayAcrossThem() throws WimseException {
        ReplayCache shared = InMemoryReplayCache.builder().clock(f.clock).build();
        RequestVerifier a = f.verifier().replayCache(shared).build();
        RequestVerifier b = f.verifier().replayCache(shared).build();
        HttpRequestFacts request = f.validRequest();
        assertThat(a.verify(request).workload()).isEqualTo(f.workload);
        assertRejected(() -> b.verify(request), Reason.REPLAY);
        RequestVerifier failing = f.verifier().replayCache((key, exp) -> {
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "store down");
        }).build();
        assertRejected(() -> failing.verify(f.validRequest()), Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThatThrownBy(() -> f.verifier().replayCache(shared).disableReplayProtection().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void replayProtectionCanBeTurnedOffExplicitly() throws WimseException {
        RequestVerifier off = f.verifier().disableReplayProtection().build();
        HttpRequestFacts request = f.validRequest();
        assertThat(off.verify(request).workload()).isEqualTo(f.workload);
        assertThat(off.verify(request).workload()).isEqualTo(f.workload);
    }
}
