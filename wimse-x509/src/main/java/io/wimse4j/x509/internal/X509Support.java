package io.wimse4j.x509.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Certificate building with BouncyCastle, kept out of the public API. */
public final class X509Support {
    private static final SecureRandom RANDOM = new SecureRandom();

    private X509Support() {
    }

    /** A random positive serial of at most 128 bits (RFC 5280 4.1.2.2: at most 20 octets, unpredictable). */
    public static BigInteger serial() {
        BigInteger s;
        do {
            s = new BigInteger(128, RANDOM);
        } while (s.signum() == 0);
        return s;
    }

    /**
     * The JCA signature algorithm for a signing key: SHA256withECDSA (P-256), SHA384withECDSA (P-384),
     * SHA512withECDSA (P-521), Ed25519, SHA256withRSA (2048..8192 bits).
     */
    public static String signatureAlgorithm(java.security.Key key) throws WimseException {
        String alg = key.getAlgorithm();
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return switch (bits) {
                case 256 -> "SHA256withECDSA";
                case 384 -> "SHA384withECDSA";
                case 521 -> "SHA512withECDSA";
                default -> throw new WimseException(Reason.INVALID_KEY, "unsupported EC curve of " + bits + " bits (P-256, P-384, P-521)");
            };
        }
        if ("Ed25519".equals(alg) || ("EdDSA".equals(alg) && isEd25519(key))) {
            return "Ed25519";
        }
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048 || bits > 8192) {
                throw new WimseException(Reason.INVALID_KEY, "RSA key of " + bits + " bits (2048..8192)");
            }
            return "SHA256withRSA";
        }
        throw new WimseException(Reason.INVALID_KEY, "unsupported key type " + alg + " (EC P-256/P-384/P-521, Ed25519, RSA)");
    }

    private static boolean isEd25519(java.security.Key key) {
        if (key instanceof java.security.interfaces.EdECKey ed) {
            return "Ed25519".equalsIgnoreCase(ed.getParams().getName());
        }
        return false;
    }

    /** Whether {@code key} makes signatures that {@code publicKey} verifies (a probe signature). */
    public static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        try {
            String alg = signatureAlgorithm(key);
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | WimseException | RuntimeException e) {
            return false;
        }
    }

    /** Signs {@code builder} with {@code issuerKey} and converts the result with the JDK's certificate factory. */
    public static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) throws WimseException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new WimseException(Reason.INVALID_KEY, "cannot sign with the issuer's " + issuerKey.getAlgorithm()
                    + " key: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Refuses ({@link Reason#INVALID_KEY}) a CA certificate and key that cannot sign certificates: a
     * certificate that is not a CA (basicConstraints CA) or lacks keyUsage keyCertSign, a key of an
     * unsupported type or one that does not belong to the certificate.
     */
    public static void checkCa(X509Certificate certificate, PrivateKey privateKey) throws WimseException {
        signatureAlgorithm(privateKey);
        if (certificate.getBasicConstraints() < 0) {
            throw new WimseException(Reason.INVALID_KEY, "the certificate is not a CA (basicConstraints CA:false or absent)");
        }
        boolean[] ku = certificate.getKeyUsage();
        if (ku == null || ku.length < 6 || !ku[5]) {
            throw new WimseException(Reason.INVALID_KEY, "the CA certificate's keyUsage lacks keyCertSign");
        }
        if (!belongTogether(privateKey, certificate.getPublicKey())) {
            throw new WimseException(Reason.INVALID_KEY, "the private key does not belong to the CA certificate");
        }
    }

    /**
     * The subjectAltNames of {@code certificate} of GeneralName type {@code type} ({@code 2} DNS, {@code 6} URI,
     * {@code 7} IP address, as the JDK gives them), in order; none without the extension.
     */
    public static List<String> subjectAltNames(X509Certificate certificate, int type) throws WimseException {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans.stream().filter(s -> Integer.valueOf(type).equals(s.get(0)))
                    .map(s -> (String) s.get(1)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new WimseException(Reason.INVALID_KEY, "the certificate's subjectAltName does not decode", e);
        }
    }

    /** Adds basicConstraints (critical): CA with {@code pathLen}, or not a CA when {@code pathLen} is negative. */
    public static void basicConstraints(X509v3CertificateBuilder b, int pathLen) throws CertIOException {
        b.addExtension(Extension.basicConstraints, true, pathLen < 0 ? new BasicConstraints(false) : new BasicConstraints(pathLen));
    }

    /** Adds keyUsage (critical): keyCertSign and cRLSign for a CA, digitalSignature otherwise. */
    public static void keyUsage(X509v3CertificateBuilder b, boolean ca) throws CertIOException {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    }

    /** Adds the subject key identifier of {@code subjectKey} and, when {@code issuer} is given, its authority key identifier. */
    public static void keyIdentifiers(X509v3CertificateBuilder b, PublicKey subjectKey, X509Certificate issuer)
            throws CertIOException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is unavailable", e);
        }
    }

    /** Adds an extended key usage extension (not critical) listing {@code oids}; nothing when empty. */
    public static void extendedKeyUsage(X509v3CertificateBuilder b, Collection<String> oids) throws CertIOException {
        if (oids.isEmpty()) {
            return;
        }
        KeyPurposeId[] ids = oids.stream().map(o -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(o)))
                .toArray(KeyPurposeId[]::new);
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ids));
    }

    /**
     * Adds a subjectAltName extension of URIs then DNS names; critical when the subject is empty
     * (RFC 5280 4.2.1.6); nothing when both lists are empty.
     */
    public static void subjectAltNames(X509v3CertificateBuilder b, List<String> uris, List<String> dnsNames,
                                       boolean critical) throws CertIOException {
        List<GeneralName> names = new ArrayList<>();
        uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, critical, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
    }
}
