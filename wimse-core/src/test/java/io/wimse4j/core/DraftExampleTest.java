package io.wimse4j.core;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.testkit.DraftExample;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.wimse4j.testkit.DraftExample.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Known-answer test: the drafts' example request verifies at its stated instant. */
class DraftExampleTest {

    static RequestVerifier verifierAt(Instant now) {
        return RequestVerifier.builder().trust(DraftExample.trust()).clock(clockAt(now)).build();
    }

    @Test
    void exampleRequestVerifiesAtItsInstant() throws WimseException {
        VerifiedCaller caller = verifierAt(VALID_AT).verify(requestBuilder().build());
        assertThat(caller.workload().value()).isEqualTo("wimse://example.com/specific-workload");
        assertThat(caller.trustDomain().name()).isEqualTo("example.com");
        assertThat(caller.accessTokenBound()).isTrue();
        assertThat(caller.proof().jwtId()).isEqualTo(root().at("/expected/wpt_jti").asText());
        assertThat(caller.proof().expiresAt()).isEqualTo(WPT_EXP);
        assertThat(caller.wit().expiresAt()).isEqualTo(WIT_EXP);
    }

    @Test
    void expectedHashesMatch() {
        assertThat(Hashes.tokenHash(WIT)).isEqualTo(root().at("/expected/wth").asText());
        assertThat(Hashes.tokenHash("16_mAd0GiwaZokU26_0902100")).isEqualTo(root().at("/expected/ath").asText());
        assertThat(Hashes.tokenHash(root().at("/rfc9449_ath_example/access_token").asText()))
                .isEqualTo(root().at("/rfc9449_ath_example/ath").asText());
    }

    @Test
    void exampleIsExpiredAfterItsExpPlusLeeway() {
        assertThatThrownBy(() -> verifierAt(WPT_EXP.plusSeconds(61)).verify(requestBuilder().build()))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }

    // ---- single mutations of the example, each with its reason ----

    static void assertExampleRejected(io.wimse4j.core.request.HttpRequestFacts facts, Reason reason) {
        io.wimse4j.testkit.Fixture.assertRejected(() -> verifierAt(VALID_AT).verify(facts), reason);
    }

    static io.wimse4j.core.key.WorkloadKeyPair workloadKey() throws WimseException {
        return io.wimse4j.core.key.WorkloadKeyPair.fromPrivateJwk(workloadPrivateJwk(), io.wimse4j.core.jose.JwsAlgorithm.EdDSA);
    }

    static io.wimse4j.core.key.WorkloadKeyPair issuerKey() throws WimseException {
        return io.wimse4j.core.key.WorkloadKeyPair.fromPrivateJwk(issuerPrivateJwk(), io.wimse4j.core.jose.JwsAlgorithm.ES256);
    }

    /** Re-signs the example WPT with the workload key after editing its header and claims. */
    static String resignedWpt(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> header,
                              java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> claims) throws WimseException {
        io.wimse4j.core.internal.CompactJws jws = io.wimse4j.core.internal.CompactJws.parse(WPT, 8192);
        var h = jws.header().deepCopy();
        var c = jws.payload().deepCopy();
        header.accept(h);
        claims.accept(c);
        return io.wimse4j.testkit.RawJws.signRaw(workloadKey().signer(), h.toString(), c.toString());
    }

    @Test
    void resigningTheExampleUnchangedStillVerifies() throws WimseException {
        String wpt = resignedWpt(h -> { }, c -> { });
        assertThat(verifierAt(VALID_AT).verify(requestWith("Workload-Proof-Token", wpt)).workload().value()).isEqualTo(SUBJECT);
    }

    @Test
    void mutationFlippedSignatureByte() {
        assertExampleRejected(requestWith("Workload-Proof-Token", io.wimse4j.testkit.RawJws.flipSignatureBit(WPT)), Reason.BAD_SIGNATURE);
        assertExampleRejected(requestWith("Workload-Identity-Token", io.wimse4j.testkit.RawJws.flipSignatureBit(WIT)), Reason.BAD_SIGNATURE);
    }

    @Test
    void mutationExpPassed() {
        io.wimse4j.testkit.Fixture.assertRejected(() -> verifierAt(WPT_EXP.plusSeconds(61)).verify(requestBuilder().build()), Reason.EXPIRED);
        io.wimse4j.testkit.Fixture.assertRejected(() -> verifierAt(WIT_EXP.plusSeconds(61)).verify(requestBuilder().build()), Reason.EXPIRED);
    }

    @Test
    void mutationAnotherAud() throws WimseException {
        assertExampleRejected(requestWith("Workload-Proof-Token",
                resignedWpt(h -> { }, c -> c.put("aud", "https://workload.example.com/other"))), Reason.AUDIENCE_MISMATCH);
        io.wimse4j.core.request.RequestVerifier elsewhere = RequestVerifier.builder().trust(DraftExample.trust()).clock(clockAt(VALID_AT))
                .acceptTargetUri(false).audience("https://elsewhere.example.com/path").build();
        io.wimse4j.testkit.Fixture.assertRejected(() -> elsewhere.verify(requestBuilder().build()), Reason.AUDIENCE_MISMATCH);
    }

    @Test
    void mutationSwappedWit() throws WimseException {
        // a genuine WIT for the same workload and key, minted anew by the example Identity Server
        String otherWit = io.wimse4j.core.wit.WitIssuer.builder().signer(issuerKey().signer()).trustDomain(TRUST_DOMAIN)
                .clock(clockAt(VALID_AT)).build()
                .issue(io.wimse4j.core.id.WorkloadIdentifier.parse(SUBJECT), workloadKey().publicJwk()).token();
        String matchingWpt = resignedWpt(h -> { }, c -> c.put("wth", io.wimse4j.core.internal.Hashes.tokenHash(otherWit)));
        var control = io.wimse4j.core.request.HttpRequestFacts.builder(METHOD, java.net.URI.create(TARGET))
                .header("Workload-Identity-Token", otherWit).header("Workload-Proof-Token", matchingWpt)
                .header("Authorization", "Bearer 16_mAd0GiwaZokU26_0902100").build();
        assertThat(verifierAt(VALID_AT).verify(control).workload().value()).isEqualTo(SUBJECT);
        assertExampleRejected(requestWith("Workload-Identity-Token", otherWit), Reason.WTH_MISMATCH);
    }

    @Test
    void mutationAthMismatch() {
        assertExampleRejected(requestWith("Authorization", "Bearer 16_mAd0GiwaZokU26_0902101"), Reason.ATH_MISMATCH);
        assertExampleRejected(requestWith("Authorization", null), Reason.ATH_MISMATCH);
    }

    @Test
    void mutationRepeatedWptHeader() {
        assertExampleRejected(requestBuilder().header("workload-proof-token", WPT).build(), Reason.REPEATED_HEADER);
    }

    @Test
    void mutationChangedTyp() throws WimseException {
        assertExampleRejected(requestWith("Workload-Proof-Token", resignedWpt(h -> h.put("typ", "jwt"), c -> { })), Reason.WRONG_TYP);
        String unsignedChange = io.wimse4j.core.internal.Base64Url.encode("{\"alg\":\"EdDSA\",\"typ\":\"dpop+jwt\"}".getBytes())
                + WPT.substring(WPT.indexOf('.'));
        assertExampleRejected(requestWith("Workload-Proof-Token", unsignedChange), Reason.WRONG_TYP);
    }

    @Test
    void mutationChangedAlg() {
        String es256 = io.wimse4j.core.internal.Base64Url.encode("{\"alg\":\"ES256\",\"typ\":\"wpt+jwt\"}".getBytes())
                + WPT.substring(WPT.indexOf('.'));
        assertExampleRejected(requestWith("Workload-Proof-Token", es256), Reason.ALG_MISMATCH);
        String none = io.wimse4j.core.internal.Base64Url.encode("{\"alg\":\"none\",\"typ\":\"wpt+jwt\"}".getBytes())
                + WPT.substring(WPT.indexOf('.'));
        assertExampleRejected(requestWith("Workload-Proof-Token", none), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void exampleFromAnotherTrustDomainsAnchorsFails() throws WimseException {
        io.wimse4j.core.key.WorkloadKeyPair other = io.wimse4j.core.key.WorkloadKeyPair.generate(io.wimse4j.core.jose.JwsAlgorithm.ES256);
        RequestVerifier v = RequestVerifier.builder().clock(clockAt(VALID_AT))
                .trust(io.wimse4j.core.key.TrustBundleSet.of(io.wimse4j.testkit.Fixture.bundle(TRUST_DOMAIN, other))).build();
        io.wimse4j.testkit.Fixture.assertRejected(() -> v.verify(requestBuilder().build()), Reason.UNKNOWN_KEY);
    }
}
