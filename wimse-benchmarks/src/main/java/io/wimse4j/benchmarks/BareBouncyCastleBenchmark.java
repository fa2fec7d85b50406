package io.wimse4j.benchmarks;

import io.wimse4j.core.jose.JwsAlgorithm;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The baselines: one bare BouncyCastle operation through its lightweight API, none of our classes
 * on the path. The signing input is the {@code header.payload} of a real WPT, so its size matches
 * what the request benchmarks verify.
 */
@State(Scope.Thread)
public class BareBouncyCastleBenchmark extends BenchmarkDefaults {
    private byte[] input;

    private Ed25519PrivateKeyParameters edPrivate;
    private Ed25519Signer edVerifier;
    private Ed25519Signer edSigner;
    private byte[] edSignature;

    private ECDSASigner ecVerifier;
    private BigInteger ecR;
    private BigInteger ecS;
    private MessageDigest sha256;
    private ECDomainParameters p256;
    private byte[] ecPublicEncoded;
    private byte[] edPublicEncoded;

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
        String wpt = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA).newProof();
        input = wpt.substring(0, wpt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        SecureRandom random = new SecureRandom();

        Ed25519KeyPairGenerator edGen = new Ed25519KeyPairGenerator();
        edGen.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair ed = edGen.generateKeyPair();
        edPrivate = (Ed25519PrivateKeyParameters) ed.getPrivate();
        edSigner = new Ed25519Signer();
        edSigner.init(true, edPrivate);
        edSigner.update(input, 0, input.length);
        edSignature = edSigner.generateSignature();
        edVerifier = new Ed25519Signer();
        edVerifier.init(false, (Ed25519PublicKeyParameters) ed.getPublic());

        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        ECKeyPairGenerator ecGen = new ECKeyPairGenerator();
        ecGen.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair ec = ecGen.generateKeyPair();
        sha256 = MessageDigest.getInstance("SHA-256");
        ECDSASigner ecSigner = new ECDSASigner();
        ecSigner.init(true, (ECPrivateKeyParameters) ec.getPrivate());
        BigInteger[] rs = ecSigner.generateSignature(sha256.digest(input));
        ecR = rs[0];
        ecS = rs[1];
        ecVerifier = new ECDSASigner();
        ecVerifier.init(false, (ECPublicKeyParameters) ec.getPublic());
        p256 = domain;
        ecPublicEncoded = ((ECPublicKeyParameters) ec.getPublic()).getQ().getEncoded(false);
        edPublicEncoded = ((Ed25519PublicKeyParameters) ed.getPublic()).getEncoded();

        if (!bareBcVerifyEd25519() || !bareBcVerifyEs256() || !bareBcVerifyEd25519FreshKey()
                || !bareBcVerifyEs256FreshKey()) {
            throw new IllegalStateException("baseline signatures do not verify");
        }
    }

    /** Ed25519 verification of a WPT-sized input ({@code Ed25519Signer}, reused). */
    @Benchmark
    public boolean bareBcVerifyEd25519() {
        edVerifier.update(input, 0, input.length);
        return edVerifier.verifySignature(edSignature);
    }

    /**
     * ECDSA P-256 verification of a WPT-sized input: JDK SHA-256 (as core does) then
     * {@code ECDSASigner.verifySignature}.
     */
    @Benchmark
    public boolean bareBcVerifyEs256() {
        byte[] hash = sha256.digest(input);
        return ecVerifier.verifySignature(hash, ecR, ecS);
    }

    /**
     * As {@link #bareBcVerifyEs256} with a public key decoded from its encoding for this one
     * verification: what verifying with a key seen for the first time costs. BouncyCastle keeps
     * (and widens, after a few uses) its WNAF precomputation on the key's point, so a reused key
     * verifies faster than a new one; an uncached WIT's {@code cnf} key is always new.
     */
    @Benchmark
    public boolean bareBcVerifyEs256FreshKey() {
        ECPublicKeyParameters key = new ECPublicKeyParameters(p256.getCurve().decodePoint(ecPublicEncoded), p256);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(sha256.digest(input), ecR, ecS);
    }

    /** As {@link #bareBcVerifyEd25519} with a public key decoded for this one verification. */
    @Benchmark
    public boolean bareBcVerifyEd25519FreshKey() {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(edPublicEncoded));
        verifier.update(input, 0, input.length);
        return verifier.verifySignature(edSignature);
    }

    /** Ed25519 signature of a WPT-sized input ({@code Ed25519Signer}, reused). */
    @Benchmark
    public byte[] bareBcSignEd25519() {
        edSigner.update(input, 0, input.length);
        return edSigner.generateSignature();
    }
}
