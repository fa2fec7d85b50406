package io.wimse4j.core.interop;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Interoperability with jose4j, an independent JOSE implementation, both ways: tokens made by
 * wimse4j verify under jose4j's {@link JwtConsumer}, and tokens built by hand with jose4j's
 * {@link JsonWebSignature} verify under wimse4j's {@link RequestVerifier}; tampered ones fail with
 * the specific {@link Reason}. Rules: WIT-1, WIT-2, WIT-7, WIT-8, WPT-2, WPT-3, WPT-7, WPT-8, V-3..V-8, V-10.
 *
 * <p>ALG-1: jose4j 0.9.6 (the version this build uses) knows Ed25519 only under its RFC 8037 name
 * {@code EdDSA} ({@code AlgorithmIdentifiers.EDDSA}); it has no algorithm named {@code Ed25519},
 * RFC 9864's fully-specified name, so it can neither verify nor make a token with that header and
 * the tables below have no {@code Ed25519} rows. {@link #ALG_1_jose4jKnowsNoAlgorithmNamedEd25519}
 * pins that: when a jose4j release adds the name, the test fails and the rows can be added.
 */
class Jose4jInteropTest {
    private static final TrustDomain DOMAIN = new TrustDomain("example.org");
    private static final String SUBJECT = "wimse://example.org/a";
    private static final String ISSUER = "https://issuer.example.org";
    private static final String TARGET = "https://service.example/path";
    private static final String ACCESS_TOKEN = "tok-8f3a1c";

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

    // ---------------------------------------------------------------- wimse4j -> jose4j

    /** A WIT and WPT issued by wimse4j. */
    private record WimseTokens(WorkloadKeyPair issuerKey, WorkloadKeyPair workloadKey, String wit, String wpt) {
    }

    private WimseTokens wimseTokens(JwsAlgorithm issuerAlg, JwsAlgorithm workloadAlg) throws WimseException {
        WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(issuerAlg);
        WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(workloadAlg);
        String wit = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(DOMAIN).issuer(ISSUER).clock(clock).build()
                .issue(WorkloadIdentifier.parse(SUBJECT), workloadKey.publicJwk(), Duration.ofHours(1), Map.of())
                .token();
        String wpt = WptCreator.create(clock, Duration.ofSeconds(60))
                .create(WorkloadCredentials.of(wit, workloadKey.signer()), TARGET, ProofBindings.accessToken(ACCESS_TOKEN));
        return new WimseTokens(issuerKey, workloadKey, wit, wpt);
    }

    private JwtConsumer jose4jWitConsumer(java.security.Key issuerPublicKey, String alg) {
        return new JwtConsumerBuilder()
                .setVerificationKey(issuerPublicKey)
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, alg)
                .setExpectedType(true, "wit+jwt")
                .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedSubject(SUBJECT)
                .setExpectedIssuer(ISSUER)
                .setRequireJwtId()
                .build();
    }

    private JwtConsumer jose4jWptConsumer(java.security.Key cnfKey, String alg) {
        return new JwtConsumerBuilder()
                .setVerificationKey(cnfKey)
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, alg)
                .setExpectedType(true, "wpt+jwt")
                .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setExpectedAudience(TARGET)
                .build();
    }

    @ParameterizedTest(name = "issuer {0}, workload {1}")
    @CsvSource({"ES256, EdDSA", "EdDSA, ES256", "ES256, ES256", "EdDSA, EdDSA"})
    void wimse4jTokensVerifyUnderJose4j(JwsAlgorithm issuerAlg, JwsAlgorithm workloadAlg) throws Exception {
        WimseTokens t = wimseTokens(issuerAlg, workloadAlg);

        // WIT with the issuer's public key, typ wit+jwt (WIT-1, WIT-2)
        JsonWebKey issuerJwk = JsonWebKey.Factory.newJwk(t.issuerKey().publicJwk().toJson());
        JwtContext wit = jose4jWitConsumer(issuerJwk.getKey(), issuerAlg.jwaName()).process(t.wit());
        assertThat(wit.getJoseObjects().get(0).getHeader("typ")).isEqualTo("wit+jwt");
        assertThat(wit.getJoseObjects().get(0).getAlgorithmHeaderValue()).isEqualTo(issuerAlg.jwaName());
        assertThat(wit.getJoseObjects().get(0).getKeyIdHeaderValue()).isEqualTo(t.issuerKey().keyId());
        JwtClaims witClaims = wit.getJwtClaims();
        assertThat(witClaims.getExpirationTime().getValue()).isEqualTo(now.plus(Duration.ofHours(1)).getEpochSecond());

        // cnf.jwk: the workload's public key, with alg (WIT-7, WIT-8), no private members
        Map<String, Object> cnf = witClaims.getClaimValue("cnf", Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> cnfJwkMap = (Map<String, Object>) cnf.get("jwk");
        assertThat(cnfJwkMap).containsEntry("alg", workloadAlg.jwaName()).doesNotContainKeys("d", "p", "q");
        PublicJsonWebKey cnfJwk = PublicJsonWebKey.Factory.newPublicJwk(cnfJwkMap);
        assertThat(cnfJwk.getPublicKey().getEncoded())
                .isEqualTo(JsonWebKey.Factory.newJwk(t.workloadKey().publicJwk().toJson()).getKey().getEncoded());

        // WPT with the cnf key, alg = cnf.jwk.alg, typ wpt+jwt (WPT-2, WPT-3, V-3..V-7)
        JwtContext wpt = jose4jWptConsumer(cnfJwk.getKey(), (String) cnfJwkMap.get("alg")).process(t.wpt());
        assertThat(wpt.getJoseObjects().get(0).getHeader("typ")).isEqualTo("wpt+jwt");
        assertThat(wpt.getJoseObjects().get(0).getAlgorithmHeaderValue()).isEqualTo(cnfJwkMap.get("alg"));
        JwtClaims wptClaims = wpt.getJwtClaims();
        assertThat(wptClaims.getAudience()).containsExactly(TARGET);
        assertThat(wptClaims.getJwtId()).isNotBlank();
        // wth / ath recomputed independently (WPT-7, WPT-8)
        assertThat(wptClaims.getStringClaimValue("wth")).isEqualTo(sha256b64url(t.wit()));
        assertThat(wptClaims.getStringClaimValue("ath")).isEqualTo(sha256b64url(ACCESS_TOKEN));
    }

    @Test
    void jose4jRejectsAWimse4jWptWhosePayloadWasChanged() throws Exception {
        WimseTokens t = wimseTokens(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
        String tampered = replacePayload(t.wpt(), claimsOf(t.wpt()).replace(TARGET, "https://evil.example/path"));
        JsonWebKey cnf = JsonWebKey.Factory.newJwk(t.workloadKey().publicJwk().toJson());
        JwtConsumer consumer = new JwtConsumerBuilder().setVerificationKey(cnf.getKey())
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, "EdDSA").setExpectedType(true, "wpt+jwt")
                .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
                .setExpectedAudience("https://evil.example/path").build();
        assertThatThrownBy(() -> consumer.process(tampered))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("signature");
    }

    /**
     * ES256 signatures are r||s with each half left-padded to 32 bytes; about 1 in 256 values of
     * r or s needs the padding. Sign until a few padded halves have been seen (capped).
     */
    @Test
    void manyWimse4jEs256ProofsAllVerifyUnderJose4j() throws Exception {
        WimseTokens t = wimseTokens(JwsAlgorithm.ES256, JwsAlgorithm.ES256);
        WorkloadCredentials credentials = WorkloadCredentials.of(t.wit(), t.workloadKey().signer());
        WptCreator creator = WptCreator.create(clock, Duration.ofSeconds(60));
        JwtConsumer consumer = jose4jWptConsumer(
                JsonWebKey.Factory.newJwk(t.workloadKey().publicJwk().toJson()).getKey(), "ES256");
        int shortHalves = 0;
        for (int i = 0; i < 6000 && shortHalves < 3; i++) {
            String wpt = creator.create(credentials, TARGET, ProofBindings.accessToken(ACCESS_TOKEN));
            byte[] sig = Base64.getUrlDecoder().decode(wpt.substring(wpt.lastIndexOf('.') + 1));
            assertThat(sig).hasSize(64);
            shortHalves += (sig[0] == 0 ? 1 : 0) + (sig[32] == 0 ? 1 : 0);
            assertThat(consumer.process(wpt).getJwtClaims().getStringClaimValue("wth")).isEqualTo(sha256b64url(t.wit()));
        }
        assertThat(shortHalves).as("proofs whose r or s starts with a zero byte").isPositive();
    }

    @Test
    void ALG_1_jose4jKnowsNoAlgorithmNamedEd25519() throws Exception {
        WimseTokens t = wimseTokens(JwsAlgorithm.ES256, JwsAlgorithm.Ed25519);
        java.security.Key cnf = JsonWebKey.Factory.newJwk(t.workloadKey().publicJwk().toJson()).getKey();
        // a wimse4j proof named Ed25519: jose4j has no algorithm of that name to verify it with
        assertThatThrownBy(() -> jose4jWptConsumer(cnf, "Ed25519").process(t.wpt()))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("Ed25519");
        // permitting only EdDSA refuses the Ed25519 header as not permitted
        assertThatThrownBy(() -> jose4jWptConsumer(cnf, "EdDSA").process(t.wpt()))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("Ed25519");
        // and jose4j cannot make one either
        PublicJsonWebKey key = jose4jKey("EdDSA");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{}");
        jws.setKey(key.getPrivateKey());
        jws.setAlgorithmHeaderValue("Ed25519");
        assertThatThrownBy(jws::getCompactSerialization).isInstanceOf(JoseException.class).hasMessageContaining("Ed25519");
    }

    // ---------------------------------------------------------------- jose4j -> wimse4j

    /** Keys and tokens built by hand with jose4j. */
    private record Jose4jTokens(PublicJsonWebKey issuerKey, PublicJsonWebKey workloadKey, JsonWebKeySet jwks,
                                String wit, String wpt) {
    }

    private static PublicJsonWebKey jose4jKey(String alg) throws JoseException {
        PublicJsonWebKey k = switch (alg) {
            case "ES256" -> EcJwkGenerator.generateJwk(EllipticCurves.P256);
            case "EdDSA" -> OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
            default -> throw new IllegalArgumentException(alg);
        };
        k.setAlgorithm(alg);
        k.setUse("sig");
        k.setKeyId(k.calculateBase64urlEncodedThumbprint("SHA-256"));
        return k;
    }

    private String jose4jWit(PublicJsonWebKey issuerKey, String typ, PublicJsonWebKey workloadKey) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(SUBJECT);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofHours(1)).getEpochSecond()));
        claims.setGeneratedJwtId();
        claims.setClaim("cnf", Map.of("jwk", workloadKey.toParams(OutputControlLevel.PUBLIC_ONLY)));
        return sign(claims, issuerKey, typ, true);
    }

    private String jose4jWpt(PublicJsonWebKey signingKey, String typ, String wit, String accessToken) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setAudience(TARGET);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plusSeconds(60).getEpochSecond()));
        claims.setGeneratedJwtId();
        claims.setStringClaim("wth", sha256b64url(wit));
        claims.setStringClaim("ath", sha256b64url(accessToken));
        return sign(claims, signingKey, typ, false);
    }

    private static String sign(JwtClaims claims, PublicJsonWebKey key, String typ, boolean withKid) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        if (withKid) {
            jws.setKeyIdHeaderValue(key.getKeyId());
        }
        jws.setHeader("typ", typ);
        return jws.getCompactSerialization();
    }

    private Jose4jTokens jose4jTokens(String issuerAlg, String workloadAlg) throws JoseException {
        PublicJsonWebKey issuerKey = jose4jKey(issuerAlg);
        PublicJsonWebKey workloadKey = jose4jKey(workloadAlg);
        String wit = jose4jWit(issuerKey, "wit+jwt", workloadKey);
        String wpt = jose4jWpt(workloadKey, "wpt+jwt", wit, ACCESS_TOKEN);
        return new Jose4jTokens(issuerKey, workloadKey, new JsonWebKeySet(issuerKey), wit, wpt);
    }

    private RequestVerifier wimseVerifier(JsonWebKeySet jwks) throws WimseException {
        String json = jwks.toJson(OutputControlLevel.PUBLIC_ONLY);
        return RequestVerifier.builder().trust(TrustBundleSet.of(TrustBundle.fromJwks(DOMAIN, json))).clock(clock).build();
    }

    private static HttpRequestFacts request(String wit, String wpt, String accessToken) {
        return HttpRequestFacts.builder("GET", URI.create(TARGET))
                .header("Workload-Identity-Token", wit)
                .header("Workload-Proof-Token", wpt)
                .header("Authorization", "Bearer " + accessToken)
                .build();
    }

    @ParameterizedTest(name = "issuer {0}, workload {1}")
    @CsvSource({"ES256, EdDSA", "EdDSA, ES256", "ES256, ES256", "EdDSA, EdDSA"})
    void jose4jTokensVerifyUnderWimse4j(String issuerAlg, String workloadAlg) throws Exception {
        Jose4jTokens t = jose4jTokens(issuerAlg, workloadAlg);
        VerifiedCaller caller = wimseVerifier(t.jwks()).verify(request(t.wit(), t.wpt(), ACCESS_TOKEN));
        assertThat(caller.workload().value()).isEqualTo(SUBJECT);
        assertThat(caller.trustDomain()).isEqualTo(DOMAIN);
        assertThat(caller.accessTokenBound()).isTrue();
        assertThat(caller.wit().expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(caller.proof().audience()).isEqualTo(TARGET);
        assertThat(caller.proof().jwtId()).isEqualTo(claimsObject(t.wpt()).getJwtId());
    }

    @Test
    void manyJose4jEs256ProofsAllVerifyUnderWimse4j() throws Exception {
        Jose4jTokens t = jose4jTokens("ES256", "ES256");
        RequestVerifier verifier = wimseVerifier(t.jwks());
        int shortHalves = 0;
        for (int i = 0; i < 6000 && shortHalves < 3; i++) {
            String wpt = jose4jWpt(t.workloadKey(), "wpt+jwt", t.wit(), ACCESS_TOKEN);
            byte[] sig = Base64.getUrlDecoder().decode(wpt.substring(wpt.lastIndexOf('.') + 1));
            shortHalves += (sig[0] == 0 ? 1 : 0) + (sig[32] == 0 ? 1 : 0);
            assertThat(verifier.verify(request(t.wit(), wpt, ACCESS_TOKEN)).proof().jwtId())
                    .isEqualTo(claimsObject(wpt).getJwtId());
        }
        assertThat(shortHalves).as("proofs whose r or s starts with a zero byte").isPositive();
    }

    @Test
    void witWithSubjectChangedAfterSigningIsBadSignature() throws Exception {
        Jose4jTokens t = jose4jTokens("ES256", "EdDSA");
        String forged = replacePayload(t.wit(), claimsOf(t.wit()).replace(SUBJECT, "wimse://example.org/admin"));
        assertThat(claimsObject(forged).getSubject()).isEqualTo("wimse://example.org/admin");
        String wpt = jose4jWpt(t.workloadKey(), "wpt+jwt", forged, ACCESS_TOKEN);
        assertReason(t.jwks(), request(forged, wpt, ACCESS_TOKEN), Reason.BAD_SIGNATURE);
    }

    @Test
    void wptRebindToAnotherAccessTokenAfterSigningIsBadSignature() throws Exception {
        Jose4jTokens t = jose4jTokens("EdDSA", "ES256");
        String otherToken = "stolen-elsewhere";
        String forged = replacePayload(t.wpt(), claimsOf(t.wpt()).replace(sha256b64url(ACCESS_TOKEN), sha256b64url(otherToken)));
        assertThat(claimsObject(forged).getStringClaimValue("ath")).isEqualTo(sha256b64url(otherToken));
        assertReason(t.jwks(), request(t.wit(), forged, otherToken), Reason.BAD_SIGNATURE);
    }

    @Test
    void wptSignedByAKeyOtherThanTheCnfKeyIsBadSignature() throws Exception {
        Jose4jTokens t = jose4jTokens("ES256", "EdDSA");
        String wpt = jose4jWpt(jose4jKey("EdDSA"), "wpt+jwt", t.wit(), ACCESS_TOKEN);
        assertReason(t.jwks(), request(t.wit(), wpt, ACCESS_TOKEN), Reason.BAD_SIGNATURE);
    }

    @Test
    void wptWithAnAlgorithmOtherThanCnfAlgIsAlgMismatch() throws Exception {
        Jose4jTokens t = jose4jTokens("ES256", "EdDSA");
        String wpt = jose4jWpt(jose4jKey("ES256"), "wpt+jwt", t.wit(), ACCESS_TOKEN);
        assertReason(t.jwks(), request(t.wit(), wpt, ACCESS_TOKEN), Reason.ALG_MISMATCH);
    }

    @Test
    void witWithTypJwtIsWrongTyp() throws Exception {
        Jose4jTokens t = jose4jTokens("ES256", "EdDSA");
        String wit = jose4jWit(t.issuerKey(), "JWT", t.workloadKey());
        String wpt = jose4jWpt(t.workloadKey(), "wpt+jwt", wit, ACCESS_TOKEN);
        assertReason(t.jwks(), request(wit, wpt, ACCESS_TOKEN), Reason.WRONG_TYP);
    }

    @Test
    void wptWithTypOfAWitIsWrongTyp() throws Exception {
        Jose4jTokens t = jose4jTokens("EdDSA", "EdDSA");
        String wpt = jose4jWpt(t.workloadKey(), "wit+jwt", t.wit(), ACCESS_TOKEN);
        assertReason(t.jwks(), request(t.wit(), wpt, ACCESS_TOKEN), Reason.WRONG_TYP);
    }

    @Test
    void witWithoutCnfAlgIsInvalidCnfKey() throws Exception {
        Jose4jTokens t = jose4jTokens("ES256", "ES256");
        PublicJsonWebKey noAlg = PublicJsonWebKey.Factory.newPublicJwk(t.workloadKey().toJson(OutputControlLevel.INCLUDE_PRIVATE));
        noAlg.setAlgorithm(null);
        String wit = jose4jWit(t.issuerKey(), "wit+jwt", noAlg);
        assertThat(claimsOf(wit)).doesNotContain("\"alg\"");
        String wpt = jose4jWpt(t.workloadKey(), "wpt+jwt", wit, ACCESS_TOKEN);
        assertReason(t.jwks(), request(wit, wpt, ACCESS_TOKEN), Reason.INVALID_CNF_KEY);
    }

    private void assertReason(JsonWebKeySet jwks, HttpRequestFacts facts, Reason expected) throws WimseException {
        RequestVerifier verifier = wimseVerifier(jwks);
        assertThatThrownBy(() -> verifier.verify(facts))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(expected));
    }

    // ---------------------------------------------------------------- helpers

    static String sha256b64url(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded payload JSON of a compact JWS. */
    static String claimsOf(String compact) {
        return new String(Base64.getUrlDecoder().decode(compact.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private static JwtClaims claimsObject(String compact) throws Exception {
        return JwtClaims.parse(claimsOf(compact));
    }

    /** The same JWS with its payload replaced (header and signature kept): a forgery. */
    static String replacePayload(String compact, String newPayloadJson) {
        String[] parts = compact.split("\\.");
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(newPayloadJson.getBytes(StandardCharsets.UTF_8));
        assertThat(payload).isNotEqualTo(parts[1]);
        return parts[0] + "." + payload + "." + parts[2];
    }
}
