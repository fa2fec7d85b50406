package io.wimse4j.core.key;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.BcSignatures;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.internal.JwkBridge;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.jose.JwsSigner;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A private key with its algorithm, as a workload or an Identity Server holds it (KEY-1..KEY-4).
 * Generate a fresh one per credential ({@link #generate(JwsAlgorithm)}, KEY-4) or load one from a
 * private JWK. The public JWK always carries {@code alg} (WIT-8) and a {@code kid} (the RFC 7638
 * thumbprint unless one was given). {@link #toString()} never shows key material.
 */
public final class WorkloadKeyPair {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JwsAlgorithm algorithm;
    private final JWK privateJwk;
    private final JwsSigner signer;

    private WorkloadKeyPair(JwsAlgorithm algorithm, JWK privateJwk) throws WimseException {
        this.algorithm = algorithm;
        this.privateJwk = privateJwk;
        this.signer = JwkKeys.signer(privateJwk, algorithm);
    }

    /**
     * Generates a new key pair for {@code algorithm} (RSA: 2048 bits). The public JWK's {@code alg}
     * is {@code algorithm}'s name: {@link JwsAlgorithm#Ed25519} gives an OKP key with
     * {@code "alg":"Ed25519"}, {@link JwsAlgorithm#EdDSA} the same kind of key with
     * {@code "alg":"EdDSA"} (ALG-1).
     */
    public static WorkloadKeyPair generate(JwsAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        try {
            JWK jwk = switch (algorithm) {
                case EdDSA, Ed25519 -> generateEd25519(algorithm);
                case ES256, ES384 -> generateEc(algorithm);
                case RS256, PS256 -> generateRsa(algorithm);
            };
            JWK withKid = withKid(jwk, null);
            return new WorkloadKeyPair(algorithm, withKid);
        } catch (WimseException e) {
            throw new IllegalStateException("generated key is unusable", e);
        }
    }

    /**
     * Loads a private JWK. Its {@code alg} is used when present; otherwise {@code defaultAlgorithm}
     * must fit the key. With {@code null}, a JWK without {@code alg} is refused when its type fits
     * several algorithms (RSA), except an Ed25519 key, which takes {@link JwsAlgorithm#EdDSA}: both
     * of its names fit it and {@code EdDSA} is the one wimse4j emits by default (ALG-1).
     */
    public static WorkloadKeyPair fromPrivateJwk(String json, JwsAlgorithm defaultAlgorithm) throws WimseException {
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (java.text.ParseException | RuntimeException e) {
            // the parser's message may quote the input, which holds private key material (KEY-1)
            throw new WimseException(Reason.INVALID_KEY, "not a JWK");
        }
        if (!jwk.isPrivate()) {
            throw new WimseException(Reason.INVALID_KEY, "the JWK has no private part");
        }
        JwsAlgorithm alg;
        if (jwk.getAlgorithm() != null) {
            alg = JwkKeys.algorithmsFor(jwk).iterator().next();
        } else if (defaultAlgorithm != null) {
            alg = defaultAlgorithm;
        } else {
            var fitting = JwkKeys.algorithmsFor(jwk);
            if (fitting.contains(JwsAlgorithm.EdDSA)) {
                fitting = java.util.EnumSet.of(JwsAlgorithm.EdDSA); // ALG-1: an Ed25519 key's default name
            }
            if (fitting.size() != 1) {
                throw new WimseException(Reason.INVALID_KEY, "the JWK has no 'alg' and its type fits several algorithms");
            }
            alg = fitting.iterator().next();
        }
        return new WorkloadKeyPair(alg, withKid(jwk, jwk.getKeyID()));
    }

    private static JWK withKid(JWK jwk, String kid) throws WimseException {
        try {
            String id = kid != null ? kid : jwk.computeThumbprint().toString();
            if (jwk instanceof ECKey ec) {
                return new ECKey.Builder(ec).keyID(id).build();
            }
            if (jwk instanceof OctetKeyPair okp) {
                return new OctetKeyPair.Builder(okp).keyID(id).build();
            }
            if (jwk instanceof RSAKey rsa) {
                return new RSAKey.Builder(rsa).keyID(id).build();
            }
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new WimseException(Reason.INVALID_KEY, "cannot compute the JWK thumbprint");
        }
        throw new WimseException(Reason.INVALID_KEY, "unsupported key type " + jwk.getKeyType());
    }

    private static JWK generateEd25519(JwsAlgorithm alg) {
        Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
        gen.init(new Ed25519KeyGenerationParameters(RANDOM));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        byte[] x = ((Ed25519PublicKeyParameters) kp.getPublic()).getEncoded();
        byte[] d = ((Ed25519PrivateKeyParameters) kp.getPrivate()).getEncoded();
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d))
                .algorithm(new Algorithm(alg.jwaName())).keyUse(KeyUse.SIGNATURE).build();
    }

    private static JWK generateEc(JwsAlgorithm alg) {
        ECDomainParameters domain = BcSignatures.ecDomain(alg);
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(domain, RANDOM));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        var q = ((ECPublicKeyParameters) kp.getPublic()).getQ().normalize();
        BigInteger d = ((ECPrivateKeyParameters) kp.getPrivate()).getD();
        int len = (domain.getCurve().getFieldSize() + 7) / 8;
        Curve crv = alg == JwsAlgorithm.ES256 ? Curve.P_256 : Curve.P_384;
        return new ECKey.Builder(crv,
                Base64URL.encode(BigIntegers.asUnsignedByteArray(len, q.getAffineXCoord().toBigInteger())),
                Base64URL.encode(BigIntegers.asUnsignedByteArray(len, q.getAffineYCoord().toBigInteger())))
                .d(Base64URL.encode(BigIntegers.asUnsignedByteArray(len, d)))
                .algorithm(new Algorithm(alg.jwaName())).keyUse(KeyUse.SIGNATURE).build();
    }

    private static JWK generateRsa(JwsAlgorithm alg) {
        RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
        gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 2048, 100));
        RSAPrivateCrtKeyParameters k = (RSAPrivateCrtKeyParameters) gen.generateKeyPair().getPrivate();
        return new RSAKey.Builder(Base64URL.encode(k.getModulus()), Base64URL.encode(k.getPublicExponent()))
                .privateExponent(Base64URL.encode(k.getExponent()))
                .firstPrimeFactor(Base64URL.encode(k.getP())).secondPrimeFactor(Base64URL.encode(k.getQ()))
                .firstFactorCRTExponent(Base64URL.encode(k.getDP())).secondFactorCRTExponent(Base64URL.encode(k.getDQ()))
                .firstCRTCoefficient(Base64URL.encode(k.getQInv()))
                .algorithm(new Algorithm(alg.jwaName())).keyUse(KeyUse.SIGNATURE).build();
    }

    /** The algorithm this key signs with. */
    public JwsAlgorithm algorithm() {
        return algorithm;
    }

    /** The key id ({@code kid}). */
    public String keyId() {
        return privateJwk.getKeyID();
    }

    /** The signer over this key; its JOSE header will carry this key's {@code kid}. */
    public JwsSigner signer() {
        return signer;
    }

    /** The public JWK with {@code alg}, {@code kid} and {@code use}. */
    public PublicJwk publicJwk() {
        return JwkBridge.wrap(publicNimbusJwk());
    }

    private JWK publicNimbusJwk() {
        JWK pub = privateJwk.toPublicJWK();
        if (pub.getAlgorithm() == null) {
            Algorithm a = new Algorithm(algorithm.jwaName());
            if (pub instanceof ECKey ec) {
                return new ECKey.Builder(ec).algorithm(a).build();
            }
            if (pub instanceof OctetKeyPair okp) {
                return new OctetKeyPair.Builder(okp).algorithm(a).build();
            }
            if (pub instanceof RSAKey rsa) {
                return new RSAKey.Builder(rsa).algorithm(a).build();
            }
        }
        return pub;
    }

    /** The private JWK as JSON. Handle with care: write it only to owner-only files (KEY-1). */
    public String privateJwkJson() {
        return privateJwk.toJSONString();
    }

    @Override
    public String toString() {
        return "WorkloadKeyPair[" + algorithm + ", kid=" + keyId() + "]";
    }
}
