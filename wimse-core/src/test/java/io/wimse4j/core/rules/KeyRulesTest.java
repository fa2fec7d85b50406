package io.wimse4j.core.rules;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.CompactJws;
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
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.NOW;
import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Keys, JWKs and trust bundles: KEY-1..KEY-4, key rotation by kid (C2-1); one table per rule where a rule has several cases. */
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

    /** One row of the KEY-2 table: the key whose signer is paired with the fixture's WIT, and the verdict. */
    record SignerRow(String name, Function<Fixture, WorkloadKeyPair> key, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("key2")
    void KEY_2_credentialsRefuseASignerWhoseKeyIsNotTheWitsConfirmationKey(SignerRow row) throws WimseException {
        Fixture f = new Fixture();
        WorkloadKeyPair key = row.key().apply(f);
        if (row.refusal() != null) {
            assertRejected(() -> WorkloadCredentials.of(f.wit, key.signer()), row.refusal());
        } else {
            WorkloadCredentials creds = WorkloadCredentials.of(f.wit, key.signer());
            assertThat(creds.wit()).isEqualTo(f.wit);
            assertThat(creds.subject()).isEqualTo(f.workload);
        }
    }

    static Stream<SignerRow> key2() {
        return Stream.of(
                new SignerRow("KEY-2 the WIT's own cnf key → credentials for the WIT's subject", x -> x.workloadKey, null),
                new SignerRow("KEY-2 another EdDSA key (the cnf alg, not the cnf key) → INVALID_KEY",
                        x -> WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), Reason.INVALID_KEY),
                new SignerRow("KEY-2 an ES256 key (not the cnf alg) → ALG_MISMATCH",
                        x -> WorkloadKeyPair.generate(JwsAlgorithm.ES256), Reason.ALG_MISMATCH));
    }

    /** One row of the KEY-3 table: when a proof is made with the fixture's credentials, and the verdict. */
    record ExpiryRow(String name, Function<WorkloadCredentials, Instant> at, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("key3")
    void KEY_3_theKeyIsNotUsedOnceItsCredentialHasExpired(ExpiryRow row) throws WimseException {
        Fixture f = new Fixture();
        MutableClock clock = new MutableClock(NOW);
        WorkloadCredentials creds = f.credentials();
        WptCreator creator = WptCreator.create(clock, Duration.ofSeconds(30));
        Instant at = row.at().apply(creds);
        clock.set(at);
        if (row.refusal() != null) {
            assertRejected(() -> creator.create(creds, Fixture.TARGET, ProofBindings.NONE), row.refusal());
        } else {
            String wpt = creator.create(creds, Fixture.TARGET, ProofBindings.NONE);
            assertThat(wpt).isNotBlank();
            assertThat(CompactJws.parse(wpt, 8192).payload().get("iat").asLong()).isEqualTo(at.getEpochSecond());
        }
    }

    static Stream<ExpiryRow> key3() {
        return Stream.of(
                new ExpiryRow("KEY-3 at the fixture's now (credentials valid 1 h) → a WPT", c -> NOW, null),
                new ExpiryRow("KEY-3 one second before the credentials expire → a WPT",
                        c -> c.expiresAt().minusSeconds(1), null),
                new ExpiryRow("KEY-3 exactly when the credentials expire → CREDENTIALS_EXPIRED",
                        WorkloadCredentials::expiresAt, Reason.CREDENTIALS_EXPIRED),
                new ExpiryRow("KEY-3 an hour after the credentials expired → CREDENTIALS_EXPIRED",
                        c -> c.expiresAt().plus(Duration.ofHours(1)), Reason.CREDENTIALS_EXPIRED));
    }

    @Test
    void KEY_4_everyGeneratedKeyIsNew() {
        WorkloadKeyPair a = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        WorkloadKeyPair b = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertThat(a.keyId()).isNotEqualTo(b.keyId());
        assertThat(a.publicJwk()).isNotEqualTo(b.publicJwk());
    }

    /** Two keys of one trust domain: the fixture's issuer key and the next one. */
    record Rotation(Fixture f, WorkloadKeyPair next) {
    }

    /** One row of the rotation table: a WIT checked against a bundle holding both keys, and the verdict. */
    record RotationRow(String name, Function<Rotation, String> wit, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rotation")
    void rotationSeveralKeysPerTrustDomainAreSelectedByKid(RotationRow row) throws WimseException {
        Fixture f = new Fixture();
        Rotation r = new Rotation(f, WorkloadKeyPair.generate(JwsAlgorithm.ES256));
        TrustBundleSet both = TrustBundleSet.of(Fixture.bundle(f.trustDomain, f.issuerKey, r.next()));
        WitVerifier v = WitVerifier.builder().trust(both).clock(f.clock).build();
        String wit = row.wit().apply(r);
        if (row.refusal() != null) {
            assertRejected(() -> v.verify(wit), row.refusal());
        } else {
            assertThat(v.verify(wit).subject()).isEqualTo(f.workload);
        }
    }

    static Stream<RotationRow> rotation() {
        return Stream.of(
                new RotationRow("C2-1 a WIT signed by the current key (its kid) → verified", r -> r.f().wit, null),
                new RotationRow("C2-1 a WIT signed by the next key (its kid) → verified", r -> {
                    try {
                        return WitIssuer.builder().signer(r.next().signer()).trustDomain(r.f().trustDomain).clock(r.f().clock)
                                .build().issue(r.f().workload, r.f().workloadKey.publicJwk()).token();
                    } catch (WimseException e) {
                        throw new IllegalStateException(e);
                    }
                }, null),
                new RotationRow("C2-1 a kid naming no key of the bundle (retired) → UNKNOWN_KEY",
                        r -> r.f().craftWit(h -> h.put("kid", "retired"), Fixture.same()), Reason.UNKNOWN_KEY),
                // a kid naming the other key fails the signature check rather than trying every key
                new RotationRow("C2-1 the current key's signature under the next key's kid → BAD_SIGNATURE (no trying every key)",
                        r -> r.f().craftWit(h -> h.put("kid", r.next().keyId()), Fixture.same()), Reason.BAD_SIGNATURE));
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

    /** One row of a JWKS table: the JWKS made from a fresh ES256 key, and the verdict. */
    record JwksRow(String name, Function<WorkloadKeyPair, String> jwks, Reason refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String OFF_CURVE = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"kXqnA2Op7hgd4zRMbw0iFcc_hDxUxhojxOFVGjE2gks\","
            + "\"y\":\"n__VndPMR021-59UAs0b9qDTFT-EZtT6xSNs_xFskLs\"}";

    static void checkJwks(JwksRow row) throws WimseException {
        TrustDomain td = new TrustDomain("example.org");
        WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String jwks = row.jwks().apply(key);
        if (row.refusal() != null) {
            assertRejected(() -> TrustBundle.fromJwks(td, jwks), row.refusal());
        } else {
            TrustBundle bundle = TrustBundle.fromJwks(td, jwks);
            assertThat(bundle.trustDomain()).isEqualTo(td);
            byte[] msg = "signing input".getBytes(StandardCharsets.US_ASCII);
            assertThat(bundle.select(JwsAlgorithm.ES256, Optional.of(key.keyId()), false)).singleElement()
                    .satisfies(v -> assertThat(v.verify(msg, 0, msg.length, key.signer().sign(msg))).isTrue());
        }
    }

    static JwksRow publicKeyVerifies(String id) {
        return new JwksRow(id + " the key's public JWK → a bundle whose key verifies its signature",
                k -> "{\"keys\":[" + k.publicJwk().toJson() + "]}", null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("key1Jwks")
    void KEY_1_aJwksCarryingPrivateKeyMaterialIsRefused(JwksRow row) throws WimseException {
        checkJwks(row);
    }

    static Stream<JwksRow> key1Jwks() {
        return Stream.of(
                new JwksRow("KEY-1 the key's private JWK (with d) → INVALID_KEY",
                        k -> "{\"keys\":[" + k.privateJwkJson() + "]}", Reason.INVALID_KEY),
                publicKeyVerifies("KEY-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wit1Jwks")
    void WIT_1_trustBundleJwksHoldOnlyAsymmetricPublicKeysOnTheirCurve(JwksRow row) throws WimseException {
        checkJwks(row);
    }

    static Stream<JwksRow> wit1Jwks() {
        return Stream.of(
                new JwksRow("WIT-1 a symmetric (oct) key → INVALID_KEY", k -> "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}",
                        Reason.INVALID_KEY),
                new JwksRow("WIT-1 a P-256 point off the curve → INVALID_KEY", k -> "{\"keys\":[" + OFF_CURVE + "]}",
                        Reason.INVALID_KEY),
                new JwksRow("WIT-1 no key at all → INVALID_KEY", k -> "{\"keys\":[]}", Reason.INVALID_KEY),
                publicKeyVerifies("WIT-1"));
    }
}
