package io.wimse4j.core.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitProfile;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALG-2, the verifier: WITs checked against a SPIFFE bundle, with the default profile and with
 * {@link WitProfile#SPIFFE_WIT_SVID} (the SPIFFE standard {@code WIT-SVID.md}). One row per rule: the
 * token is built from a valid WIT-SVID by one change, signed by one of the bundle's keys.
 */
class WitSvidProfileRulesTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String SPIFFE_ID = "spiffe://example.org/ns/orders/sa/api";
    /** The bundle's keys; the Ed25519 one is a wit-svid key too, so only the profile refuses it. */
    static final WorkloadKeyPair WIT_KEY = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final WorkloadKeyPair WIT_ED_KEY = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
    static final WorkloadKeyPair JWT_KEY = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final WorkloadKeyPair X509_KEY = WorkloadKeyPair.generate(JwsAlgorithm.ES384);
    static final WorkloadKeyPair WORKLOAD_KEY = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final WorkloadKeyPair WORKLOAD_ED_KEY = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);

    /** A SPIFFE bundle entry: the key's public JWK with {@code use} (and {@code kid} unless null). */
    static ObjectNode entry(WorkloadKeyPair key, String use, String kid) {
        ObjectNode e = MAPPER.valueToTree(key.publicJwk().toMap());
        e.put("use", use);
        e.remove("alg");
        e.remove("kid");
        if (kid != null) {
            e.put("kid", kid);
        }
        return e;
    }

    static String spiffeBundle() {
        ObjectNode b = MAPPER.createObjectNode();
        b.putArray("keys").add(entry(X509_KEY, "x509-svid", null)).add(entry(JWT_KEY, "jwt-svid", JWT_KEY.keyId()))
                .add(entry(WIT_KEY, "wit-svid", WIT_KEY.keyId())).add(entry(WIT_ED_KEY, "wit-svid", WIT_ED_KEY.keyId()));
        return b.put("spiffe_sequence", 3).put("spiffe_refresh_hint", 300).toString();
    }

    static TrustBundle bundle() {
        try {
            return TrustBundle.fromSpiffeBundle(TD, spiffeBundle());
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same keys as a plain JWKS (use sig): not a source of WIT-SVID keys. */
    static TrustBundle plainBundle() {
        return Fixture.bundle(TD, WIT_KEY, WIT_ED_KEY);
    }

    /** A WIT-SVID as the standard's Appendix A shapes it, signed by {@code signer}, after {@code change}. */
    static String witSvid(WorkloadKeyPair signer, Consumer<ObjectNode> headerChange, Consumer<ObjectNode> claimsChange) {
        ObjectNode header = MAPPER.createObjectNode().put("alg", signer.algorithm().jwaName()).put("kid", signer.keyId())
                .put("typ", "wit+jwt");
        ObjectNode claims = MAPPER.createObjectNode().put("sub", SPIFFE_ID)
                .put("iat", Fixture.NOW.getEpochSecond()).put("exp", Fixture.NOW.getEpochSecond() + 3600)
                .put("jti", "1yj19V4McOAzMcFi7qvsg_AgCxlrY5E_x509wlKKQtc");
        claims.putObject("cnf").set("jwk", MAPPER.valueToTree(WORKLOAD_KEY.publicJwk().toMap()));
        headerChange.accept(header);
        claimsChange.accept(claims);
        return RawJws.signRaw(signer.signer(), header.toString(), claims.toString());
    }

    static String witSvid() {
        return witSvid(WIT_KEY, h -> { }, c -> { });
    }

    static WitVerifier verifier(WitProfile profile, TrustBundle bundle) {
        return WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(Fixture.fixedClock()).profile(profile).build();
    }

    /** One row: the token, the bundle, the profile, and the verdict (null reason: accepted). */
    record Row(String name, String token, Function<Void, TrustBundle> bundle, WitProfile profile, Reason reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, String token, WitProfile profile, Reason reason, String detail) {
        return new Row(name, token, v -> bundle(), profile, reason, detail);
    }

    static Stream<Row> rows() {
        WitProfile svid = WitProfile.SPIFFE_WIT_SVID;
        WitProfile wimse = WitProfile.WIMSE;
        return Stream.of(
                row("ALG-2 a WIT-SVID signed by the bundle's wit-svid key → accepted (profile WIT-SVID)", witSvid(), svid, null, null),
                row("ALG-2 the same WIT-SVID → accepted (default profile)", witSvid(), wimse, null, null),
                row("ALG-2 signed by the bundle's jwt-svid key, with its kid → UNKNOWN_KEY (a JWT-SVID key never verifies a WIT)",
                        witSvid(JWT_KEY, h -> { }, c -> { }), wimse, Reason.UNKNOWN_KEY, "names a jwt-svid entry"),
                row("ALG-2 signed by the bundle's jwt-svid key, with its kid → UNKNOWN_KEY (profile WIT-SVID)",
                        witSvid(JWT_KEY, h -> { }, c -> { }), svid, Reason.UNKNOWN_KEY, "never verifies a WIT"),
                row("ALG-2 signed by the bundle's jwt-svid key, without kid → BAD_SIGNATURE (only the wit-svid key is tried)",
                        witSvid(JWT_KEY, h -> h.remove("kid"), c -> { }), wimse, Reason.BAD_SIGNATURE, "does not verify"),
                row("ALG-2 signed by the x509-svid entry's key → UNKNOWN_KEY (no ES384 WIT key)",
                        witSvid(X509_KEY, h -> h.remove("kid"), c -> { }), wimse, Reason.UNKNOWN_KEY, "has no ES384 key"),
                row("ALG-2 WIT-SVID 2.1 no kid → KID_REQUIRED", witSvid(WIT_KEY, h -> h.remove("kid"), c -> { }), svid,
                        Reason.KID_REQUIRED, "has no 'kid'"),
                row("ALG-2 no kid, default profile → accepted (one ES256 WIT key, C2-1)", witSvid(WIT_KEY, h -> h.remove("kid"), c -> { }),
                        wimse, null, null),
                row("ALG-2 WIT-SVID 2.2 typ application/wit+jwt → WRONG_TYP",
                        witSvid(WIT_KEY, h -> h.put("typ", "application/wit+jwt"), c -> { }), svid, Reason.WRONG_TYP, "exactly wit+jwt"),
                row("ALG-2 typ application/wit+jwt, default profile → accepted (WIT-2)",
                        witSvid(WIT_KEY, h -> h.put("typ", "application/wit+jwt"), c -> { }), wimse, null, null),
                row("ALG-2 WIT-SVID 2.2 typ WIT+JWT → WRONG_TYP", witSvid(WIT_KEY, h -> h.put("typ", "WIT+JWT"), c -> { }), svid,
                        Reason.WRONG_TYP, "exactly wit+jwt"),
                row("ALG-2 WIT-SVID 2.3 alg EdDSA (a wit-svid key) → UNSUPPORTED_ALG", witSvid(WIT_ED_KEY, h -> { }, c -> { }), svid,
                        Reason.UNSUPPORTED_ALG, "'alg' EdDSA is not accepted"),
                row("ALG-2 alg EdDSA, default profile → accepted", witSvid(WIT_ED_KEY, h -> { }, c -> { }), wimse, null, null),
                row("ALG-2 WIT-SVID 3.1 sub a wimse:// identifier → INVALID_IDENTIFIER",
                        witSvid(WIT_KEY, h -> { }, c -> c.put("sub", "wimse://example.org/svc")), svid, Reason.INVALID_IDENTIFIER,
                        "must be a SPIFFE ID"),
                row("ALG-2 sub a wimse:// identifier, default profile → accepted",
                        witSvid(WIT_KEY, h -> { }, c -> c.put("sub", "wimse://example.org/svc")), wimse, null, null),
                row("ALG-2 WIT-SVID 3.2 cnf.jwk.alg EdDSA → UNSUPPORTED_ALG",
                        witSvid(WIT_KEY, h -> { }, c -> c.putObject("cnf").set("jwk", MAPPER.valueToTree(WORKLOAD_ED_KEY.publicJwk().toMap()))),
                        svid, Reason.UNSUPPORTED_ALG, "'cnf.jwk.alg' EdDSA"),
                row("ALG-2 WIT-SVID 3.4 no exp → MISSING_CLAIM", witSvid(WIT_KEY, h -> { }, c -> c.remove("exp")), svid,
                        Reason.MISSING_CLAIM, "exp"),
                row("ALG-2 WIT-SVID 3.8 aud present → INVALID_CLAIM",
                        witSvid(WIT_KEY, h -> { }, c -> c.put("aud", "https://api.example.org")), svid, Reason.INVALID_CLAIM,
                        "must not carry 'aud'"),
                row("ALG-2 WIT-SVID 3.2 no cnf → MISSING_CLAIM", witSvid(WIT_KEY, h -> { }, c -> c.remove("cnf")), svid,
                        Reason.MISSING_CLAIM, "cnf.jwk"),
                new Row("ALG-2 WIT-SVID 6.2 the same keys in a plain JWKS → UNTRUSTED_TRUST_DOMAIN (keys only from wit-svid entries)",
                        witSvid(), v -> plainBundle(), svid, Reason.UNTRUSTED_TRUST_DOMAIN, "not a SPIFFE bundle"),
                new Row("ALG-2 the same keys in a plain JWKS, default profile → accepted", witSvid(), v -> plainBundle(), wimse,
                        null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void ALG_2_witSvidProfileRules(Row row) throws WimseException {
        WitVerifier v = verifier(row.profile(), row.bundle().apply(null));
        if (row.reason() == null) {
            assertThat(v.verify(row.token()).subject().trustDomain()).isEqualTo(TD);
        } else {
            assertThatThrownBy(() -> v.verify(row.token())).isInstanceOfSatisfying(WimseException.class, e -> {
                assertThat(e.reason()).as(e.detail()).isEqualTo(row.reason());
                assertThat(e.detail()).contains(row.detail());
            });
        }
    }

    /** One row of the builder table: a setting combined with the profile, and the refusal's message. */
    record Setting(String name, Function<WitVerifier.Builder, WitVerifier.Builder> change, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Setting> settings() {
        return Stream.of(
                new Setting("ALG-2 audiences(...) contradict the WIT-SVID profile (no aud)", b -> b.audiences(Set.of("https://a")),
                        "audiences(...)"),
                new Setting("ALG-2 algorithms of which the WIT-SVID profile allows none",
                        b -> b.algorithms(Set.of(JwsAlgorithm.EdDSA)), "algorithms(...) [EdDSA]"),
                new Setting("ALG-2 proof algorithms of which the WIT-SVID profile allows none",
                        b -> b.proofAlgorithms(Set.of(JwsAlgorithm.EdDSA)), "proofAlgorithms(...) [EdDSA]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void ALG_2_theBuilderRefusesSettingsThatContradictTheWitSvidProfile(Setting row) {
        WitVerifier.Builder b = WitVerifier.builder().trust(TrustBundleSet.of(bundle())).profile(WitProfile.SPIFFE_WIT_SVID);
        assertThatThrownBy(() -> row.change().apply(b).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(row.message());
        // the same setting without the profile builds
        assertThat(row.change().apply(WitVerifier.builder().trust(TrustBundleSet.of(bundle()))).build().profile())
                .isEqualTo(WitProfile.WIMSE);
    }

    @Test
    void ALG_2_theWitSvidProfileNarrowsWiderSettingsInsteadOfLoosening() throws WimseException {
        // what a caller forwarding its own defaults passes (RequestVerifier does): all algorithms, requireKid(false)
        WitVerifier v = WitVerifier.builder().trust(TrustBundleSet.of(bundle())).clock(Fixture.fixedClock())
                .algorithms(Set.of(JwsAlgorithm.values())).proofAlgorithms(WitVerifier.DEFAULT_PROOF_ALGORITHMS)
                .requireKid(false).audiences(Set.of()).profile(WitProfile.SPIFFE_WIT_SVID).build();
        assertThat(v.verify(witSvid()).subject().value()).isEqualTo(SPIFFE_ID);
        assertRejected(() -> v.verify(witSvid(WIT_ED_KEY, h -> { }, c -> { })), Reason.UNSUPPORTED_ALG);
        assertRejected(() -> v.verify(witSvid(WIT_KEY, h -> h.remove("kid"), c -> { })), Reason.KID_REQUIRED);
        assertRejected(() -> v.verify(witSvid(WIT_KEY, h -> { },
                c -> c.putObject("cnf").set("jwk", MAPPER.valueToTree(WORKLOAD_ED_KEY.publicJwk().toMap())))), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void ALG_2_theWitSvidProfileAllowsOnlyRsaAndEcdsa() {
        assertThat(WitProfile.SPIFFE_WIT_SVID.algorithms())
                .containsExactlyInAnyOrder(JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.PS256, JwsAlgorithm.RS256);
        assertThat(WitProfile.WIMSE.algorithms()).containsExactlyInAnyOrder(JwsAlgorithm.values());
    }
}
