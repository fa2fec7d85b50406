package io.wimse4j.core;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustedKey;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static io.wimse4j.testkit.Fixture.same;
import static org.assertj.core.api.Assertions.assertThat;

/** The parser hardening every token goes through (design: "Hardening every parser must have"). */
class HardeningTest {
    final Fixture f = new Fixture();
    final WitVerifier witVerifier = WitVerifier.builder().trust(f.trust()).clock(f.clock).build();
    final RequestVerifier verifier = f.verifier().build();

    @Test
    void oversizedTokensAreRejectedBeforeParsing() {
        String huge = "!".repeat(9000);
        assertRejected(() -> witVerifier.verify(huge), Reason.TOKEN_TOO_LARGE);
        assertRejected(() -> verifier.verify(f.request(f.wit, huge).build()), Reason.TOKEN_TOO_LARGE);
        assertRejected(() -> CompactJws.parse(f.wit, 100), Reason.TOKEN_TOO_LARGE);
        String bigClaim = f.craftWit(same(), c -> c.put("pad", "x".repeat(8000)));
        assertRejected(() -> witVerifier.verify(bigClaim), Reason.TOKEN_TOO_LARGE);
    }

    @Test
    void base64urlIsStrict() throws WimseException {
        assertThat(Base64Url.decode("AQID")).containsExactly(1, 2, 3);
        assertRejected(() -> Base64Url.decode("AQ=="), Reason.BAD_ENCODING);
        assertRejected(() -> Base64Url.decode("A+/B"), Reason.BAD_ENCODING);
        assertRejected(() -> Base64Url.decode("AQ I"), Reason.BAD_ENCODING);
        assertRejected(() -> Base64Url.decode("AR"), Reason.BAD_ENCODING); // non-zero trailing bits
        assertRejected(() -> Base64Url.decode("AQIDB"), Reason.BAD_ENCODING); // impossible length
        String padded = f.wit.substring(0, f.wit.indexOf('.')) + "=" + f.wit.substring(f.wit.indexOf('.'));
        assertRejected(() -> witVerifier.verify(padded), Reason.BAD_ENCODING);
    }

    @Test
    void duplicateJsonMembersTrailingDataAndDeepNestingAreRejected() {
        String dupHeader = RawJws.signRaw(f.issuerKey.signer(),
                "{\"alg\":\"ES256\",\"typ\":\"wit+jwt\",\"typ\":\"wit+jwt\"}", f.witClaims().toString());
        assertRejected(() -> witVerifier.verify(dupHeader), Reason.INVALID_JSON);
        String claims = f.witClaims().toString();
        String dupSub = RawJws.signRaw(f.issuerKey.signer(), f.witHeader().toString(),
                claims.substring(0, claims.length() - 1) + ",\"sub\":\"wimse://example.org/admin\"}");
        assertRejected(() -> witVerifier.verify(dupSub), Reason.INVALID_JSON);
        String trailing = RawJws.signRaw(f.issuerKey.signer(), f.witHeader().toString(), claims + "{}");
        assertRejected(() -> witVerifier.verify(trailing), Reason.INVALID_JSON);
        String deep = RawJws.signRaw(f.issuerKey.signer(), f.witHeader().toString(),
                claims.substring(0, claims.length() - 1) + ",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}");
        assertRejected(() -> witVerifier.verify(deep), Reason.INVALID_JSON);
        String array = RawJws.signRaw(f.issuerKey.signer(), f.witHeader().toString(), "[1]");
        assertRejected(() -> witVerifier.verify(array), Reason.MALFORMED_TOKEN);
    }

    @Test
    void hmacWithThePublicKeyAsSecretIsRejected() throws Exception {
        byte[] publicKeyBytes = f.issuerKey.publicJwk().toJson().getBytes(StandardCharsets.UTF_8);
        String input = Base64Url.encode("{\"alg\":\"HS256\",\"typ\":\"wit+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(f.witClaims().toString().getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKeyBytes, "HmacSHA256"));
        String forged = input + "." + Base64Url.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        assertRejected(() -> witVerifier.verify(forged), Reason.UNSUPPORTED_ALG);
    }

    @Test
    void keysEmbeddedInTheTokenHeaderAreNeverTrusted() {
        WorkloadKeyPair attacker = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String forged = f.craftWit(attacker.signer(), h -> {
            h.remove("kid");
            h.set("jwk", io.wimse4j.core.internal.StrictJson.mapper().valueToTree(attacker.publicJwk().toMap()));
            h.put("jku", "https://attacker.example/jwks");
            h.put("x5u", "https://attacker.example/cert");
        }, same());
        assertRejected(() -> witVerifier.verify(forged), Reason.BAD_SIGNATURE);
        String forgedKid = f.craftWit(attacker.signer(), h -> h.put("kid", attacker.keyId()), same());
        assertRejected(() -> witVerifier.verify(forgedKid), Reason.UNKNOWN_KEY);
    }

    @Test
    void unknownCritIsRejected() {
        String crit = f.craftWit(h -> h.putArray("crit").add("exp"), c -> { });
        assertRejected(() -> witVerifier.verify(crit), Reason.UNSUPPORTED_CRIT);
        String b64 = f.craftWpt(f.wit, h -> { h.put("b64", false); h.putArray("crit").add("b64"); }, same());
        assertRejected(() -> verifier.verify(f.request(f.wit, b64).build()), Reason.UNSUPPORTED_CRIT);
    }

    @Test
    void ecdsaSignaturesOutsideOneToNMinusOneAreRejected() throws WimseException {
        BigInteger n = ECNamedCurveTable.getByName("secp256r1").getN();
        CompactJws jws = CompactJws.parse(f.wit, 8192);
        byte[] input = jws.signingInput();
        byte[] sig = jws.signature();
        TrustedKey key = Fixture.bundle(f.trustDomain, f.issuerKey).keys().get(0);
        assertThat(key.verifier().verify(input, 0, input.length, sig)).isTrue();
        byte[] zeroR = sig.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        byte[] nS = sig.clone();
        System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, n), 0, nS, 32, 32);
        byte[] nR = sig.clone();
        System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, n), 0, nR, 0, 32);
        for (byte[] bad : new byte[][]{zeroR, nS, nR, Arrays.copyOf(sig, 63), Arrays.copyOf(sig, 65)}) {
            assertThat(key.verifier().verify(input, 0, input.length, bad)).isFalse();
        }
        String zeroRToken = f.wit.substring(0, f.wit.lastIndexOf('.') + 1) + Base64Url.encode(zeroR);
        assertRejected(() -> witVerifier.verify(zeroRToken), Reason.BAD_SIGNATURE);
    }

    @Test
    void ecPointsMustBeOnTheCurveAndCnfMustNotCarryPrivateMembers() throws WimseException {
        Fixture es = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.ES256);
        WitVerifier v = WitVerifier.builder().trust(es.trust()).clock(es.clock).build();
        String offCurve = es.craftWit(same(), c -> {
            var jwk = (com.fasterxml.jackson.databind.node.ObjectNode) c.get("cnf").get("jwk");
            String y = jwk.get("y").asText();
            jwk.put("y", y.substring(0, 10) + (y.charAt(10) == 'A' ? 'B' : 'A') + y.substring(11));
        });
        assertRejected(() -> v.verify(offCurve), Reason.INVALID_CNF_KEY);
        for (String member : JwkKeys.PRIVATE_MEMBERS) {
            String priv = es.craftWit(same(), c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("cnf").get("jwk")).put(member, "AQAB"));
            assertRejected(() -> v.verify(priv), Reason.INVALID_CNF_KEY);
        }
        assertThat(v.verify(es.wit).confirmationAlgorithm()).isEqualTo(JwsAlgorithm.ES256);
    }

    @Test
    void derEncodedEcdsaSignaturesAreRejected() throws Exception {
        Fixture es = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.ES256);
        CompactJws jws = CompactJws.parse(es.wit, 8192);
        byte[] raw = jws.signature();
        byte[] der = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[]{
                new org.bouncycastle.asn1.ASN1Integer(new BigInteger(1, Arrays.copyOf(raw, 32))),
                new org.bouncycastle.asn1.ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)))}).getEncoded();
        String derToken = es.wit.substring(0, es.wit.lastIndexOf('.') + 1) + Base64Url.encode(der);
        WitVerifier v = WitVerifier.builder().trust(es.trust()).clock(es.clock).build();
        assertRejected(() -> v.verify(derToken), Reason.BAD_SIGNATURE);
    }

    @Test
    void anRsaKeyBelow2048BitsIsRefused() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        var pub = (java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic();
        String jwk = new com.nimbusds.jose.jwk.RSAKey.Builder(pub).build().toJSONString();
        assertRejected(() -> io.wimse4j.core.key.TrustBundle.fromJwks(f.trustDomain, jwk), Reason.INVALID_KEY);
    }

    @Test
    void aWitWithoutProofIsNotEnough() {
        assertRejected(() -> verifier.verify(f.request(f.wit, f.wit).build()), Reason.WRONG_TYP);
        assertThat(f.wpt(ProofBindings.NONE)).isNotEqualTo(f.wit);
    }
}
