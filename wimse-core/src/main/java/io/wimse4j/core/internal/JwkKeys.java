package io.wimse4j.core.internal;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.jose.SignatureVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bridges JWKs (parsed and serialized by Nimbus JOSE+JWT) to BouncyCastle key parameters, with
 * the checks the design requires: EC points on the curve, Ed25519 points valid, RSA of at least
 * {@value JwsAlgorithm#MIN_RSA_BITS} bits, symmetric keys refused, and no private members where
 * a public key is expected (WIT-7, WIT-8).
 */
public final class JwkKeys {
    /** JWK members that carry private key material (RFC 7517/7518/8037). */
    public static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private JwkKeys() {
    }

    /** Parses a public JWK from untrusted JSON, rejecting private members and symmetric keys. */
    public static JWK parsePublic(JsonNode json) throws WimseException {
        if (json == null || !json.isObject()) {
            throw new WimseException(Reason.INVALID_KEY, "JWK is not a JSON object");
        }
        for (String member : PRIVATE_MEMBERS) {
            if (json.has(member)) {
                throw new WimseException(Reason.INVALID_KEY, "JWK carries private member '" + member + "'");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = StrictJson.mapper().convertValue(json, Map.class);
        try {
            JWK jwk = JWK.parse(map);
            if (jwk.getKeyType() == KeyType.OCT) {
                throw new WimseException(Reason.INVALID_KEY, "symmetric JWKs are not allowed");
            }
            return jwk;
        } catch (java.text.ParseException | RuntimeException e) {
            throw new WimseException(Reason.INVALID_KEY, "unusable JWK: " + e.getMessage());
        }
    }

    /**
     * The algorithms {@code jwk} may be used with: its {@code alg} when present (which must be one
     * of {@link JwsAlgorithm}), otherwise every algorithm its type and curve fit, in enum order
     * (an OKP Ed25519 key: {@code EdDSA}, then {@code Ed25519}; ALG-1).
     */
    public static Set<JwsAlgorithm> algorithmsFor(JWK jwk) throws WimseException {
        Set<JwsAlgorithm> fitting = EnumSet.noneOf(JwsAlgorithm.class);
        for (JwsAlgorithm a : JwsAlgorithm.values()) {
            if (fits(jwk, a)) {
                fitting.add(a);
            }
        }
        if (jwk.getAlgorithm() != null) {
            JwsAlgorithm declared = JwsAlgorithm.fromJwaName(jwk.getAlgorithm().getName()).orElseThrow(() ->
                    new WimseException(Reason.UNSUPPORTED_ALG, "JWK 'alg' " + jwk.getAlgorithm().getName()
                            + " is not an accepted asymmetric JWS algorithm"));
            if (!fitting.contains(declared)) {
                throw new WimseException(Reason.INVALID_KEY, "JWK 'alg' " + declared + " does not fit its key type/curve");
            }
            return EnumSet.of(declared);
        }
        return fitting;
    }

    private static boolean fits(JWK jwk, JwsAlgorithm a) {
        if (!a.keyType().equals(jwk.getKeyType().getValue())) {
            return false;
        }
        if (a.curve() == null) {
            return true;
        }
        Curve crv = jwk instanceof ECKey ec ? ec.getCurve() : jwk instanceof OctetKeyPair okp ? okp.getCurve() : null;
        return crv != null && a.curve().equals(crv.getName());
    }

    /** True when the JWK may verify signatures: {@code use} absent or {@code sig}, {@code key_ops} absent or with {@code verify}. */
    public static boolean isForSignatures(JWK jwk) {
        boolean use = jwk.getKeyUse() == null || KeyUse.SIGNATURE.equals(jwk.getKeyUse());
        boolean ops = jwk.getKeyOperations() == null
                || jwk.getKeyOperations().contains(com.nimbusds.jose.jwk.KeyOperation.VERIFY);
        return use && ops;
    }

    /** A verifier for the public part of {@code jwk} under {@code alg}. */
    public static SignatureVerifier verifier(JWK jwk, JwsAlgorithm alg) throws WimseException {
        if (!fits(jwk, alg)) {
            throw new WimseException(Reason.INVALID_KEY, "key type does not fit " + alg);
        }
        return BcSignatures.verifier(alg, publicParameters(jwk, alg));
    }

    /** A signer for private {@code jwk} under {@code alg}, announcing the JWK's {@code kid}. */
    public static JwsSigner signer(JWK jwk, JwsAlgorithm alg) throws WimseException {
        if (!jwk.isPrivate()) {
            throw new WimseException(Reason.INVALID_KEY, "a signing JWK must contain the private key");
        }
        if (!fits(jwk, alg)) {
            throw new WimseException(Reason.INVALID_KEY, "key type does not fit " + alg);
        }
        return BcSignatures.signer(alg, privateParameters(jwk, alg), jwk.getKeyID());
    }

    static AsymmetricKeyParameter publicParameters(JWK jwk, JwsAlgorithm alg) throws WimseException {
        try {
            if (jwk instanceof OctetKeyPair okp) {
                byte[] x = okp.getDecodedX();
                if (x.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                    throw new WimseException(Reason.INVALID_KEY, "Ed25519 'x' must be 32 bytes");
                }
                return new Ed25519PublicKeyParameters(x);
            }
            if (jwk instanceof ECKey ec) {
                ECDomainParameters domain = BcSignatures.ecDomain(alg);
                int len = (domain.getCurve().getFieldSize() + 7) / 8;
                byte[] x = ec.getX().decode();
                byte[] y = ec.getY().decode();
                if (x.length != len || y.length != len) {
                    throw new WimseException(Reason.INVALID_KEY, "EC coordinates must be " + len + " bytes");
                }
                ECPoint point = domain.getCurve().createPoint(new BigInteger(1, x), new BigInteger(1, y));
                if (point.isInfinity() || !point.isValid()) {
                    throw new WimseException(Reason.INVALID_KEY, "EC point is not on the curve");
                }
                return new ECPublicKeyParameters(point, domain);
            }
            if (jwk instanceof RSAKey rsa) {
                BigInteger n = rsa.getModulus().decodeToBigInteger();
                BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
                if (n.bitLength() < JwsAlgorithm.MIN_RSA_BITS || n.bitLength() > JwsAlgorithm.MAX_RSA_BITS) {
                    throw new WimseException(Reason.INVALID_KEY, "RSA modulus must have " + JwsAlgorithm.MIN_RSA_BITS
                            + " to " + JwsAlgorithm.MAX_RSA_BITS + " bits");
                }
                if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.bitLength() > JwsAlgorithm.MAX_RSA_EXPONENT_BITS) {
                    throw new WimseException(Reason.INVALID_KEY, "RSA public exponent is invalid");
                }
                return new RSAKeyParameters(false, n, e);
            }
        } catch (IllegalArgumentException e) {
            throw new WimseException(Reason.INVALID_KEY, "invalid public key: " + e.getMessage());
        }
        throw new WimseException(Reason.INVALID_KEY, "unsupported key type " + jwk.getKeyType());
    }

    static AsymmetricKeyParameter privateParameters(JWK jwk, JwsAlgorithm alg) throws WimseException {
        publicParameters(jwk, alg);
        try {
            if (jwk instanceof OctetKeyPair okp) {
                Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(okp.getDecodedD());
                if (!java.util.Arrays.equals(priv.generatePublicKey().getEncoded(), okp.getDecodedX())) {
                    throw new WimseException(Reason.INVALID_KEY, "Ed25519 'd' does not match 'x'");
                }
                return priv;
            }
            if (jwk instanceof ECKey ec) {
                ECDomainParameters domain = BcSignatures.ecDomain(alg);
                BigInteger d = ec.getD().decodeToBigInteger();
                if (d.signum() <= 0 || d.compareTo(domain.getN()) >= 0) {
                    throw new WimseException(Reason.INVALID_KEY, "EC private scalar out of range");
                }
                return new ECPrivateKeyParameters(d, domain);
            }
            if (jwk instanceof RSAKey rsa) {
                BigInteger n = rsa.getModulus().decodeToBigInteger();
                BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
                if (rsa.getFirstPrimeFactor() != null && rsa.getFirstCRTCoefficient() != null) {
                    return new RSAPrivateCrtKeyParameters(n, e, rsa.getPrivateExponent().decodeToBigInteger(),
                            rsa.getFirstPrimeFactor().decodeToBigInteger(), rsa.getSecondPrimeFactor().decodeToBigInteger(),
                            rsa.getFirstFactorCRTExponent().decodeToBigInteger(), rsa.getSecondFactorCRTExponent().decodeToBigInteger(),
                            rsa.getFirstCRTCoefficient().decodeToBigInteger());
                }
                return new RSAKeyParameters(true, n, rsa.getPrivateExponent().decodeToBigInteger());
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WimseException(Reason.INVALID_KEY, "invalid private key");
        }
        throw new WimseException(Reason.INVALID_KEY, "unsupported key type " + jwk.getKeyType());
    }
}
