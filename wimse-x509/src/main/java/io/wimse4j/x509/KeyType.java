package io.wimse4j.x509;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * The key types wimse4j generates for certificate authorities and test certificates (KEY-2, KEY-4: a fresh
 * key for each CA, each workload and each certificate). Certificates are signed with the issuer's key:
 * ECDSA with SHA-256 (P-256), ECDSA with SHA-384 (P-384) or Ed25519.
 */
public enum KeyType {
    /** ECDSA on NIST P-256 ({@code secp256r1}), signing with SHA-256; the default. */
    EC_P256("EC", "secp256r1"),
    /** ECDSA on NIST P-384 ({@code secp384r1}), signing with SHA-384. */
    EC_P384("EC", "secp384r1"),
    /** Ed25519 (RFC 8410 in certificates). */
    ED25519("Ed25519", null);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String algorithm;
    private final String curve;

    KeyType(String algorithm, String curve) {
        this.algorithm = algorithm;
        this.curve = curve;
    }

    /** A new key pair of this type from the JDK's providers. */
    public KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                g.initialize(new ECGenParameterSpec(curve), RANDOM);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + this + " key", e);
        }
    }
}
