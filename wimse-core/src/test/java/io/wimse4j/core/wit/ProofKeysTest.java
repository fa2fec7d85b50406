package io.wimse4j.core.wit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;
import java.util.function.Consumer;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prepared confirmation keys ({@link ProofKeys}): kept by key material apart from the WIT cache,
 * reused by a WIT that is not cached, and never a way around a check of {@code cnf.jwk}.
 */
class ProofKeysTest {
    private static WitVerifier uncached(Fixture f, int keyCacheSize) {
        return WitVerifier.builder().trust(f.trust()).clock(f.clock).cacheSize(0).keyCacheSize(keyCacheSize).build();
    }

    /** The fixture's WIT with another {@code jti}: a renewed WIT with the same key. */
    private static String renewed(Fixture f, String jti) {
        return f.craftWit(same(), c -> c.put("jti", jti));
    }

    /** The fixture's WIT with its {@code cnf.jwk} edited. */
    private static String withJwk(Fixture f, Consumer<ObjectNode> edit) {
        return f.craftWit(same(), c -> edit.accept((ObjectNode) c.get("cnf").get("jwk")));
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "EdDSA"})
    void WIT_7_aRenewedWitWithTheSameKeyReusesThePreparedKey(JwsAlgorithm workloadAlg) throws Exception {
        Fixture f = new Fixture(JwsAlgorithm.ES256, workloadAlg);
        WitVerifier v = uncached(f, 100);
        VerifiedWit first = v.verify(renewed(f, "one"));
        VerifiedWit second = v.verify(renewed(f, "two"));
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.proofVerifier()).isSameAs(first.proofVerifier());
        assertThat(second.confirmationKey()).isSameAs(first.confirmationKey());
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "EdDSA"})
    void WIT_7_withoutAKeyCacheEveryWitPreparesItsKey(JwsAlgorithm workloadAlg) throws Exception {
        Fixture f = new Fixture(JwsAlgorithm.ES256, workloadAlg);
        WitVerifier v = uncached(f, 0);
        VerifiedWit first = v.verify(renewed(f, "one"));
        VerifiedWit second = v.verify(renewed(f, "two"));
        assertThat(second.proofVerifier()).isNotSameAs(first.proofVerifier());
        assertThat(second.confirmationKey()).isEqualTo(first.confirmationKey());
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "EdDSA"})
    void WIT_7_theSameKeyWithOtherMembersKeepsItsOwnMembersAndSharesTheVerifier(JwsAlgorithm workloadAlg) throws Exception {
        Fixture f = new Fixture(JwsAlgorithm.ES256, workloadAlg);
        WitVerifier v = uncached(f, 100);
        VerifiedWit plain = v.verify(renewed(f, "one"));
        VerifiedWit withKid = v.verify(withJwk(f, jwk -> jwk.put("kid", "k2")));
        assertThat(withKid.confirmationKey().keyId()).contains("k2");
        assertThat(plain.confirmationKey().keyId()).isNotEqualTo(Optional.of("k2"));
        assertThat(withKid.proofVerifier()).isSameAs(plain.proofVerifier());
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "EdDSA"})
    void WIT_7_aCachedKeyDoesNotExcuseAnEncryptionUse(JwsAlgorithm workloadAlg) throws Exception {
        Fixture f = new Fixture(JwsAlgorithm.ES256, workloadAlg);
        WitVerifier v = uncached(f, 100);
        v.verify(renewed(f, "one"));
        String forEncryption = withJwk(f, jwk -> jwk.put("use", "enc"));
        assertRejected(() -> v.verify(forEncryption), Reason.INVALID_CNF_KEY);
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "EdDSA"})
    void WIT_8_aCachedKeyUnderAnotherAlgIsCheckedAgain(JwsAlgorithm workloadAlg) throws Exception {
        Fixture f = new Fixture(JwsAlgorithm.ES256, workloadAlg);
        WitVerifier v = uncached(f, 100);
        v.verify(renewed(f, "one"));
        String es384 = withJwk(f, jwk -> jwk.put("alg", "ES384"));
        assertRejected(() -> v.verify(es384), Reason.INVALID_CNF_KEY);
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "EdDSA"})
    void WIT_7_onlyKeysOfVerifiedWitsArePrepared(JwsAlgorithm workloadAlg) throws Exception {
        Fixture f = new Fixture(JwsAlgorithm.ES256, workloadAlg);
        WitVerifier v = uncached(f, 100);
        String forged = f.craftWit(WorkloadKeyPair.generate(JwsAlgorithm.ES256).signer(), same(), same());
        assertRejected(() -> v.verify(forged), Reason.BAD_SIGNATURE);
        assertThat(v.proofKeys().size()).isZero();
        v.verify(renewed(f, "one"));
        assertThat(v.proofKeys().size()).isEqualTo(1);
    }
}
