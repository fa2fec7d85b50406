package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.httpsig.HsFixture.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.wimse4j.httpsig.HsFixture.NOW;
import static io.wimse4j.httpsig.HsFixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the verifier refuses (HS-1, HS-2, HS-4, HS-7), each with its own {@link Reason}; one row per
 * mutation, every request signed for real (by the signer, or crafted over the real signature base with a
 * real key), with a control row per table that the same construction is accepted when nothing is wrong.
 */
class HttpSignatureVerifierRulesTest {
    /** The client, its signer, and the server's verifier configuration, fresh per row. */
    static final class Ctx {
        final HsFixture f = new HsFixture();
        final Workload client = f.workload("svc/client", JwsAlgorithm.EdDSA);

        RequestSignature sign(UnaryOperator<HttpSignatureSigner.Builder> config, HttpRequestFacts request) {
            try {
                return config.apply(f.signer(client)).build().signRequest(request, null);
            } catch (WimseException e) {
                throw new AssertionError(e);
            }
        }

        HttpRequestFacts signed() {
            return sign(b -> b, HsFixture.get()).request();
        }

        /** A crafted -07 request signature over {@code input}, by {@code key}, carrying the client's WIT. */
        HttpRequestFacts crafted(String input, WorkloadKeyPair key) {
            return HsFixture.craft(HsFixture.get(), client.wit(), "wimse", input, key.signer());
        }
    }

    record Row(String name, Function<Ctx, HttpRequestFacts> request, BiFunction<Ctx, HttpSignatureVerifier.Builder, HttpSignatureVerifier.Builder> config,
               long verifiedAt, Reason refusal) {
        Row(String name, Function<Ctx, HttpRequestFacts> request, UnaryOperator<HttpSignatureVerifier.Builder> config, long verifiedAt,
            Reason refusal) {
            this(name, request, (c, b) -> config.apply(b), verifiedAt, refusal);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Row refused(String name, Function<Ctx, HttpRequestFacts> request, Reason reason) {
        return new Row(name, request, b -> b, 2, reason);
    }

    static Row refused(String name, UnaryOperator<HttpSignatureVerifier.Builder> config, Function<Ctx, HttpRequestFacts> request,
                       Reason reason) {
        return new Row(name, request, config, 2, reason);
    }

    static Row accepted(String name, UnaryOperator<HttpSignatureVerifier.Builder> config, Function<Ctx, HttpRequestFacts> request) {
        return new Row(name, request, config, 2, null);
    }

    void check(Row row) throws WimseException {
        Ctx c = new Ctx();
        HttpSignatureVerifier v = row.config().apply(c, c.f.verifier(row.verifiedAt())).build();
        HttpRequestFacts request = row.request().apply(c);
        if (row.refusal() != null) {
            assertRejected(() -> v.verifyRequest(request, null), row.refusal());
        } else {
            assertThat(v.verifyRequest(request, null).workload()).as(row.name()).isEqualTo(c.client.id());
        }
    }

    // ---- HS-2: the signature is found by its tag ------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("hs2")
    void HS_2_theWimseSignatureIsFoundByItsTag(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> hs2() {
        return Stream.of(
                accepted("HS-2 control: a crafted signature with the tag, by the cnf key → accepted", b -> b,
                        c -> c.crafted(HsFixture.standardInput("n-control"), c.client.key())),
                refused("HS-2 no Signature-Input or Signature at all (a WIT only) → MISSING_SIGNATURE",
                        c -> HsFixture.add(HsFixture.get(), HttpSignatures.WORKLOAD_IDENTITY_TOKEN, c.client.wit()), Reason.MISSING_SIGNATURE),
                refused("HS-2 no headers at all → MISSING_SIGNATURE", c -> HsFixture.get(), Reason.MISSING_SIGNATURE),
                refused("HS-2 only an untagged signature (by the cnf key) → MISSING_SIGNATURE",
                        c -> c.crafted(HsFixture.standardInput("n-1").replace(";tag=\"" + HttpSignatures.TAG + "\"", ""), c.client.key()),
                        Reason.MISSING_SIGNATURE),
                refused("HS-2 only a signature with another tag → MISSING_SIGNATURE",
                        c -> c.crafted(HsFixture.standardInput("n-1").replace(HttpSignatures.TAG, "other-app"), c.client.key()),
                        Reason.MISSING_SIGNATURE),
                refused("HS-2 the tag as a token, not a string → MISSING_SIGNATURE",
                        c -> c.crafted(HsFixture.standardInput("n-1").replace("\"" + HttpSignatures.TAG + "\"", HttpSignatures.TAG), c.client.key()),
                        Reason.MISSING_SIGNATURE));
    }

    // ---- HS-1: exactly one WIT, not as a bearer token, signed by its cnf key --------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("hs1")
    void HS_1_oneWitOutsideAuthorizationAndASignatureByItsCnfKey(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> hs1() {
        return Stream.of(
                refused("HS-1 the WIT header removed → MISSING_WIT",
                        c -> HsFixture.replace(c.signed(), HttpSignatures.WORKLOAD_IDENTITY_TOKEN), Reason.MISSING_WIT),
                refused("HS-1 the WIT header twice → REPEATED_HEADER",
                        c -> HsFixture.add(c.signed(), "workload-identity-token", c.client.wit()), Reason.REPEATED_HEADER),
                refused("HS-1 the WIT also sent as a bearer token in Authorization (covered) → WIT_AS_BEARER",
                        c -> c.sign(b -> b, HsFixture.request("GET", HsFixture.TARGET).header("Authorization", "Bearer " + c.client.wit()).build())
                                .request(), Reason.WIT_AS_BEARER),
                new Row("HS-1 a WIT longer than the WIT verifier's limit (256 characters) → TOKEN_TOO_LARGE", Ctx::signed,
                        (c, b) -> HttpSignatureVerifier.builder().witVerifier(WitVerifier.builder().trust(c.f.trust())
                                .clock(HsFixture.clockAt(2)).maxTokenLength(256).build()), 2, Reason.TOKEN_TOO_LARGE),
                new Row("HS-1 control: the same WIT verifier with the default limit → accepted", Ctx::signed,
                        (c, b) -> HttpSignatureVerifier.builder().witVerifier(WitVerifier.builder().trust(c.f.trust())
                                .clock(HsFixture.clockAt(2)).build()), 2, null),
                refused("HS-1 signed with another key than the WIT's cnf key → BAD_SIGNATURE",
                        c -> c.crafted(HsFixture.standardInput("n-thief"), WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)), Reason.BAD_SIGNATURE),
                refused("HS-1 one bit of the signature flipped → BAD_SIGNATURE", c -> {
                    HttpRequestFacts s = c.signed();
                    String sig = s.values(HttpSignatures.SIGNATURE).get(0);
                    byte[] bytes = Base64.getDecoder().decode(sig.substring(7, sig.length() - 1));
                    bytes[5] ^= 1;
                    return HsFixture.replace(s, HttpSignatures.SIGNATURE, "wimse=:" + Base64.getEncoder().encodeToString(bytes) + ":");
                }, Reason.BAD_SIGNATURE),
                refused("HS-1 the signature of an ES256 key under an EdDSA cnf.jwk.alg → BAD_SIGNATURE",
                        c -> c.crafted(HsFixture.standardInput("n-es"), WorkloadKeyPair.generate(JwsAlgorithm.ES256)), Reason.BAD_SIGNATURE),
                refused("HS-1 the method changed after signing → BAD_SIGNATURE", c -> {
                    HttpRequestFacts s = c.signed();
                    HttpRequestFacts.Builder b = HttpRequestFacts.builder("DELETE", s.targetUri());
                    s.headers().forEach((n, vs) -> vs.forEach(v -> b.header(n, v)));
                    return b.build();
                }, Reason.BAD_SIGNATURE),
                refused("HS-7 a WIT whose issuer key is not in the trust bundle → UNKNOWN_KEY",
                        c -> {
                            Workload stranger = new HsFixture().workload("svc/client", JwsAlgorithm.EdDSA);
                            return HsFixture.craft(HsFixture.get(), stranger.wit(), "wimse", HsFixture.standardInput("n-s"),
                                    stranger.key().signer());
                        }, Reason.UNKNOWN_KEY),
                refused("HS-1 a keyid parameter → FORBIDDEN_SIGNATURE_PARAMETER",
                        c -> c.crafted(HsFixture.standardInput("n-1") + ";keyid=\"k\"", c.client.key()), Reason.FORBIDDEN_SIGNATURE_PARAMETER),
                refused("HS-1 an alg parameter → FORBIDDEN_SIGNATURE_PARAMETER",
                        c -> c.crafted(HsFixture.standardInput("n-1") + ";alg=\"ed25519\"", c.client.key()), Reason.FORBIDDEN_SIGNATURE_PARAMETER));
    }

    // ---- HS-4: audience and times ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("hs4")
    void HS_4_audienceAndTimesOfTheSignature(Row row) throws WimseException {
        check(row);
    }

    static Stream<Row> hs4() {
        String configured = "https://orders.example.org/";
        return Stream.of(
                refused("HS-4 acceptTargetUri(false): wimse-aud the target URI, not a configured audience → AUDIENCE_MISMATCH",
                        b -> b.audience(configured).acceptTargetUri(false), Ctx::signed, Reason.AUDIENCE_MISMATCH),
                accepted("HS-4 acceptTargetUri(false): wimse-aud a configured audience → accepted",
                        b -> b.audience(configured).acceptTargetUri(false),
                        c -> signedFor(c, configured)),
                accepted("HS-4 the target URI itself (default) → accepted", b -> b, Ctx::signed),
                refused("HS-4 signed for another resource's URI (default check) → AUDIENCE_MISMATCH",
                        b -> b, c -> signedFor(c, "https://api.example.org/orders/8"), Reason.AUDIENCE_MISMATCH),
                refused("HS-4 signed for the same path at another host → AUDIENCE_MISMATCH",
                        b -> b, c -> signedFor(c, "https://evil.example.net/orders/7"), Reason.AUDIENCE_MISMATCH),
                refused("HS-4 no wimse-aud → MISSING_SIGNATURE_PARAMETER",
                        c -> c.crafted(HsFixture.standardInput("n-1").replaceFirst(";wimse-aud=\"[^\"]*\"", ""), c.client.key()),
                        Reason.MISSING_SIGNATURE_PARAMETER),
                refused("HS-4 no expires → MISSING_SIGNATURE_PARAMETER",
                        c -> c.crafted(HsFixture.standardInput("n-1").replaceFirst(";expires=[0-9]+", ""), c.client.key()),
                        Reason.MISSING_SIGNATURE_PARAMETER),
                refused("HS-4 a 5-minute signature, verifier maximum 60 s → LIFETIME_TOO_LONG",
                        b -> b.maxSignatureLifetime(Duration.ofSeconds(60)),
                        c -> c.sign(b -> b.lifetime(Duration.ofMinutes(5)), HsFixture.get()).request(), Reason.LIFETIME_TOO_LONG),
                accepted("HS-4 a 60-s signature, verifier maximum 60 s → accepted",
                        b -> b.maxSignatureLifetime(Duration.ofSeconds(60)), Ctx::signed),
                refused("HS-4 expires not after created → MALFORMED_SIGNATURE",
                        c -> c.crafted(HsFixture.standardInput("n-1", NOW.getEpochSecond(), NOW.getEpochSecond(), HsFixture.TARGET_AUDIENCE),
                                c.client.key()), Reason.MALFORMED_SIGNATURE),
                new Row("HS-4 verified at expires plus the 60-s leeway → EXPIRED", Ctx::signed, b -> b, 60 + 60, Reason.EXPIRED),
                new Row("HS-4 verified one second before expires plus the leeway → accepted", Ctx::signed, b -> b, 60 + 59, null),
                new Row("HS-4 created more than the leeway ahead → ISSUED_IN_FUTURE", Ctx::signed, b -> b, -61, Reason.ISSUED_IN_FUTURE),
                new Row("HS-4 created within the leeway ahead → accepted", Ctx::signed, b -> b, -60, null));
    }

    private static HttpRequestFacts signedFor(Ctx c, String audience) {
        try {
            return c.f.signer(c.client).build().signRequest(HsFixture.get(), null, audience).request();
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }

    // ---- HS-3: profiles ------------------------------------------------------------------------------------

    @Test
    void HS_3_aVerifierOfOneProfileRefusesTheOther() throws Exception {
        Ctx c = new Ctx();
        HttpRequestFacts v07 = c.signed();
        HttpRequestFacts v06 = c.sign(b -> b.profile(SignatureProfile.DRAFT_06), HsFixture.get()).request();
        assertRejected(() -> c.f.verifier().profiles(Set.of(SignatureProfile.DRAFT_06)).build().verifyRequest(v07, null),
                Reason.UNCOVERED_COMPONENT);
        assertRejected(() -> c.f.verifier().profiles(Set.of(SignatureProfile.DRAFT_07)).build().verifyRequest(v06, null),
                Reason.UNCOVERED_COMPONENT);
        assertThat(c.f.verifier().profiles(Set.of(SignatureProfile.DRAFT_06)).build().verifyRequest(v06, null).profile())
                .isEqualTo(SignatureProfile.DRAFT_06);
    }

    // ---- builder validation --------------------------------------------------------------------------------

    @Test
    void contradictoryOrMissingVerifierSettingsAreRefusedAtBuild() {
        HsFixture f = new HsFixture();
        WitVerifier wits = WitVerifier.builder().trust(f.trust()).clock(f.clock).build();
        assertThatThrownBy(() -> HttpSignatureVerifier.builder().build()).as("no trust").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HttpSignatureVerifier.builder().trust(f.trust()).witVerifier(wits).build()).as("both")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HttpSignatureVerifier.builder().witVerifier(wits).clock(f.clock).build()).as("clock with witVerifier")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HttpSignatureVerifier.builder().witVerifier(wits).leeway(Duration.ofSeconds(5)).build())
                .as("leeway with witVerifier").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.verifier().disableReplayProtection().replayCache((k, e) -> true).build())
                .as("no replay protection and a replay cache").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.verifier().acceptTargetUri(false).build()).as("HS-4 acceptTargetUri(false) without audience")
                .isInstanceOf(IllegalStateException.class);
        assertThat(f.verifier().acceptTargetUri(false).audience("https://api.example.org/").build()).isNotNull();
        assertThat(HttpSignatureVerifier.builder().witVerifier(wits).build()).isNotNull();
    }

    @Test
    void verifierBoundsAreChecked() {
        HsFixture f = new HsFixture();
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(999), Duration.ofHours(1).plusSeconds(1)}) {
            assertThatThrownBy(() -> f.verifier().maxSignatureLifetime(bad)).as(bad.toString()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(f.verifier().maxSignatureLifetime(HttpSignatureVerifier.MAX_MAX_LIFETIME).build()).isNotNull();
        assertThatThrownBy(() -> f.verifier().audience(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.verifier().audience(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.verifier().profiles(Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.verifier().leeway(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.verifier().build().profiles()).containsExactlyInAnyOrder(SignatureProfile.values());
    }
}
