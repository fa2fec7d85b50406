package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.testkit.DraftExample;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a sender puts in a Workload Proof Token: WPT-1..WPT-10; one table per rule where a rule has several cases. */
class WptRulesTest {
    final Fixture f = new Fixture();

    RequestSigner signer(String... bind) {
        RequestSigner.Builder b = RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN).credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator());
        for (String h : bind) {
            b.bindHeader(h);
        }
        return b.build();
    }

    static ObjectNode claims(String wpt) throws WimseException {
        return CompactJws.parse(wpt, 8192).payload();
    }

    /** How a row's signer differs from the fixture's (a builder with its credentials and creator). */
    interface SignerConfig {
        RequestSigner.Builder apply(Fixture f, RequestSigner.Builder b);
    }

    /** What an accepted row checks of the proof's claims. */
    interface ClaimsCheck {
        void check(Fixture f, ObjectNode claims) throws Exception;
    }

    /**
     * One row of a rule table: how the signer differs from the fixture's, the request it signs, and the verdict:
     * a {@link Reason} the signing is refused with, an exception the configuration throws (misuse), or accepted
     * and the proof's claims checked.
     */
    record Row(String name, SignerConfig config, String method, String target, Map<String, List<String>> headers,
               Reason refusal, Class<? extends Exception> misuse, ClaimsCheck accepted) {
        @Override
        public String toString() {
            return name;
        }

        Row with(SignerConfig c) {
            return new Row(name, c, method, target, headers, refusal, misuse, accepted);
        }

        Row refused(Reason r) {
            return new Row(name, config, method, target, headers, r, null, null);
        }

        Row misuse(Class<? extends Exception> e) {
            return new Row(name, config, method, target, headers, null, e, null);
        }

        Row accepted(ClaimsCheck c) {
            return new Row(name, config, method, target, headers, null, null, c);
        }
    }

    static Row get(String name, String target) {
        return get(name, target, Map.of());
    }

    static Row get(String name, String target, Map<String, List<String>> headers) {
        return new Row(name, (x, b) -> b, "GET", target, headers, null, null, null);
    }

    static Row post(String name, Map<String, List<String>> headers) {
        return new Row(name, (x, b) -> b, "POST", Fixture.TARGET, headers, null, null, null);
    }

    void check(Row row) throws Exception {
        RequestSigner.Builder base = RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN).credentials(CredentialSource.fixed(f.credentials()))
                .proofCreator(f.creator());
        if (row.misuse() != null) {
            assertThatThrownBy(() -> row.config().apply(f, base)).isInstanceOf(row.misuse());
            return;
        }
        RequestSigner signer = row.config().apply(f, base).build();
        if (row.refusal() != null) {
            assertRejected(() -> signer.sign(row.method(), URI.create(row.target()), row.headers()), row.refusal());
            return;
        }
        assertThat(row.accepted()).as("%s has a verdict", row.name()).isNotNull();
        RequestSigner.SignedHeaders h = signer.sign(row.method(), URI.create(row.target()), row.headers());
        assertThat(h.workloadIdentityToken()).isEqualTo(f.wit);
        row.accepted().check(f, claims(h.workloadProofToken()));
    }

    @Test
    void WPT_1_theSignerProducesTheTwoWimseHeaders() throws WimseException {
        RequestSigner.SignedHeaders h = signer().sign("GET", URI.create(Fixture.TARGET), Map.of());
        assertThat(h.asMap()).containsOnlyKeys("Workload-Identity-Token", "Workload-Proof-Token");
        assertThat(h.asMap().get("Workload-Identity-Token")).isEqualTo(f.wit);
        assertThat(h.workloadProofToken().split("\\.")).hasSize(3);
        assertThat(h.toString()).doesNotContain(f.wit);
        assertThat(f.verifier().build().verify(f.request(h.workloadIdentityToken(), h.workloadProofToken()).build()).workload())
                .isEqualTo(f.workload);
    }

    @ParameterizedTest(name = "WPT-2 a WIT whose cnf.jwk.alg is {0} → a WPT signed {0}")
    @EnumSource(JwsAlgorithm.class)
    void WPT_2_algIsTheWitsCnfAlg(JwsAlgorithm alg) throws WimseException {
        Fixture g = new Fixture(JwsAlgorithm.ES256, alg);
        assertThat(CompactJws.parse(g.wpt(ProofBindings.NONE), 8192).algorithmName()).isEqualTo(alg.jwaName());
    }

    @Test
    void WPT_3_typIsWptJwt() throws WimseException {
        assertThat(CompactJws.parse(f.wpt(ProofBindings.NONE), 8192).header().get("typ").asText()).isEqualTo("wpt+jwt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wpt4")
    void WPT_4_audIsTheTargetUriWithoutQueryAndFragment(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wpt4() {
        return Stream.of(
                get("WPT-4 a target with port, query and fragment → aud is the URI without query and fragment",
                        "https://api.example.org:8443/orders/7?expand=all#top")
                        .accepted(aud("https://api.example.org:8443/orders/7")),
                get("WPT-4 a configured audience alias → aud is the alias", Fixture.TARGET)
                        .with((x, b) -> b.audience(u -> "wimse://example.org/svc/orders"))
                        .accepted(aud("wimse://example.org/svc/orders")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wpt5")
    void WPT_5_expIsShortDefaultSixtySecondsAndCapped(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wpt5() {
        return Stream.of(
                get("WPT-5 the fixture's 60 s creator → iat = now, exp = iat + 60", Fixture.TARGET).accepted(lifetime(60)),
                get("WPT-5 a lifetime of 5 min (the cap) → exp = iat + 300", Fixture.TARGET)
                        .with((x, b) -> b.proofCreator(WptCreator.create(x.clock, Duration.ofMinutes(5)))).accepted(lifetime(300)),
                get("WPT-5 a lifetime of 1 s (the floor) → exp = iat + 1", Fixture.TARGET)
                        .with((x, b) -> b.proofCreator(WptCreator.create(x.clock, Duration.ofSeconds(1)))).accepted(lifetime(1)),
                get("WPT-5 a lifetime of 6 min → IllegalArgumentException", Fixture.TARGET)
                        .with((x, b) -> b.proofCreator(WptCreator.create(x.clock, Duration.ofMinutes(6))))
                        .misuse(IllegalArgumentException.class),
                get("WPT-5 a lifetime of 5 min + 1 s → IllegalArgumentException", Fixture.TARGET)
                        .with((x, b) -> b.proofCreator(WptCreator.create(x.clock, Duration.ofMinutes(5).plusSeconds(1))))
                        .misuse(IllegalArgumentException.class),
                get("WPT-5 a lifetime of zero → IllegalArgumentException", Fixture.TARGET)
                        .with((x, b) -> b.proofCreator(WptCreator.create(x.clock, Duration.ZERO)))
                        .misuse(IllegalArgumentException.class));
    }

    /** The proof was issued at {@link Fixture#NOW} and lives {@code seconds}. */
    static ClaimsCheck lifetime(long seconds) {
        return (x, c) -> {
            assertThat(c.get("exp").asLong() - c.get("iat").asLong()).isEqualTo(seconds);
            assertThat(c.get("iat").asLong()).isEqualTo(NOW.getEpochSecond());
        };
    }

    static ClaimsCheck aud(String expected) {
        return (x, c) -> assertThat(c.get("aud").asText()).isEqualTo(expected);
    }

    @Test
    void WPT_6_jtiIs128BitRandomAndUnique() throws WimseException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String jti = claims(f.wpt(ProofBindings.NONE)).get("jti").asText();
            assertThat(Base64Url.decode(jti)).hasSize(16);
            assertThat(seen.add(jti)).isTrue();
        }
    }

    /** One row of the WPT-7 table: the {@code wth} produced, and the value it must equal. */
    record Hash(String name, Function<Fixture, String> actual, Function<Fixture, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wpt7")
    void WPT_7_wthIsTheHashOfTheWit(Hash row) {
        assertThat(row.actual().apply(f)).isNotNull().isEqualTo(row.expected().apply(f));
    }

    static Stream<Hash> wpt7() {
        Function<Fixture, String> fixtureWth = x -> wth(x.wpt(ProofBindings.NONE));
        return Stream.of(
                new Hash("WPT-7 the fixture's WPT → wth = Hashes.tokenHash(WIT)", fixtureWth, x -> Hashes.tokenHash(x.wit)),
                new Hash("WPT-7 the fixture's WPT → wth = base64url(SHA-256(WIT)), computed without Hashes", fixtureWth,
                        x -> Base64Url.encode(sha256().digest(x.wit.getBytes()))),
                new Hash("WPT-7 the draft's WIT → Hashes.tokenHash is the draft's wth",
                        x -> Hashes.tokenHash(DraftExample.WIT), x -> DraftExample.root().at("/expected/wth").asText()),
                new Hash("WPT-7 a WPT for the draft's WIT signed with its workload key → wth is the draft's wth",
                        x -> wth(draftWpt()), x -> DraftExample.root().at("/expected/wth").asText()));
    }

    static String wth(String wpt) {
        try {
            return claims(wpt).get("wth").asText();
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String draftWpt() {
        try {
            WorkloadCredentials creds = WorkloadCredentials.of(DraftExample.WIT,
                    WorkloadKeyPair.fromPrivateJwk(DraftExample.workloadPrivateJwk(), null).signer());
            return WptCreator.create(DraftExample.clockAt(DraftExample.VALID_AT), Duration.ofSeconds(60))
                    .create(creds, DraftExample.TARGET, ProofBindings.NONE);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wpt8")
    void WPT_8_athBindsTheRequestsBearerOrDpopAccessToken(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wpt8() {
        String token = DraftExample.root().at("/rfc9449_ath_example/access_token").asText();
        String expected = DraftExample.root().at("/rfc9449_ath_example/ath").asText();
        return Stream.of(
                post("WPT-8 Authorization: Bearer <RFC 9449 token> → ath is RFC 9449's",
                        Map.of("Authorization", List.of("Bearer " + token))).accepted(claim("ath", expected)),
                post("WPT-8 Authorization: bearer (lower case) <token> → ath is RFC 9449's",
                        Map.of("Authorization", List.of("bearer " + token))).accepted(claim("ath", expected)),
                post("WPT-8 Authorization: DPoP <token> → ath is RFC 9449's",
                        Map.of("Authorization", List.of("DPoP " + token))).accepted(claim("ath", expected)),
                get("WPT-8 no Authorization header → no ath", Fixture.TARGET).accepted(noClaim("ath")),
                get("WPT-8 Authorization: Basic (not an access token) → no ath", Fixture.TARGET,
                        Map.of("Authorization", List.of("Basic dXNlcjpwdw=="))).accepted(noClaim("ath")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wpt9")
    void WPT_9_tthBindsTheTxnToken(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wpt9() {
        return Stream.of(
                get("WPT-9 a Txn-Token header → tth is its hash", Fixture.TARGET, Map.of("Txn-Token", List.of("eyJ.txn.token")))
                        .accepted(claim("tth", Hashes.tokenHash("eyJ.txn.token"))),
                get("WPT-9 no Txn-Token header → no tth", Fixture.TARGET).accepted(noClaim("tth")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wpt10")
    void WPT_10_othBindsConfiguredHeadersByLowerCaseNameAndTrimmedValue(Row row) throws Exception {
        check(row);
    }

    static Stream<Row> wpt10() {
        SignerConfig bindUserAssertion = (x, b) -> b.bindHeader("X-User-Assertion");
        return Stream.of(
                get("WPT-10 the bound header in another case, value padded, and an unbound header → oth has only"
                        + " the lower-case name with the hash of the trimmed value", Fixture.TARGET,
                        Map.of("x-user-ASSERTION", List.of("  abc.def  "), "X-Other", List.of("ignored")))
                        .with(bindUserAssertion)
                        .accepted((x, c) -> {
                            assertThat(c.get("oth").size()).isEqualTo(1);
                            assertThat(c.get("oth").get("x-user-assertion").asText()).isEqualTo(Hashes.tokenHash("abc.def"));
                        }),
                get("WPT-10 the bound header with two values → REPEATED_HEADER", Fixture.TARGET,
                        Map.of("X-User-Assertion", List.of("a", "b")))
                        .with(bindUserAssertion).refused(Reason.REPEATED_HEADER),
                get("WPT-10 binding Authorization (ath's header) → IllegalArgumentException", Fixture.TARGET)
                        .with((x, b) -> b.bindHeader("Authorization")).misuse(IllegalArgumentException.class));
    }

    static ClaimsCheck claim(String name, String expected) {
        return (x, c) -> {
            assertThat(c.has(name)).as("has " + name).isTrue();
            assertThat(c.get(name).asText()).as(name).isEqualTo(expected);
        };
    }

    static ClaimsCheck noClaim(String name) {
        return (x, c) -> assertThat(c.has(name)).as("has " + name).isFalse();
    }
}
