package io.wimse4j.core.internal;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.jose.SignatureVerifier;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * JWS signing and verification on BouncyCastle's lightweight API: the hot path of every request.
 * ECDSA hashes with the JDK digest (hardware SHA) and checks r, s in [1, n-1]; Ed25519 uses
 * BouncyCastle's RFC 8032 code; RSA uses PKCS#1 v1.5 or PSS. All objects are immutable and
 * thread-safe: per-call state is created per call, except the JDK digests, which are per thread and
 * reset before each use.
 */
public final class BcSignatures {
    private static final SecureRandom RANDOM = new SecureRandom();

    private BcSignatures() {
    }

    /** Domain parameters of the curve used by {@code alg} (ES256, ES384). */
    public static ECDomainParameters ecDomain(JwsAlgorithm alg) {
        return switch (alg) {
            case ES256 -> Curves.P256;
            case ES384 -> Curves.P384;
            default -> throw new IllegalArgumentException(alg + " is not an ECDSA algorithm");
        };
    }

    private static final class Curves {
        static final ECDomainParameters P256 = domain("secp256r1");
        static final ECDomainParameters P384 = domain("secp384r1");

        private static ECDomainParameters domain(String name) {
            X9ECParameters x9 = CustomNamedCurves.getByName(name);
            return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
        }
    }

    /** A verifier for {@code key} under {@code alg}; the key type must fit the algorithm. */
    public static SignatureVerifier verifier(JwsAlgorithm alg, AsymmetricKeyParameter key) {
        if (key.isPrivate()) {
            throw new IllegalArgumentException("a verifier needs a public key");
        }
        return switch (alg) {
            case EdDSA, Ed25519 -> new Ed25519Verifier(alg, (Ed25519PublicKeyParameters) key); // ALG-1: one scheme, two names
            case ES256, ES384 -> new EcdsaVerifier(alg, (ECPublicKeyParameters) key);
            case RS256, PS256 -> new RsaVerifier(alg, (RSAKeyParameters) key);
        };
    }

    /** A signer for private {@code key} under {@code alg}, announcing {@code kid} when non-null. */
    public static JwsSigner signer(JwsAlgorithm alg, AsymmetricKeyParameter key, String kid) {
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("a signer needs a private key");
        }
        return new LocalSigner(alg, key, kid);
    }

    /** True for the verifiers this class makes, which keep no reference to the data they check. */
    static boolean isOwn(SignatureVerifier verifier) {
        return verifier instanceof OwnVerifier;
    }

    /** Marks the verifiers of this class. */
    private interface OwnVerifier extends SignatureVerifier {
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> newDigest("SHA-256"));
    private static final ThreadLocal<MessageDigest> SHA384 = ThreadLocal.withInitial(() -> newDigest("SHA-384"));

    /**
     * This thread's digest for {@code alg}, reset: {@code MessageDigest.getInstance} per signature
     * cost a provider lookup and a new digest state each time. Used to completion within one call.
     */
    static MessageDigest jdkDigest(JwsAlgorithm alg) {
        MessageDigest md = (alg == JwsAlgorithm.ES384 ? SHA384 : SHA256).get();
        md.reset();
        return md;
    }

    private static MessageDigest newDigest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pure Ed25519 (RFC 8032) under {@code algorithm}, {@code EdDSA} or {@code Ed25519} (ALG-1). */
    private record Ed25519Verifier(JwsAlgorithm algorithm, Ed25519PublicKeyParameters key) implements OwnVerifier {
        @Override
        public boolean verify(byte[] data, int off, int len, byte[] signature) {
            if (signature.length != Ed25519.SIGNATURE_SIZE) {
                return false;
            }
            return key.verify(Ed25519.Algorithm.Ed25519, null, data, off, len, signature, 0);
        }
    }

    private record EcdsaVerifier(JwsAlgorithm algorithm, ECPublicKeyParameters key) implements OwnVerifier {
        @Override
        public boolean verify(byte[] data, int off, int len, byte[] signature) {
            int half = algorithm.signatureLength() / 2;
            if (signature.length != 2 * half) {
                return false;
            }
            BigInteger n = key.getParameters().getN();
            BigInteger r = new BigInteger(1, signature, 0, half);
            BigInteger s = new BigInteger(1, signature, half, half);
            if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
                return false;
            }
            MessageDigest digest = jdkDigest(algorithm);
            digest.update(data, off, len);
            ECDSASigner ecdsa = new ECDSASigner();
            ecdsa.init(false, key);
            return ecdsa.verifySignature(digest.digest(), r, s);
        }
    }

    private record RsaVerifier(JwsAlgorithm algorithm, RSAKeyParameters key) implements OwnVerifier {
        @Override
        public boolean verify(byte[] data, int off, int len, byte[] signature) {
            if (signature.length != (key.getModulus().bitLength() + 7) / 8) {
                return false;
            }
            Signer signer = rsaSigner(algorithm);
            signer.init(false, key);
            signer.update(data, off, len);
            return signer.verifySignature(signature);
        }
    }

    private static Signer rsaSigner(JwsAlgorithm alg) {
        return alg == JwsAlgorithm.PS256
                ? new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), 32)
                : new RSADigestSigner(new SHA256Digest());
    }

    private record LocalSigner(JwsAlgorithm algorithm, AsymmetricKeyParameter key, String kid) implements JwsSigner {
        @Override
        public Optional<String> keyId() {
            return Optional.ofNullable(kid);
        }

        @Override
        public byte[] sign(byte[] input) {
            return switch (algorithm) {
                case EdDSA, Ed25519 -> {
                    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                    ((Ed25519PrivateKeyParameters) key).sign(Ed25519.Algorithm.Ed25519, null, input, 0, input.length, sig, 0);
                    yield sig;
                }
                case ES256, ES384 -> signEcdsa(input);
                case RS256, PS256 -> signRsa(input);
            };
        }

        private byte[] signEcdsa(byte[] input) {
            MessageDigest digest = jdkDigest(algorithm);
            byte[] hash = digest.digest(input);
            ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(
                    algorithm == JwsAlgorithm.ES384 ? new SHA384Digest() : new SHA256Digest()));
            ecdsa.init(true, key);
            BigInteger[] rs = ecdsa.generateSignature(hash);
            int half = algorithm.signatureLength() / 2;
            byte[] out = new byte[2 * half];
            BigIntegers.asUnsignedByteArray(rs[0], out, 0, half);
            BigIntegers.asUnsignedByteArray(rs[1], out, half, half);
            return out;
        }

        private byte[] signRsa(byte[] input) {
            Signer signer = rsaSigner(algorithm);
            signer.init(true, new ParametersWithRandom(key, RANDOM));
            signer.update(input, 0, input.length);
            try {
                return signer.generateSignature();
            } catch (CryptoException e) {
                throw new IllegalStateException("RSA signing failed", e);
            }
        }

        @Override
        public String toString() {
            return "LocalSigner[" + algorithm + (kid == null ? "" : ", kid=" + kid) + "]";
        }
    }

}
