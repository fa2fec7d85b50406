package io.wimse4j.core.rules;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Keys, JWKs and trust bundles: KEY-1..KEY-4, key rotation by kid. */
class KeyRulesTest {

    @ParameterizedTest
    @EnumSource(JwsAlgorithm.class)
    void privateJwkRoundTripsAndSignsVerifiably(JwsAlgorithm alg) throws WimseException {
        WorkloadKeyPair key = WorkloadKeyPair.generate(alg);
        WorkloadKeyPair back = WorkloadKeyPair.fromPrivateJwk(key.privateJwkJson(), null);
        assertThat(back.algorithm()).isEqualTo(alg);
        assertThat(back.keyId()).isEqualTo(key.keyId());
        assertThat(back.publicJwk()).isEqualTo(key.publicJwk());
        assertThat(key.publicJwk().algorithmName().orElseThrow()).isEqualTo(alg.jwaName());
        byte[] msg = "signing input".getBytes(StandardCharsets.US_ASCII);
        TrustBundle bundle = Fixture.bundle(new TrustDomain("example.org"), key);
        assertThat(bundle.select(alg, Optional.of(key.keyId()), false)).singleElement()
                .satisfies(v -> assertThat(v.verify(msg, 0, msg.length, back.signer().sign(msg))).isTrue());
    }

    @Test
    void KEY_1_privateKeyMaterialIsNeverShownOrPublished() {
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String d = (String) key.publicJwk().toMap().get("d");
        assertThat(d).isNull();
        assertThat(key.toString()).doesNotContain(key.privateJwkJson().substring(key.privateJwkJson().indexOf("\"d\"")));
        assertThat(key.signer().toString()).doesNotContain("\"d\"");
        assertThat(key.privateJwkJson()).contains("\"d\"");
    }

    @Test
    void KEY_2_credentialsRefuseASignerWhoseKeyIsNotTheWitsConfirmationKey() {
        Fixture f = new Fixture();
        WorkloadKeyPair other = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertRejected(() -> WorkloadCredentials.of(f.wit, other.signer()), Reason.INVALID_KEY);
        WorkloadKeyPair otherAlg = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        assertRejected(() -> WorkloadCredentials.of(f.wit, otherAlg.signer()), Reason.ALG_MISMATCH);
    }

    @Test
    void KEY_3_theKeyIsNotUsedOnceItsCredentialHasExpired() throws WimseException {
        Fixture f = new Fixture();
        MutableClock clock = new MutableClock(NOW);
        WorkloadCredentials creds = f.credentials();
        WptCreator creator = WptCreator.create(clock, Duration.ofSeconds(30));
        assertThat(creator.create(creds, Fixture.TARGET, ProofBindings.NONE)).isNotBlank();
        clock.set(creds.expiresAt());
        assertRejected(() -> creator.create(creds, Fixture.TARGET, ProofBindings.NONE), Reason.CREDENTIALS_EXPIRED);
    }

    @Test
    void KEY_4_everyGeneratedKeyIsNew() {
        WorkloadKeyPair a = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        WorkloadKeyPair b = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertThat(a.keyId()).isNotEqualTo(b.keyId());
        assertThat(a.publicJwk()).isNotEqualTo(b.publicJwk());
    }

    @Test
    void rotationSeveralKeysPerTrustDomainAreSelectedByKid() throws WimseException {
        Fixture f = new Fixture();
        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        TrustBundleSet both = TrustBundleSet.of(Fixture.bundle(f.trustDomain, f.issuerKey, next));
        WitVerifier v = WitVerifier.builder().trust(both).clock(f.clock).build();
        String byNext = WitIssuer.builder().signer(next.signer()).trustDomain(f.trustDomain).clock(f.clock).build()
                .issue(f.workload, f.workloadKey.publicJwk()).token();
        assertThat(v.verify(f.wit).subject()).isEqualTo(f.workload);
        assertThat(v.verify(byNext).subject()).isEqualTo(f.workload);
        assertRejected(() -> v.verify(f.craftWit(h -> h.put("kid", "retired"), Fixture.same())), Reason.UNKNOWN_KEY);
        // a kid naming the other key fails the signature check rather than trying every key
        assertRejected(() -> v.verify(f.craftWit(h -> h.put("kid", next.keyId()), Fixture.same())), Reason.BAD_SIGNATURE);
    }

    @Test
    void rotationReplacingTheBundleInvalidatesCachedWits() throws WimseException {
        Fixture f = new Fixture();
        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        AtomicReference<TrustBundle> current = new AtomicReference<>(Fixture.bundle(f.trustDomain, f.issuerKey));
        WitVerifier v = WitVerifier.builder().clock(f.clock)
                .trust(td -> td.equals(f.trustDomain) ? Optional.of(current.get()) : Optional.empty()).build();
        assertThat(v.verify(f.wit).subject()).isEqualTo(f.workload);
        current.set(Fixture.bundle(f.trustDomain, next));
        assertRejected(() -> v.verify(f.wit), Reason.UNKNOWN_KEY);
    }

    @Test
    void cachedWitsStillExpireByTheInjectedClock() throws WimseException {
        Fixture f = new Fixture();
        MutableClock clock = new MutableClock(NOW);
        WitVerifier v = WitVerifier.builder().trust(f.trust()).clock(clock).build();
        assertThat(v.verify(f.wit).expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofHours(1).plusSeconds(61));
        assertRejected(() -> v.verify(f.wit), Reason.EXPIRED);
    }

    @Test
    void jwksRejectsPrivateSymmetricAndOffCurveKeys() {
        TrustDomain td = new TrustDomain("example.org");
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        assertRejected(() -> TrustBundle.fromJwks(td, "{\"keys\":[" + key.privateJwkJson() + "]}"), Reason.INVALID_KEY);
        assertRejected(() -> TrustBundle.fromJwks(td, "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}"), Reason.INVALID_KEY);
        String offCurve = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"kXqnA2Op7hgd4zRMbw0iFcc_hDxUxhojxOFVGjE2gks\","
                + "\"y\":\"n__VndPMR021-59UAs0b9qDTFT-EZtT6xSNs_xFskLs\"}";
        assertRejected(() -> TrustBundle.fromJwks(td, "{\"keys\":[" + offCurve + "]}"), Reason.INVALID_KEY);
        assertRejected(() -> TrustBundle.fromJwks(td, "{\"keys\":[]}"), Reason.INVALID_KEY);
    }
}
