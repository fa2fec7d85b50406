package io.wimse4j.server.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KubernetesTokenVerifier} against projected service-account tokens signed in the test with
 * real RSA and EC keys by Nimbus JOSE+JWT (an implementation independent of the verifier's
 * BouncyCastle code).
 */
class KubernetesTokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String AUDIENCE = "https://wimse-server.example.org";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static RSAKey rsa1;
    private static RSAKey rsa2;
    private static ECKey ec1;
    private static RSAKey stranger;
    private static String jwks;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeAll
    static void keys() throws JOSEException {
        rsa1 = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        rsa2 = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        ec1 = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        jwks = new JWKSet(List.<JWK>of(rsa1.toPublicJWK(), rsa2.toPublicJWK(), ec1.toPublicJWK())).toString();
    }

    private KubernetesTokenVerifier verifier() {
        return KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(jwks).clock(clock).build();
    }

    /** The claims of a pod-bound projected token, as the API server writes them. */
    private static ObjectNode claims() {
        ObjectNode c = MAPPER.createObjectNode();
        c.putArray("aud").add("https://other.example").add(AUDIENCE);
        c.put("exp", NOW.getEpochSecond() + 3600);
        c.put("iat", NOW.getEpochSecond() - 60);
        c.put("nbf", NOW.getEpochSecond() - 60);
        c.put("iss", ISSUER);
        c.put("sub", "system:serviceaccount:payments:checkout");
        ObjectNode k8s = c.putObject("kubernetes.io");
        k8s.put("namespace", "payments");
        k8s.putObject("pod").put("name", "checkout-7d9f8b6c5-x2x4k").put("uid", "0f6c2b1e-1111-4c3a-9d6e-3a2b1c0d9e8f");
        k8s.putObject("serviceaccount").put("name", "checkout").put("uid", "5e1d7c3a-2222-4b6f-8a9e-7c6d5b4a3f2e");
        return c;
    }

    private static String sign(JWK key, JWSAlgorithm alg, String kid, ObjectNode claims) throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).keyID(kid).build(), new Payload(claims.toString()));
        jws.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
        return jws.serialize();
    }

    private static String rs256(Consumer<ObjectNode> change) throws JOSEException {
        ObjectNode c = claims();
        change.accept(c);
        return sign(rsa1, JWSAlgorithm.RS256, "rsa-1", c);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).as("reason; detail: %s", e.detail()).isEqualTo(reason);
            // never a token (or a part of one) in the detail
            assertThat(e.detail()).isNotBlank().doesNotContainPattern("[A-Za-z0-9_-]{40,}");
        });
    }

    @Test
    void acceptsAnRs256TokenAndAnswersTheIdentity() throws Exception {
        KubernetesIdentity id = verifier().verify(rs256(c -> { }));
        assertThat(id).isEqualTo(new KubernetesIdentity("payments", "checkout", Optional.of("checkout-7d9f8b6c5-x2x4k"),
                "system:serviceaccount:payments:checkout"));
    }

    @Test
    void acceptsAnEs256TokenAndAStringAudienceWithoutPod() throws Exception {
        ObjectNode c = claims();
        c.put("aud", AUDIENCE);
        ((ObjectNode) c.get("kubernetes.io")).remove("pod");
        KubernetesIdentity id = verifier().verify(sign(ec1, JWSAlgorithm.ES256, "ec-1", c));
        assertThat(id).isEqualTo(new KubernetesIdentity("payments", "checkout", Optional.empty(),
                "system:serviceaccount:payments:checkout"));
    }

    @Test
    void choosesTheKeyByKid() throws Exception {
        assertThat(verifier().verify(sign(rsa2, JWSAlgorithm.RS256, "rsa-2", claims())).serviceAccount()).isEqualTo("checkout");
        // signed by rsa-2 but naming rsa-1: only rsa-1 is tried
        assertRejected(() -> verifier().verify(sign(rsa2, JWSAlgorithm.RS256, "rsa-1", claims())), Reason.BAD_SIGNATURE);
        // a kid of an EC key under RS256
        assertRejected(() -> verifier().verify(sign(rsa1, JWSAlgorithm.RS256, "ec-1", claims())), Reason.UNKNOWN_KEY);
    }

    @Test
    void wrongIssuer() {
        assertRejected(() -> verifier().verify(rs256(c -> c.put("iss", "https://evil.example"))), Reason.UNTRUSTED_ISSUER);
        assertRejected(() -> verifier().verify(rs256(c -> c.remove("iss"))), Reason.MISSING_CLAIM);
    }

    @Test
    void audience() {
        assertRejected(() -> verifier().verify(rs256(c -> c.putArray("aud").add("https://other.example"))), Reason.AUDIENCE_MISMATCH);
        assertRejected(() -> verifier().verify(rs256(c -> c.put("aud", "https://other.example"))), Reason.AUDIENCE_MISMATCH);
        assertRejected(() -> verifier().verify(rs256(c -> c.remove("aud"))), Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> c.putArray("aud").add(AUDIENCE).add(7))), Reason.INVALID_CLAIM);
    }

    @Test
    void expired() {
        assertRejected(() -> verifier().verify(rs256(c -> c.put("exp", NOW.getEpochSecond() - 31))), Reason.EXPIRED);
        assertRejected(() -> verifier().verify(rs256(c -> c.remove("exp"))), Reason.MISSING_CLAIM);
    }

    @Test
    void expiryWithinTheLeewayIsAccepted() throws Exception {
        assertThat(verifier().verify(rs256(c -> c.put("exp", NOW.getEpochSecond() - 29))).namespace()).isEqualTo("payments");
        // C2-5: at exactly exp + leeway the token is expired
        assertRejected(() -> verifier().verify(rs256(c -> c.put("exp", NOW.getEpochSecond() - 30))), Reason.EXPIRED);
        KubernetesTokenVerifier strict = KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(jwks)
                .clock(clock).leeway(Duration.ZERO).build();
        assertRejected(() -> strict.verify(rs256(c -> c.put("exp", NOW.getEpochSecond() - 1))), Reason.EXPIRED);
        assertRejected(() -> strict.verify(rs256(c -> c.put("exp", NOW.getEpochSecond()))), Reason.EXPIRED);
    }

    @Test
    void notYetValid() {
        assertRejected(() -> verifier().verify(rs256(c -> c.put("nbf", NOW.getEpochSecond() + 120))), Reason.NOT_YET_VALID);
        assertRejected(() -> verifier().verify(rs256(c -> c.put("iat", NOW.getEpochSecond() + 120))), Reason.ISSUED_IN_FUTURE);
    }

    @Test
    void badSignature() throws Exception {
        String token = rs256(c -> { });
        int last = token.lastIndexOf('.');
        char flipped = token.charAt(last + 5) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, last + 5) + flipped + token.substring(last + 6);
        assertRejected(() -> verifier().verify(tampered), Reason.BAD_SIGNATURE);
        // same kid, key not in the JWKS
        assertRejected(() -> verifier().verify(sign(stranger, JWSAlgorithm.RS256, "rsa-1", claims())), Reason.BAD_SIGNATURE);
        // claims changed after signing
        String other = token.substring(0, token.indexOf('.') + 1) + b64(claims().put("sub", "system:serviceaccount:payments:admin")
                .toString()) + token.substring(last);
        assertRejected(() -> verifier().verify(other), Reason.BAD_SIGNATURE);
    }

    @Test
    void unknownKid() {
        assertRejected(() -> verifier().verify(sign(rsa1, JWSAlgorithm.RS256, "rsa-9", claims())), Reason.UNKNOWN_KEY);
    }

    @Test
    void algNone() throws Exception {
        String payload = b64(claims().toString());
        assertRejected(() -> verifier().verify(b64("{\"alg\":\"none\"}") + "." + payload + "."), Reason.MALFORMED_TOKEN);
        // with a signature part that is present, the algorithm itself is refused
        String real = rs256(c -> { });
        String sig = real.substring(real.lastIndexOf('.'));
        assertRejected(() -> verifier().verify(b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + payload + sig), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void hs256WithThePublicKeyAsSecret() throws Exception {
        // the classic confusion: HMAC keyed with the RSA public key the verifier knows
        byte[] secret = rsa1.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), new Payload(claims().toString()));
        jws.sign(new MACSigner(secret));
        assertRejected(() -> verifier().verify(jws.serialize()), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void otherAsymmetricAlgorithmsAreNotAccepted() throws Exception {
        JWSObject ps = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), new Payload(claims().toString()));
        ps.sign(new RSASSASigner(rsa1));
        assertRejected(() -> verifier().verify(ps.serialize()), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void oversized() throws Exception {
        String big = rs256(c -> c.put("padding", "x".repeat(9000)));
        assertRejected(() -> verifier().verify(big), Reason.TOKEN_TOO_LARGE);
        KubernetesTokenVerifier small = KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(jwks)
                .clock(clock).maxTokenLength(512).build();
        String normal = rs256(c -> { });
        assertThat(normal.length()).isGreaterThan(512);
        assertRejected(() -> small.verify(normal), Reason.TOKEN_TOO_LARGE);
    }

    @Test
    void subjectMustAgreeWithTheKubernetesClaim() {
        assertRejected(() -> verifier().verify(rs256(c -> c.put("sub", "system:serviceaccount:payments:admin"))), Reason.INVALID_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> c.put("sub", "system:serviceaccount:kube-system:checkout"))), Reason.INVALID_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> c.put("sub", "system:serviceaccount:payments:checkout:extra"))), Reason.INVALID_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> ((ObjectNode) c.get("kubernetes.io")).put("namespace", "kube-system"))),
                Reason.INVALID_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> c.remove("sub"))), Reason.MISSING_CLAIM);
    }

    @Test
    void missingNamespace() {
        assertRejected(() -> verifier().verify(rs256(c -> ((ObjectNode) c.get("kubernetes.io")).remove("namespace"))), Reason.MISSING_CLAIM);
    }

    @Test
    void kubernetesClaimShape() {
        assertRejected(() -> verifier().verify(rs256(c -> c.remove("kubernetes.io"))), Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> c.put("kubernetes.io", "payments"))), Reason.INVALID_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> ((ObjectNode) c.get("kubernetes.io")).remove("serviceaccount"))),
                Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> ((ObjectNode) c.get("kubernetes.io")).putObject("serviceaccount").put("uid", "u"))),
                Reason.MISSING_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> ((ObjectNode) c.get("kubernetes.io")).put("pod", "checkout"))),
                Reason.INVALID_CLAIM);
        // names that are not DNS-1123 cannot smuggle separators into the subject
        assertRejected(() -> verifier().verify(rs256(c -> {
            c.put("sub", "system:serviceaccount:pay:ments:checkout");
            ((ObjectNode) c.get("kubernetes.io")).put("namespace", "pay:ments");
        })), Reason.INVALID_CLAIM);
        assertRejected(() -> verifier().verify(rs256(c -> {
            c.put("sub", "system:serviceaccount:payments:Check_Out");
            ((ObjectNode) c.get("kubernetes.io")).putObject("serviceaccount").put("name", "Check_Out");
        })), Reason.INVALID_CLAIM);
    }

    @Test
    void headerHardening() throws Exception {
        String payload = b64(claims().toString());
        String real = rs256(c -> { });
        String sig = real.substring(real.lastIndexOf('.'));
        assertRejected(() -> verifier().verify(b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"]}") + "." + payload + sig),
                Reason.UNSUPPORTED_CRIT);
        assertRejected(() -> verifier().verify(b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"wit+jwt\"}") + "." + payload + sig),
                Reason.WRONG_TYP);
        assertRejected(() -> verifier().verify(b64("{\"alg\":\"RS256\",\"alg\":\"RS256\"}") + "." + payload + sig),
                Reason.INVALID_JSON);
        assertRejected(() -> verifier().verify("not-a-jwt"), Reason.MALFORMED_TOKEN);
        assertRejected(() -> verifier().verify(null), Reason.MALFORMED_TOKEN);
        // a key embedded in the token is never used: signed by a stranger whose public key rides along as 'jwk'
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").jwk(stranger.toPublicJWK()).build(),
                new Payload(claims().toString()));
        jws.sign(new RSASSASigner(stranger));
        assertRejected(() -> verifier().verify(jws.serialize()), Reason.BAD_SIGNATURE);
    }

    @Test
    void theAudienceMustNotBeTheApiServers() {
        // Every pod's automounted token is issued for the API server's audiences, which default to
        // the issuer: with such an audience the Identity Server would take the token each pod hands
        // the API server (and anything else it is given to) as attestation.
        for (String apiAudience : List.of(ISSUER, "https://kubernetes.default.svc",
                "https://kubernetes.default.svc.cluster.local", "kubernetes.default.svc")) {
            assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer(ISSUER).audience(apiAudience).jwks(jwks).build())
                    .as(apiAudience).isInstanceOf(IllegalStateException.class).hasMessageContaining("API server");
        }
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer("https://oidc.example/c1").audience("https://oidc.example/c1")
                .jwks(jwks).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("API server");
    }

    @Test
    void builderValidation() throws Exception {
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().audience(AUDIENCE).jwks(jwks).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer(ISSUER).jwks(jwks).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience");
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jwks");
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().leeway(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().maxTokenLength(10))
                .isInstanceOf(IllegalArgumentException.class);
        // RSA under 2048 bits rejects the JWKS
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        String weakJwks = new JWKSet(List.<JWK>of(weak.toPublicJWK())).toString();
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(weakJwks).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
        // private key material rejects the JWKS
        String privateJwks = new JWKSet(List.<JWK>of(rsa1)).toString(false);
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(privateJwks).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private");
        // a JWKS without an RS256/ES256 key is useless
        String edOnly = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}";
        assertThatThrownBy(() -> KubernetesTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(edOnly).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RS256");
    }
}
