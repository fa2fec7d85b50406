package io.wimse4j.core.rules;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.OthPolicy;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wpt-02 transport (P2-1..P2-7) beside the seed one: {@code Authorization: WPT <jwt>}, no bearer
 * credential beside it, 401 with {@code WWW-Authenticate: WPT} for credential failures. One table per
 * rule; a refused row names the {@link Reason} and the status the receiver answers.
 */
class WptTransportRulesTest {
    final Fixture f = new Fixture();

    /** A row: the request, the verifier's settings, and the verdict (a reason and status, or accepted and checked). */
    record Row(String name, Function<Fixture, HttpRequestFacts> request, UnaryOperator<RequestVerifier.Builder> config,
               Reason refusal, int status, BiConsumer<Fixture, VerifiedCaller> accepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row refused(String name, Function<Fixture, HttpRequestFacts> request, Reason reason, int status) {
        return new Row(name, request, b -> b, reason, status, null);
    }

    static Row refused(String name, UnaryOperator<RequestVerifier.Builder> config, Function<Fixture, HttpRequestFacts> request,
                       Reason reason, int status) {
        return new Row(name, request, config, reason, status, null);
    }

    static Row accepted(String name, Function<Fixture, HttpRequestFacts> request, BiConsumer<Fixture, VerifiedCaller> check) {
        return new Row(name, request, b -> b, null, 0, check);
    }

    static Row accepted(String name, UnaryOperator<RequestVerifier.Builder> config, Function<Fixture, HttpRequestFacts> request,
                        BiConsumer<Fixture, VerifiedCaller> check) {
        return new Row(name, request, config, null, 0, check);
    }

    /** A GET of the target with the fixture's WIT and {@code authorization} as the one Authorization value. */
    static Function<Fixture, HttpRequestFacts> authorization(Function<Fixture, String> authorization) {
        return x -> base(x).header("Authorization", authorization.apply(x)).build();
    }

    static HttpRequestFacts.Builder base(Fixture x) {
        return HttpRequestFacts.builder("GET", URI.create(TARGET)).header("Workload-Identity-Token", x.wit);
    }

    static Function<Fixture, String> wpt(String scheme, String spaces) {
        return x -> scheme + spaces + x.wpt(ProofBindings.NONE);
    }

    static final Function<Fixture, HttpRequestFacts> CURRENT = authorization(wpt("WPT", " "));

    /** A wpt-02 request for the target with {@code query} appended. */
    static Function<Fixture, HttpRequestFacts> query(String query) {
        return x -> HttpRequestFacts.builder("GET", URI.create(TARGET + query)).header("Workload-Identity-Token", x.wit)
                .header("Authorization", "WPT " + x.wpt(ProofBindings.NONE)).build();
    }

    static final BiConsumer<Fixture, VerifiedCaller> BY_AUTHORIZATION =
            (x, caller) -> assertThat(caller.transport()).isEqualTo(WptTransport.AUTHORIZATION);

    static final UnaryOperator<RequestVerifier.Builder> SEED_ONLY = b -> b.transports(Set.of(WptTransport.WORKLOAD_PROOF_TOKEN));
    static final UnaryOperator<RequestVerifier.Builder> CURRENT_ONLY = b -> b.transports(Set.of(WptTransport.AUTHORIZATION));

    void check(Row row) throws WimseException {
        RequestVerifier v = row.config().apply(f.verifier()).build();
        HttpRequestFacts request = row.request().apply(f);
        if (row.refusal() != null) {
            assertThatThrownBy(() -> v.verify(request)).isInstanceOfSatisfying(WimseException.class, e -> {
                assertThat(e.reason()).as("reason (detail: %s)", e.detail()).isEqualTo(row.refusal());
                assertThat(e.httpStatus()).as("status").isEqualTo(row.status());
                assertThat(e.challenge()).as("WWW-Authenticate challenge")
                        .isEqualTo(row.status() == 401 ? Optional.of("WPT") : Optional.empty());
                assertThat(ProblemDetails.of(e).status()).as("problem status").isEqualTo(row.status());
            });
        } else {
            VerifiedCaller caller = v.verify(request);
            assertThat(caller.workload()).as(row.name()).isEqualTo(f.workload);
            row.accepted().accept(f, caller);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("p2_1")
    void P2_1_theWptTravelsInAuthorizationWithTheWptScheme(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> p2_1() {
        return Stream.of(
                accepted("P2-1 'Authorization: WPT <jwt>' → accepted, transport AUTHORIZATION", CURRENT, BY_AUTHORIZATION),
                accepted("P2-1 the scheme in lower case ('wpt') → accepted", authorization(wpt("wpt", " ")), BY_AUTHORIZATION),
                accepted("P2-1 the scheme in mixed case ('Wpt') → accepted", authorization(wpt("Wpt", " ")), BY_AUTHORIZATION),
                accepted("P2-1 several spaces after the scheme → accepted", authorization(wpt("WPT", "    ")), BY_AUTHORIZATION),
                accepted("P2-1 the seed's Workload-Proof-Token is still accepted by default → transport WORKLOAD_PROOF_TOKEN",
                        x -> x.validRequest(), (x, c) -> assertThat(c.transport()).isEqualTo(WptTransport.WORKLOAD_PROOF_TOKEN)),
                accepted("P2-1 a receiver restricted to wpt-02 accepts it", CURRENT_ONLY, CURRENT, BY_AUTHORIZATION),
                refused("P2-1 a tab instead of a space after the scheme → MALFORMED_TOKEN, 401",
                        authorization(wpt("WPT", "\t")), Reason.MALFORMED_TOKEN, 401),
                refused("P2-1 the scheme without a token → MALFORMED_TOKEN, 401",
                        authorization(x -> "WPT"), Reason.MALFORMED_TOKEN, 401),
                refused("P2-1 the scheme glued to the token ('WPTey...') is another scheme → MISSING_WPT, 401",
                        authorization(wpt("WPT", "")), Reason.MISSING_WPT, 401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("p2_2")
    void P2_2_exactlyOneAuthorizationFieldWithOneWellFormedJwt(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> p2_2() {
        return Stream.of(
                refused("P2-2 two Authorization fields, both WPT → REPEATED_HEADER, 400", x -> {
                    String v = "WPT " + x.wpt(ProofBindings.NONE);
                    return base(x).header("Authorization", v).header("authorization", v).build();
                }, Reason.REPEATED_HEADER, 400),
                refused("P2-2 two JWTs after the scheme → MALFORMED_TOKEN, 401",
                        authorization(x -> "WPT " + x.wpt(ProofBindings.NONE) + " " + x.wpt(ProofBindings.NONE)),
                        Reason.MALFORMED_TOKEN, 401),
                refused("P2-2 two JWTs separated by a comma → MALFORMED_TOKEN, 401",
                        authorization(x -> "WPT " + x.wpt(ProofBindings.NONE) + "," + x.wpt(ProofBindings.NONE)),
                        Reason.MALFORMED_TOKEN, 401),
                refused("P2-2 auth-params after the token → MALFORMED_TOKEN, 401",
                        authorization(x -> "WPT " + x.wpt(ProofBindings.NONE) + ", realm=\"x\""), Reason.MALFORMED_TOKEN, 401),
                refused("P2-2 a JWT without its signature part → MALFORMED_TOKEN, 401", authorization(x -> {
                    String w = x.wpt(ProofBindings.NONE);
                    return "WPT " + w.substring(0, w.lastIndexOf('.'));
                }), Reason.MALFORMED_TOKEN, 401),
                refused("P2-2 another scheme (Negotiate) and no proof → MISSING_WPT, 401",
                        authorization(x -> "Negotiate abc"), Reason.MISSING_WPT, 401),
                refused("P2-2 no proof at all (both accepted) → MISSING_WPT, 401 with the WPT challenge",
                        x -> base(x).build(), Reason.MISSING_WPT, 401),
                refused("P2-2 no credential at all → MISSING_WIT, 401",
                        x -> HttpRequestFacts.builder("GET", URI.create(TARGET)).build(), Reason.MISSING_WIT, 401),
                refused("P2-2 no proof at a seed-only receiver → MISSING_WPT, 400 (V-14)", SEED_ONLY,
                        x -> base(x).build(), Reason.MISSING_WPT, 400),
                refused("P2-2 both transports in one request → TWO_PROOF_TRANSPORTS, 400", x -> {
                    String w = x.wpt(ProofBindings.NONE);
                    return x.request(x.wit, w).header("Authorization", "WPT " + w).build();
                }, Reason.TWO_PROOF_TRANSPORTS, 400),
                refused("P2-2 both transports at a wpt-02-only receiver → TWO_PROOF_TRANSPORTS, 400", CURRENT_ONLY, x -> {
                    String w = x.wpt(ProofBindings.NONE);
                    return x.request(x.wit, w).header("Authorization", "WPT " + w).build();
                }, Reason.TWO_PROOF_TRANSPORTS, 400),
                refused("P2-2 'Authorization: WPT' at a seed-only receiver → PROOF_TRANSPORT_NOT_ACCEPTED, 400", SEED_ONLY,
                        CURRENT, Reason.PROOF_TRANSPORT_NOT_ACCEPTED, 400),
                refused("P2-2 Workload-Proof-Token at a wpt-02-only receiver → PROOF_TRANSPORT_NOT_ACCEPTED, 401", CURRENT_ONLY,
                        x -> x.validRequest(), Reason.PROOF_TRANSPORT_NOT_ACCEPTED, 401),
                accepted("P2-2 leading whitespace before the scheme → accepted", authorization(wpt(" \tWPT", " ")), BY_AUTHORIZATION),
                refused("P2-2 a character outside base64url in the token → BAD_ENCODING, 401 (the same reason as in the seed header)",
                        authorization(x -> "WPT " + x.wpt(ProofBindings.NONE).replaceFirst("\\.", "+.")), Reason.BAD_ENCODING, 401),
                refused("P2-2 the seed header with 'WPT,<jwt>' beside it → TWO_PROOF_TRANSPORTS, 400", x -> {
                    String w = x.wpt(ProofBindings.NONE);
                    return x.request(x.wit, w).header("Authorization", "WPT," + w).build();
                }, Reason.TWO_PROOF_TRANSPORTS, 400),
                refused("P2-2 the seed header with ' WPT <jwt>' (leading space) beside it → TWO_PROOF_TRANSPORTS, 400", x -> {
                    String w = x.wpt(ProofBindings.NONE);
                    return x.request(x.wit, w).header("Authorization", " WPT " + w).build();
                }, Reason.TWO_PROOF_TRANSPORTS, 400),
                accepted("P2-2 another scheme that only starts with WPT ('WPTx') beside the seed header is not a proof",
                        x -> x.request(x.wit, x.wpt(ProofBindings.NONE)).header("Authorization", "WPTx abc").build(),
                        (x, c) -> assertThat(c.transport()).isEqualTo(WptTransport.WORKLOAD_PROOF_TOKEN)),
                refused("P2-2 WIT-9: the WIT itself as the WPT → WIT_AS_BEARER, 401",
                        authorization(x -> "WPT " + x.wit), Reason.WIT_AS_BEARER, 401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("p2_3")
    void P2_3_noBearerOrBasicCredentialBesideTheWpt(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> p2_3() {
        return Stream.of(
                refused("P2-3 a second Authorization field with a Bearer token → BEARER_WITH_WPT, 400",
                        x -> base(x).header("Authorization", "WPT " + x.wpt(ProofBindings.NONE))
                                .header("Authorization", "Bearer abc").build(), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 a Bearer field before the WPT field → BEARER_WITH_WPT, 400",
                        x -> base(x).header("Authorization", "Bearer abc")
                                .header("Authorization", "WPT " + x.wpt(ProofBindings.NONE)).build(), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 a Basic credential beside it → BEARER_WITH_WPT, 400",
                        x -> base(x).header("Authorization", "WPT " + x.wpt(ProofBindings.NONE))
                                .header("Authorization", "basic dXNlcjpwYXNz").build(), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 an access_token query parameter (RFC 6750 2.3) → BEARER_WITH_WPT, 400",
                        x -> HttpRequestFacts.builder("GET", URI.create(TARGET + "?a=1&access_token=abc"))
                                .header("Workload-Identity-Token", x.wit).header("Authorization", "WPT " + x.wpt(ProofBindings.NONE))
                                .build(), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 a DPoP credential beside it → BEARER_WITH_WPT, 400",
                        x -> base(x).header("Authorization", "WPT " + x.wpt(ProofBindings.NONE))
                                .header("Authorization", "DPoP abc").build(), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 a percent-encoded access_token parameter name (%61ccess_token) → BEARER_WITH_WPT, 400",
                        query("?%61ccess_token=abc"), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 access_token after a ';' separator → BEARER_WITH_WPT, 400",
                        query("?a=1;access_token=abc"), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 access%5Ftoken (an encoded underscore) → BEARER_WITH_WPT, 400",
                        query("?access%5Ftoken=abc"), Reason.BEARER_WITH_WPT, 400),
                refused("P2-3 access_token without a value → BEARER_WITH_WPT, 400", query("?x=1&access_token"), Reason.BEARER_WITH_WPT, 400),
                accepted("P2-3 a query parameter that only ends in access_token is not one",
                        x -> HttpRequestFacts.builder("GET", URI.create(TARGET + "?my_access_token=abc"))
                                .header("Workload-Identity-Token", x.wit).header("Authorization", "WPT " + x.wpt(ProofBindings.NONE))
                                .build(), BY_AUTHORIZATION),
                refused("P2-3 a WPT carrying 'ath' under 'Authorization: WPT' → ATH_MISMATCH, 401",
                        authorization(x -> "WPT " + x.wpt(new ProofBindings(Optional.of("tok"), Optional.empty(), Map.of()))),
                        Reason.ATH_MISMATCH, 401),
                accepted("P2-3 no access token is ever reported bound", CURRENT,
                        (x, c) -> assertThat(c.accessTokenBound()).isFalse()),
                accepted("P2-3 a Txn-Token is still bound through 'tth'",
                        x -> base(x).header("Txn-Token", "txn-1")
                                .header("Authorization", "WPT " + x.wpt(new ProofBindings(Optional.empty(), Optional.of("txn-1"), Map.of())))
                                .build(), (x, c) -> assertThat(c.txnTokenBound()).isTrue()),
                refused("P2-3 an unbound Txn-Token → TTH_MISSING, 401",
                        x -> base(x).header("Txn-Token", "txn-1").header("Authorization", "WPT " + x.wpt(ProofBindings.NONE)).build(),
                        Reason.TTH_MISSING, 401),
                accepted("P2-3 another token is still bound through 'oth'", b -> b.othPolicy(OthPolicy.builder().required("x-ctx").build()),
                        x -> base(x).header("X-Ctx", "ctx")
                                .header("Authorization", "WPT " + x.wpt(new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-ctx", "ctx"))))
                                .build(), (x, c) -> assertThat(c.boundHeaders()).containsExactly("x-ctx")),
                accepted("P2-3 Proxy-Authorization is not covered", x -> base(x).header("Proxy-Authorization", "Basic dXNlcjpwYXNz")
                        .header("Authorization", "WPT " + x.wpt(ProofBindings.NONE)).build(), BY_AUTHORIZATION),
                accepted("P2-3 the seed transport still binds a Bearer token through 'ath'", x -> x.request(x.wit,
                                x.wpt(new ProofBindings(Optional.of("tok"), Optional.empty(), Map.of()))).header("Authorization", "Bearer tok").build(),
                        (x, c) -> assertThat(c.accessTokenBound()).isTrue()));
    }

    @Test
    void P2_3_theSignerRefusesToPutAWptBesideAnAuthorizationHeader() {
        RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator()).build();
        assertThatThrownBy(() -> signer.sign("GET", URI.create(TARGET), Map.of("authorization", List.of("Bearer tok"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P2-3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("p2_4")
    void P2_4_credentialFailuresAnswer401WithTheWptChallengeOtherErrors400(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> p2_4() {
        return Stream.of(
                refused("P2-4 a forged signature under 'Authorization: WPT' → BAD_SIGNATURE, 401",
                        authorization(x -> "WPT " + forged(x)), Reason.BAD_SIGNATURE, 401),
                refused("P2-4 the same forgery under Workload-Proof-Token → BAD_SIGNATURE, 400 (V-14)",
                        x -> x.request(x.wit, forged(x)).build(), Reason.BAD_SIGNATURE, 400),
                refused("P2-4 another audience under 'Authorization: WPT' → AUDIENCE_MISMATCH, 401",
                        authorization(x -> "WPT " + x.wpt("https://other.example.org/orders", ProofBindings.NONE)),
                        Reason.AUDIENCE_MISMATCH, 401),
                refused("P2-4 a repeated Workload-Identity-Token under 'Authorization: WPT' → REPEATED_HEADER, 400",
                        x -> base(x).header("Workload-Identity-Token", x.wit).header("Authorization", "WPT " + x.wpt(ProofBindings.NONE)).build(),
                        Reason.REPEATED_HEADER, 400),
                refused("P2-4 a replay store that is down → REPLAY_CACHE_UNAVAILABLE, 503, no challenge",
                        b -> b.replayCache((key, until) -> {
                            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "down");
                        }), CURRENT, Reason.REPLAY_CACHE_UNAVAILABLE, 503));
    }

    /** A WPT of the fixture carrying the signature of another of its WPTs. */
    static String forged(Fixture x) {
        String a = x.wpt(ProofBindings.NONE);
        String b = x.wpt(ProofBindings.NONE);
        return a.substring(0, a.lastIndexOf('.') + 1) + b.substring(b.lastIndexOf('.') + 1);
    }

    @Test
    void P2_4_aReplayedWptUnderAuthorizationIsACredentialFailure() throws WimseException {
        RequestVerifier v = f.verifier().build();
        HttpRequestFacts request = CURRENT.apply(f);
        v.verify(request);
        assertThatThrownBy(() -> v.verify(request)).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.REPLAY);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.challenge()).contains("WPT");
        });
    }

    @Test
    void P2_5_noFailureAndNoResultShowsTheRawWpt() throws WimseException {
        String wpt = f.wpt(ProofBindings.NONE);
        String signature = wpt.substring(wpt.lastIndexOf('.') + 1);
        RequestVerifier v = f.verifier().build();
        HttpRequestFacts ok = base(f).header("Authorization", "WPT " + wpt).build();
        VerifiedCaller caller = v.verify(ok);
        List<String> shown = new java.util.ArrayList<>(List.of(ok.toString(), caller.toString(), caller.proof().toString(), v.toString()));
        WimseException replay = catchWimse(() -> v.verify(ok));
        WimseException twoTokens = catchWimse(() -> v.verify(base(f).header("Authorization", "WPT " + wpt + " " + wpt).build()));
        WimseException tampered = catchWimse(() -> v.verify(base(f).header("Authorization", "WPT " + wpt + "A").build()));
        for (WimseException e : List.of(replay, twoTokens, tampered)) {
            shown.add(e.getMessage());
            shown.add(e.detail());
            shown.add(ProblemDetails.of(e).toJson());
        }
        RequestSigner.SignedHeaders signed = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials()))
                .proofCreator(f.creator()).build().sign("GET", URI.create(TARGET), Map.of());
        shown.add(signed.toString());
        assertThat(shown).allSatisfy(s -> assertThat(s).doesNotContain(signature).doesNotContain(wpt.substring(0, 40)));
        assertThat(signed.asMap()).containsKeys("Authorization"); // the value is there, only never in a string form
    }

    private static WimseException catchWimse(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(WimseException.class);
        return (WimseException) t;
    }

    @Test
    void P2_6_theSignersJtiHas128RandomBitsInBase64url() throws WimseException {
        RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator()).build();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            RequestSigner.SignedHeaders h = signer.sign("GET", URI.create(TARGET), Map.of());
            String jti = Fixture.json(new String(Base64Url.decode(h.workloadProofToken().split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8)).get("jti").asText();
            assertThat(Base64Url.decode(jti)).hasSize(16);
            assertThat(seen.add(jti)).as("jti %d is new", i).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("p2_7")
    void P2_7_audiencesComeFromConfigurationNeverFromHost(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> p2_7() {
        String other = "https://attacker.example.net/orders";
        return Stream.of(
                refused("P2-7 aud = the Host header's authority → AUDIENCE_MISMATCH, 401",
                        x -> base(x).header("Host", "attacker.example.net").header("Authorization", "WPT " + x.wpt(other, ProofBindings.NONE)).build(),
                        Reason.AUDIENCE_MISMATCH, 401),
                refused("P2-7 aud = X-Forwarded-Host → AUDIENCE_MISMATCH, 401",
                        x -> base(x).header("X-Forwarded-Host", "attacker.example.net")
                                .header("Authorization", "WPT " + x.wpt(other, ProofBindings.NONE)).build(),
                        Reason.AUDIENCE_MISMATCH, 401),
                accepted("P2-7 aud = a configured alias → accepted", b -> b.audience("https://alias.example.org/orders"),
                        authorization(x -> "WPT " + x.wpt("https://alias.example.org/orders", ProofBindings.NONE)), BY_AUTHORIZATION));
    }

    @Test
    void P2_1_theSignerDefaultsToAuthorizationAndCanChooseTheSeedHeader() throws WimseException {
        RequestSigner.Builder b = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator());
        RequestSigner.SignedHeaders current = b.build().sign("GET", URI.create(TARGET), Map.of());
        assertThat(current.transport()).isEqualTo(WptTransport.AUTHORIZATION);
        assertThat(current.asMap()).containsOnlyKeys("Workload-Identity-Token", "Authorization");
        assertThat(current.asMap().get("Authorization")).isEqualTo("WPT " + current.workloadProofToken());
        RequestSigner.SignedHeaders seed = b.transport(WptTransport.WORKLOAD_PROOF_TOKEN).build().sign("GET", URI.create(TARGET), Map.of());
        assertThat(seed.asMap()).containsOnlyKeys("Workload-Identity-Token", "Workload-Proof-Token");
        RequestVerifier v = f.verifier().build();
        for (RequestSigner.SignedHeaders h : List.of(current, seed)) {
            HttpRequestFacts.Builder facts = HttpRequestFacts.builder("GET", URI.create(TARGET));
            h.asMap().forEach(facts::header);
            assertThat(v.verify(facts.build()).transport()).isEqualTo(h.transport());
        }
        assertThat(v.transports()).isEqualTo(EnumSet.allOf(WptTransport.class));
        assertThatThrownBy(() -> f.verifier().transports(Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
