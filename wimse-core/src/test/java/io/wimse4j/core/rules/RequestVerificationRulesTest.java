package io.wimse4j.core.rules;

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
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.TARGET;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a recipient must check: V-1..V-14, SEC-2, SEC-4. */
class RequestVerificationRulesTest {
    final Fixture f = new Fixture();
    final RequestVerifier verifier = f.verifier().build();

    @Test
    void V_1_exactlyOneProofHeaderAndOneWitHeader() {
        String wpt = f.wpt(ProofBindings.NONE);
        assertRejected(() -> verifier.verify(HttpRequestFacts.builder("GET", URI.create(TARGET))
                .header("Workload-Identity-Token", f.wit).build()), Reason.MISSING_WPT);
        assertRejected(() -> verifier.verify(HttpRequestFacts.builder("GET", URI.create(TARGET))
                .header("Workload-Proof-Token", wpt).build()), Reason.MISSING_WIT);
        assertRejected(() -> verifier.verify(f.request(f.wit, wpt).header("workload-proof-token", wpt).build()), Reason.REPEATED_HEADER);
        assertRejected(() -> verifier.verify(f.request(f.wit, wpt).header("Workload-Identity-Token", f.wit).build()), Reason.REPEATED_HEADER);
    }

    @Test
    void V_2_theProofIsASingleWellFormedJwt() {
        String wpt = f.wpt(ProofBindings.NONE);
        assertRejected(() -> verifier.verify(f.request(f.wit, wpt.substring(0, wpt.lastIndexOf('.'))).build()), Reason.MALFORMED_TOKEN);
        assertRejected(() -> verifier.verify(f.request(f.wit, wpt + "." + wpt).build()), Reason.MALFORMED_TOKEN);
        assertRejected(() -> verifier.verify(f.request(f.wit, wpt + ", " + wpt).build()), Reason.MALFORMED_TOKEN);
        assertRejected(() -> verifier.verify(f.request(f.wit, "").build()), Reason.MALFORMED_TOKEN);
        assertRejected(() -> verifier.verify(f.request(f.wit, " " + wpt).build()), Reason.BAD_ENCODING);
    }

    @Test
    void V_3_algMustStringEqualTheWitsCnfAlg() {
        WorkloadKeyPair es = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String esProof = f.craftWpt(es.signer(), f.wit, h -> h.put("alg", "ES256"), same());
        assertRejected(() -> verifier.verify(f.request(f.wit, esProof).build()), Reason.ALG_MISMATCH);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, h -> h.put("alg", "none"), same())).build()),
                Reason.UNSUPPORTED_ALG);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, h -> h.put("alg", "eddsa"), same())).build()),
                Reason.UNSUPPORTED_ALG);
    }

    @Test
    void V_4_theSignatureMustVerifyWithTheWitsCnfKey() throws WimseException {
        WorkloadKeyPair thief = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String stolen = f.craftWpt(thief.signer(), f.wit, same(), same());
        assertRejected(() -> verifier.verify(f.request(f.wit, stolen).build()), Reason.BAD_SIGNATURE);
        assertRejected(() -> verifier.verify(f.request(f.wit, Fixture.flipSignatureBit(f.wpt(ProofBindings.NONE))).build()),
                Reason.BAD_SIGNATURE);
        assertThat(verifier.verify(f.request(f.wit, f.craftWpt(f.wit, same(), same())).build()).workload()).isEqualTo(f.workload);
    }

    @Test
    void V_5_typMustBeWptJwt() throws WimseException {
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, h -> h.put("typ", "wit+jwt"), same())).build()),
                Reason.WRONG_TYP);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, h -> h.remove("typ"), same())).build()),
                Reason.WRONG_TYP);
        String prefixed = f.craftWpt(f.wit, h -> h.put("typ", "Application/WPT+JWT"), same());
        assertThat(verifier.verify(f.request(f.wit, prefixed).build()).workload()).isEqualTo(f.workload);
    }

    @Test
    void V_6_audMustBeTheTargetUriOrAnAcceptedAlias() throws WimseException {
        // query and fragment of the target are ignored
        HttpRequestFacts withQuery = HttpRequestFacts.builder("GET", URI.create(TARGET + "?page=2"))
                .header("Workload-Identity-Token", f.wit).header("Workload-Proof-Token", f.wpt(ProofBindings.NONE)).build();
        assertThat(verifier.verify(withQuery).workload()).isEqualTo(f.workload);
        // normalization: case of scheme and host, default port
        String normalized = f.craftWpt(f.wit, same(), c -> c.put("aud", "HTTPS://API.example.org:443/orders"));
        assertThat(verifier.verify(f.request(f.wit, normalized).build()).workload()).isEqualTo(f.workload);
        // another target
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt("https://api.example.org/payments", ProofBindings.NONE)).build()),
                Reason.AUDIENCE_MISMATCH);
        // a path differing only in case is another resource
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt("https://api.example.org/Orders", ProofBindings.NONE)).build()),
                Reason.AUDIENCE_MISMATCH);
        // an agreed alias
        RequestVerifier alias = f.verifier().audience("wimse://example.org/svc/orders").build();
        assertThat(alias.verify(f.request(f.wit, f.wpt("wimse://example.org/svc/orders", ProofBindings.NONE)).build()).workload())
                .isEqualTo(f.workload);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt("wimse://example.org/svc/orders", ProofBindings.NONE)).build()),
                Reason.AUDIENCE_MISMATCH);
        // more than one audience is refused (SEC-3)
        String two = f.craftWpt(f.wit, same(), c -> c.putArray("aud").add(TARGET).add("https://other.example"));
        assertRejected(() -> verifier.verify(f.request(f.wit, two).build()), Reason.AUDIENCE_MISMATCH);
        String one = f.craftWpt(f.wit, same(), c -> c.putArray("aud").add(TARGET));
        assertThat(verifier.verify(f.request(f.wit, one).build()).proof().audience()).isEqualTo(TARGET);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, same(), c -> c.remove("aud"))).build()),
                Reason.MISSING_CLAIM);
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

    @Test
    void V_7_expRequiredNotPassedAndNotTooFarAhead() throws WimseException {
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, same(), c -> c.remove("exp"))).build()),
                Reason.MISSING_CLAIM);
        String inLeeway = f.craftWpt(f.wit, same(), c -> c.put("exp", NOW.getEpochSecond() - 59).put("iat", NOW.getEpochSecond() - 90));
        assertThat(verifier.verify(f.request(f.wit, inLeeway).build()).workload()).isEqualTo(f.workload);
        // C2-5: exactly at exp + leeway the proof is expired
        String past = f.craftWpt(f.wit, same(), c -> c.put("exp", NOW.getEpochSecond() - 60).put("iat", NOW.getEpochSecond() - 90));
        assertRejected(() -> verifier.verify(f.request(f.wit, past).build()), Reason.EXPIRED);
        String farAhead = f.craftWpt(f.wit, same(), c -> { c.remove("iat"); c.put("exp", NOW.getEpochSecond() + 361); });
        assertRejected(() -> verifier.verify(f.request(f.wit, farAhead).build()), Reason.LIFETIME_TOO_LONG);
        String longLived = f.craftWpt(f.wit, same(), c -> c.put("iat", NOW.getEpochSecond() - 3600).put("exp", NOW.getEpochSecond() + 60));
        assertRejected(() -> verifier.verify(f.request(f.wit, longLived).build()), Reason.LIFETIME_TOO_LONG);
        RequestVerifier lenient = f.verifier().maxProofLifetime(Duration.ofMinutes(10)).build();
        assertThat(lenient.verify(f.request(f.wit, farAhead).build()).workload()).isEqualTo(f.workload);
        String future = f.craftWpt(f.wit, same(), c -> c.put("iat", NOW.getEpochSecond() + 120).put("exp", NOW.getEpochSecond() + 150));
        assertRejected(() -> verifier.verify(f.request(f.wit, future).build()), Reason.ISSUED_IN_FUTURE);
        assertThatThrownBy(() -> f.verifier().leeway(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.verifier().maxProofLifetime(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void V_8_wthMustBeTheHashOfThePresentedWit() {
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, same(), c -> c.remove("wth"))).build()),
                Reason.WTH_MISSING);
        String otherWit = f.craftWit(same(), c -> c.put("jti", "another"));
        assertRejected(() -> verifier.verify(f.request(otherWit, f.wpt(ProofBindings.NONE)).build()), Reason.WTH_MISMATCH);
    }

    @Test
    void V_9_aReplayedJtiIsRejectedButARejectedProofDoesNotConsumeIt() throws WimseException {
        HttpRequestFacts request = f.validRequest();
        assertThat(verifier.verify(request).workload()).isEqualTo(f.workload);
        assertRejected(() -> verifier.verify(request), Reason.REPLAY);

        InMemoryReplayCache shared = new InMemoryReplayCache(1000, f.clock);
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
        InMemoryReplayCache cache = new InMemoryReplayCache(1000, f.clock);
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

    @Test
    void V_10_athMustMatchThePresentedAccessToken() throws WimseException {
        String token = "2YotnFZFEjr1zCsicMWpAA";
        VerifiedCaller ok = verifier.verify(f.request(f.wit, f.wpt(ProofBindings.accessToken(token)))
                .header("Authorization", "Bearer " + token).build());
        assertThat(ok.accessTokenBound()).isTrue();
        assertThat(verifier.verify(f.request(f.wit, f.wpt(ProofBindings.accessToken(token)))
                .header("Authorization", "DPoP " + token).build()).accessTokenBound()).isTrue();
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(ProofBindings.NONE))
                .header("Authorization", "Bearer " + token).build()), Reason.ATH_MISSING);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(ProofBindings.accessToken(token)))
                .header("Authorization", "Bearer other").build()), Reason.ATH_MISMATCH);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(ProofBindings.accessToken(token))).build()), Reason.ATH_MISMATCH);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(ProofBindings.accessToken(token)))
                .header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token).build()), Reason.REPEATED_HEADER);
        assertThat(verifier.verify(f.request(f.wit, f.wpt(ProofBindings.NONE)).header("Authorization", "Basic dTpw").build())
                .accessTokenBound()).isFalse();
    }

    @Test
    void V_11_tthMustMatchThePresentedTxnToken() throws WimseException {
        ProofBindings txn = new ProofBindings(Optional.empty(), Optional.of("txn.token.value"), Map.of());
        assertThat(verifier.verify(f.request(f.wit, f.wpt(txn)).header("Txn-Token", "txn.token.value").build()).txnTokenBound()).isTrue();
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(ProofBindings.NONE)).header("Txn-Token", "txn.token.value").build()),
                Reason.TTH_MISSING);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(txn)).header("Txn-Token", "other").build()), Reason.TTH_MISMATCH);
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(txn)).build()), Reason.TTH_MISMATCH);
    }

    @Test
    void V_12_othMustMatchEachBoundHeaderAndRequiredHeadersMustBeBound() throws WimseException {
        RequestVerifier v = f.verifier().othPolicy(OthPolicy.builder().required("X-User-Assertion").optional("x-tenant").build()).build();
        ProofBindings user = new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-user-assertion", "u.s.er"));
        VerifiedCaller ok = v.verify(f.request(f.wit, f.wpt(user)).header("X-User-Assertion", " u.s.er ").header("X-Tenant", "t1").build());
        assertThat(ok.boundHeaders()).containsExactly("x-user-assertion");
        assertRejected(() -> v.verify(f.request(f.wit, f.wpt(ProofBindings.NONE)).header("X-User-Assertion", "u.s.er").build()),
                Reason.OTH_MISSING);
        assertRejected(() -> v.verify(f.request(f.wit, f.wpt(user)).header("X-User-Assertion", "forged").build()), Reason.OTH_MISMATCH);
        assertRejected(() -> v.verify(f.request(f.wit, f.wpt(user)).build()), Reason.OTH_MISMATCH);
        assertRejected(() -> v.verify(f.request(f.wit, f.wpt(user)).header("X-User-Assertion", "u.s.er")
                .header("X-User-Assertion", "u.s.er").build()), Reason.REPEATED_HEADER);
        RequestVerifier joined = f.verifier().othPolicy(OthPolicy.builder()
                .add("x-user-assertion", new OthPolicy.Rule(true, true)).build()).build();
        ProofBindings both = new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-user-assertion", "a, b"));
        assertThat(joined.verify(f.request(f.wit, f.wpt(both)).header("X-User-Assertion", "a").header("X-User-Assertion", "b").build())
                .boundHeaders()).containsExactly("x-user-assertion");
    }

    @Test
    void V_13_anOthEntryTheRecipientDoesNotUnderstandRejectsTheProof() throws WimseException {
        ProofBindings unknown = new ProofBindings(Optional.empty(), Optional.empty(), Map.of("x-custom", "v"));
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wpt(unknown)).header("X-Custom", "v").build()), Reason.OTH_UNKNOWN_ENTRY);
        // headers not covered by oth are not reported as bound
        assertThat(verifier.verify(f.request(f.wit, f.wpt(ProofBindings.NONE)).header("X-Custom", "v").build()).boundHeaders()).isEmpty();
        assertRejected(() -> verifier.verify(f.request(f.wit, f.craftWpt(f.wit, same(), c -> c.put("oth", "x"))).build()),
                Reason.INVALID_CLAIM);
    }

    @Test
    void V_14_everyReasonHasAStableProblemTypeTitleAndA400Or503Status() {
        Set<String> codes = new HashSet<>();
        for (Reason r : Reason.values()) {
            assertThat(r.code()).isEqualTo(r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            assertThat(r.problemType()).isEqualTo(io.wimse4j.core.error.ProblemType.typeOf(r.code()));
            assertThat(codes.add(r.code())).isTrue();
            assertThat(r.title()).isNotBlank();
            assertThat(r.httpStatus()).isEqualTo(r == Reason.REPLAY_CACHE_UNAVAILABLE ? 503 : 400);
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
        ReplayCache shared = new InMemoryReplayCache(1000, f.clock);
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
