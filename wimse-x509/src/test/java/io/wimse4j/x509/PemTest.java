package io.wimse4j.x509;

import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Strict PEM: KEY-1 (owner-only key files, no key in errors), round trips, one refusal per row. */
class PemTest {
    static final HeldCertificate CA = HeldCertificate.builder().certificateAuthority(0).build();
    static final HeldCertificate LEAF = HeldCertificate.builder().uri("wimse://example.org/a").signedBy(CA).build();

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyType.class)
    void privateKeysRoundTripAsPkcs8(KeyType type) throws Exception {
        KeyPair k = type.generate();
        String pem = Pem.encodePrivateKey(k.getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Pem.privateKey(pem).getEncoded()).isEqualTo(k.getPrivate().getEncoded());
    }

    @Test
    void aSec1EcPrivateKeyIsRead() throws Exception {
        KeyPair k = KeyType.EC_P256.generate();
        java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey) k.getPrivate();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(k.getPublic().getEncoded());
        byte[] der = new ECPrivateKey(256, priv.getS(), spki.getPublicKeyData(), spki.getAlgorithm().getParameters()).getEncoded();
        String pem = "-----BEGIN EC PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(der) + "\n-----END EC PRIVATE KEY-----\n";
        PrivateKey read = Pem.privateKey(pem);
        assertThat(((java.security.interfaces.ECPrivateKey) read).getS()).isEqualTo(priv.getS());
    }

    @Test
    void chainsRoundTripInOrder() throws Exception {
        String pem = LEAF.chainPem();
        assertThat(Pem.certificates(pem)).containsExactly(LEAF.certificate(), CA.certificate());
        assertThat(Pem.certificates(pem.replace("\n", "\r\n") + "\n\n")).hasSize(2);
        assertThat(Pem.certificate(LEAF.certificatePem())).isEqualTo(LEAF.certificate());
        byte[] csr = CertificateRequests.create(KeyType.EC_P256.generate(), WicIssuerRulesTest.ID, List.of());
        assertThat(Pem.certificationRequest(Pem.encodeCertificationRequest(csr))).isEqualTo(csr);
    }

    /** One refusal: the text and the message expected. */
    record Bad(String name, String text, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badCertificates() {
        String cert = LEAF.certificatePem();
        String body = cert.substring(cert.indexOf('\n') + 1, cert.indexOf("-----END"));
        return Stream.of(
                new Bad("trailing garbage", cert + "garbage\n", "line " + (cert.split("\n").length + 1) + " is outside any PEM block (no text or trailing data is allowed)"),
                new Bad("leading explanatory text", "subject=CN=x\n" + cert, "line 1 is outside any PEM block (no text or trailing data is allowed)"),
                new Bad("no END line", cert.substring(0, cert.indexOf("-----END")), "the CERTIFICATE block starting at line 1 has no END line"),
                new Bad("a foreign character", cert.replaceFirst("\n", "\n!"), "line 2 of the CERTIFICATE block is not base64"),
                new Bad("missing padding", "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n", "the CERTIFICATE block is not padded base64"),
                new Bad("a private key among the certificates", cert + LEAF.privateKeyPem(), "expected only CERTIFICATE blocks, found PRIVATE KEY"),
                new Bad("not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "certificate 1 does not decode: "),
                new Bad("empty", "", "no PEM block"),
                new Bad("non-ASCII", cert + "\u00e9", "PEM text holds a character that is not printable ASCII at offset " + cert.length()),
                new Bad("over 1 MiB", cert + " ".repeat(Pem.MAX_CHARS), "PEM text of " + (cert.length() + Pem.MAX_CHARS)
                        + " characters exceeds the limit of 1048576"),
                new Bad("a header line", "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n" + body + "-----END CERTIFICATE-----\n",
                        "line 2 of the CERTIFICATE block is not base64 (PEM headers, e.g. of an encrypted key, are not supported)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCertificates")
    void strictParsingRefusesEveryDeviation(Bad row) {
        assertThatThrownBy(() -> Pem.certificates(row.text())).isInstanceOf(PemException.class).hasMessageStartingWith(row.message());
    }

    @Test
    void KEY_1_encryptedOrForeignKeysAreRefusedWithoutShowingTheKey() {
        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
                .isInstanceOf(PemException.class)
                .hasMessage("the private key is encrypted; give an unencrypted key in an owner-only file");
        assertThatThrownBy(() -> Pem.privateKey(LEAF.certificatePem())).isInstanceOf(PemException.class)
                .hasMessage("expected a private key (PRIVATE KEY or EC PRIVATE KEY or RSA PRIVATE KEY), found CERTIFICATE");
        String key = LEAF.privateKeyPem();
        String broken = key.replace(key.substring(40, 60), "AAAAAAAAAAAAAAAAAAAA");
        assertThatThrownBy(() -> Pem.privateKey(broken)).isInstanceOf(PemException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key.substring(60, 90)));
        assertThatThrownBy(() -> Pem.privateKey(key + key)).isInstanceOf(PemException.class)
                .hasMessage("expected one private key PEM block, found 2");
    }

    @Test
    void KEY_1_aPrivateKeyFileIsOwnerOnlyAndReplacedAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, "old");
        Pem.writePrivateKey(file, LEAF.keyPair().getPrivate());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Pem.readPrivateKey(file).getEncoded()).isEqualTo(LEAF.keyPair().getPrivate().getEncoded());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        Path certs = dir.resolve("chain.pem");
        Pem.writeCertificates(certs, LEAF.chain());
        assertThat(Pem.readCertificates(certs)).containsExactlyElementsOf(LEAF.chain());
        Files.writeString(certs, " ".repeat(Pem.MAX_CHARS + 1));
        assertThatThrownBy(() -> Pem.readCertificates(certs)).isInstanceOf(PemException.class)
                .hasMessage(certs + ": the file has 1048577 bytes, more than the limit of 1048576");
    }
}
