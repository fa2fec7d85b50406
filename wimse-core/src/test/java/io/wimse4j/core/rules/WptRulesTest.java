package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.testkit.DraftExample;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a sender puts in a Workload Proof Token: WPT-1..WPT-10. */
class WptRulesTest {
    final Fixture f = new Fixture();

    RequestSigner signer(String... bind) {
        RequestSigner.Builder b = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator());
        for (String h : bind) {
            b.bindHeader(h);
        }
        return b.build();
    }

    static ObjectNode claims(String wpt) throws WimseException {
        return CompactJws.parse(wpt, 8192).payload();
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

    @Test
    void WPT_2_algIsTheWitsCnfAlg() throws WimseException {
        for (JwsAlgorithm alg : JwsAlgorithm.values()) {
            Fixture g = new Fixture(JwsAlgorithm.ES256, alg);
            assertThat(CompactJws.parse(g.wpt(ProofBindings.NONE), 8192).algorithmName()).isEqualTo(alg.jwaName());
        }
    }

    @Test
    void WPT_3_typIsWptJwt() throws WimseException {
        assertThat(CompactJws.parse(f.wpt(ProofBindings.NONE), 8192).header().get("typ").asText()).isEqualTo("wpt+jwt");
    }

    @Test
    void WPT_4_audIsTheTargetUriWithoutQueryAndFragment() throws WimseException {
        RequestSigner.SignedHeaders h = signer().sign("GET", URI.create("https://api.example.org:8443/orders/7?expand=all#top"), Map.of());
        assertThat(claims(h.workloadProofToken()).get("aud").asText()).isEqualTo("https://api.example.org:8443/orders/7");
        RequestSigner alias = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials())).proofCreator(f.creator())
                .audience(u -> "wimse://example.org/svc/orders").build();
        assertThat(claims(alias.sign("GET", URI.create(Fixture.TARGET), Map.of()).workloadProofToken()).get("aud").asText())
                .isEqualTo("wimse://example.org/svc/orders");
    }

    @Test
    void WPT_5_expIsShortDefaultSixtySecondsAndCapped() throws WimseException {
        ObjectNode c = claims(f.wpt(ProofBindings.NONE));
        assertThat(c.get("exp").asLong() - c.get("iat").asLong()).isEqualTo(60);
        assertThat(c.get("iat").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThatThrownBy(() -> WptCreator.create(f.clock, Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WptCreator.create(f.clock, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
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

    @Test
    void WPT_7_wthIsTheHashOfTheWit() throws WimseException {
        assertThat(claims(f.wpt(ProofBindings.NONE)).get("wth").asText())
                .isEqualTo(Hashes.tokenHash(f.wit))
                .isEqualTo(Base64Url.encode(java.security.MessageDigest.class.cast(sha256()).digest(f.wit.getBytes())));
        assertThat(Hashes.tokenHash(DraftExample.WIT)).isEqualTo(DraftExample.root().at("/expected/wth").asText());
    }

    private static Object sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void WPT_8_athBindsTheRequestsBearerOrDpopAccessToken() throws WimseException {
        String token = DraftExample.root().at("/rfc9449_ath_example/access_token").asText();
        String expected = DraftExample.root().at("/rfc9449_ath_example/ath").asText();
        for (String scheme : List.of("Bearer ", "bearer ", "DPoP ")) {
            ObjectNode c = claims(signer().sign("POST", URI.create(Fixture.TARGET),
                    Map.of("Authorization", List.of(scheme + token))).workloadProofToken());
            assertThat(c.get("ath").asText()).isEqualTo(expected);
        }
        assertThat(claims(signer().sign("GET", URI.create(Fixture.TARGET), Map.of()).workloadProofToken()).has("ath")).isFalse();
        assertThat(claims(signer().sign("GET", URI.create(Fixture.TARGET),
                Map.of("Authorization", List.of("Basic dXNlcjpwdw=="))).workloadProofToken()).has("ath")).isFalse();
    }

    @Test
    void WPT_9_tthBindsTheTxnToken() throws WimseException {
        ObjectNode c = claims(signer().sign("GET", URI.create(Fixture.TARGET),
                Map.of("Txn-Token", List.of("eyJ.txn.token"))).workloadProofToken());
        assertThat(c.get("tth").asText()).isEqualTo(Hashes.tokenHash("eyJ.txn.token"));
    }

    @Test
    void WPT_10_othBindsConfiguredHeadersByLowerCaseNameAndTrimmedValue() throws WimseException {
        ObjectNode c = claims(signer("X-User-Assertion").sign("GET", URI.create(Fixture.TARGET),
                Map.of("x-user-ASSERTION", List.of("  abc.def  "), "X-Other", List.of("ignored"))).workloadProofToken());
        assertThat(c.get("oth").size()).isEqualTo(1);
        assertThat(c.get("oth").get("x-user-assertion").asText()).isEqualTo(Hashes.tokenHash("abc.def"));
        assertRejected(() -> signer("X-User-Assertion").sign("GET", URI.create(Fixture.TARGET),
                Map.of("X-User-Assertion", List.of("a", "b"))), Reason.REPEATED_HEADER);
        assertThatThrownBy(() -> RequestSigner.builder().bindHeader("Authorization")).isInstanceOf(IllegalArgumentException.class);
    }
}
