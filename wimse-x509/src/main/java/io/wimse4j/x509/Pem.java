package io.wimse4j.x509;

import io.wimse4j.x509.internal.PemBlocks;
import io.wimse4j.x509.internal.PemBlocks.Block;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Strict PEM (RFC 7468) for certificates, certificate chains, private keys and PKCS#10 requests.
 *
 * <p>Reading: the text holds only PEM blocks (blank lines between them allowed; no explanatory text,
 * headers or trailing data), at most {@value #MAX_CHARS} characters; each block must decode to exactly
 * what its label says, in DER (a certificate that the JDK re-encodes differently is refused). Private keys
 * are read from {@code PRIVATE KEY} (PKCS#8), {@code EC PRIVATE KEY} (SEC 1) and {@code RSA PRIVATE KEY}
 * (PKCS#1); encrypted keys are refused (keep the key in an owner-only file instead, KEY-1).
 *
 * <p>Writing: {@code \n} line ends, 64 characters a line. {@link #writePrivateKey(Path, PrivateKey)}
 * creates the file owner-only ({@code rw-------}) from the start and replaces the target atomically
 * (KEY-1). Errors never show key material.
 */
public final class Pem {
    /** The largest PEM text or file read: 1 MiB. */
    public static final int MAX_CHARS = PemBlocks.MAX_CHARS;

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String CSR = "CERTIFICATE REQUEST";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pem() {
    }

    /** The certificates of {@code pem}, in order (a chain: leaf first); at least one, nothing but {@code CERTIFICATE} blocks. */
    public static List<X509Certificate> certificates(String pem) throws PemException {
        List<X509Certificate> out = new ArrayList<>();
        for (Block b : PemBlocks.parse(pem)) {
            if (!CERTIFICATE.equals(b.label())) {
                throw new PemException("expected only CERTIFICATE blocks, found " + b.label());
            }
            out.add(certificate(b.der(), out.size() + 1));
        }
        return List.copyOf(out);
    }

    /** The one certificate of {@code pem}. */
    public static X509Certificate certificate(String pem) throws PemException {
        return certificate(PemBlocks.single(pem, "certificate", CERTIFICATE).der(), 1);
    }

    private static X509Certificate certificate(byte[] der, int index) throws PemException {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            if (!Arrays.equals(c.getEncoded(), der)) {
                throw new PemException("certificate " + index + " is not in DER or has trailing bytes");
            }
            return c;
        } catch (CertificateException e) {
            throw new PemException("certificate " + index + " does not decode: " + e.getMessage(), e);
        }
    }

    /** The one private key of {@code pem}: PKCS#8 {@code PRIVATE KEY}, SEC 1 {@code EC PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}. */
    public static PrivateKey privateKey(String pem) throws PemException {
        Block b;
        try {
            b = PemBlocks.single(pem, "private key", PRIVATE_KEY, "EC PRIVATE KEY", "RSA PRIVATE KEY");
        } catch (PemException e) {
            if (pem.contains("ENCRYPTED") || pem.contains("Proc-Type")) {
                throw new PemException("the private key is encrypted; give an unencrypted key in an owner-only file");
            }
            throw e;
        }
        try {
            PrivateKeyInfo info = switch (b.label()) {
                case PRIVATE_KEY -> PrivateKeyInfo.getInstance(b.der());
                case "EC PRIVATE KEY" -> {
                    ECPrivateKey sec1 = ECPrivateKey.getInstance(b.der());
                    if (sec1.getParametersObject() == null) {
                        throw new PemException("the EC PRIVATE KEY does not name its curve");
                    }
                    yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                            sec1.getParametersObject()), sec1);
                }
                default -> new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(b.der()));
            };
            if (!Arrays.equals(reencode(b.label(), info, b.der()), b.der())) {
                throw new PemException("the " + b.label() + " is not in DER or has trailing bytes");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PemException p) {
                throw p;
            }
            throw new PemException("the " + b.label() + " does not decode (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] reencode(String label, PrivateKeyInfo info, byte[] der) throws IOException {
        return PRIVATE_KEY.equals(label) ? info.getEncoded("DER") : info.parsePrivateKey().toASN1Primitive().getEncoded("DER");
    }

    /** The DER of the one PKCS#10 request of {@code pem} ({@code CERTIFICATE REQUEST} or {@code NEW CERTIFICATE REQUEST}). */
    public static byte[] certificationRequest(String pem) throws PemException {
        return PemBlocks.single(pem, "certification request", CSR, "NEW " + CSR).der();
    }

    /** {@code certificates} as consecutive {@code CERTIFICATE} blocks, in the order given. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate to encode");
        }
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certificates) {
            try {
                sb.append(PemBlocks.encode(CERTIFICATE, c.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("the certificate cannot be encoded", e);
            }
        }
        return sb.toString();
    }

    /** {@code key} as a PKCS#8 {@code PRIVATE KEY} block (KEY-1: keep the text away from logs). */
    public static String encodePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new IllegalArgumentException("the " + key.getAlgorithm() + " private key has no PKCS#8 encoding");
        }
        return PemBlocks.encode(PRIVATE_KEY, key.getEncoded());
    }

    /** A PKCS#10 request's DER as a {@code CERTIFICATE REQUEST} block. */
    public static String encodeCertificationRequest(byte[] der) {
        return PemBlocks.encode(CSR, der);
    }

    /** Reads the certificates of {@code file} (see {@link #certificates(String)}), refusing a file over {@value #MAX_CHARS} bytes. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return withFile(file, () -> certificates(read(file)));
    }

    /** Reads the private key of {@code file} (see {@link #privateKey(String)}). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return withFile(file, () -> privateKey(read(file)));
    }

    /** Writes {@code certificates} to {@code file} ({@code rw-r--r--} under POSIX), replacing it atomically. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        writeAtomically(file, encodeCertificates(certificates), PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * Writes {@code key} (PKCS#8) to {@code file}: the content goes to a new file in the same directory
     * created owner-only ({@code rw-------} under POSIX, KEY-1) and then moved over {@code file} atomically,
     * so the key is never readable by others, not even for a moment, and a reader never sees half a file.
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeAtomically(file, encodePrivateKey(key), PosixFilePermissions.fromString("rw-------"));
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T withFile(Path file, Reading<T> reading) throws IOException {
        try {
            return reading.read();
        } catch (PemException e) {
            throw new PemException(file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_CHARS) {
            throw new PemException("the file has " + size + " bytes, more than the limit of " + MAX_CHARS);
        }
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private static void writeAtomically(Path file, String text, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Path tmp = null;
        for (int attempt = 0; tmp == null; attempt++) {
            byte[] suffix = new byte[8];
            RANDOM.nextBytes(suffix);
            Path candidate = dir.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
            try {
                tmp = Files.createFile(candidate, attrs);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 5) {
                    throw e;
                }
            }
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
