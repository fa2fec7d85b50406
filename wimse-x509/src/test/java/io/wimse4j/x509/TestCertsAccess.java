package io.wimse4j.x509;

import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** {@link TestCerts} for the tests of other packages: a PKI of two trust domains and its leaves. */
public final class TestCertsAccess {
    private TestCertsAccess() {
    }

    /** A key pair and its chain, leaf first. */
    public record Leaf(KeyPair keys, List<X509Certificate> chain) {
    }

    /** The CAs of example.org and other.org. */
    public static final class Pki {
        private final TestCerts.Held example = TestCerts.ca("example.org CA");
        private final TestCerts.Held other = TestCerts.ca("other.org CA");

        public X509Certificate exampleCa() {
            return example.certificate();
        }

        public X509Certificate otherCa() {
            return other.certificate();
        }

        private Leaf leaf(TestCerts.Spec spec, TestCerts.Held ca) {
            TestCerts.Held h = spec.sign(TestCerts.ecKey(), ca);
            return new Leaf(h.keys(), List.of(h.certificate(), ca.certificate()));
        }

        /** A client WIC of {@code id} (clientAuth). */
        public Leaf client(String id) {
            return leaf(TestCerts.spec().uri(id), example);
        }

        /** A server WIC of {@code id} with DNS SAN {@code dns} (serverAuth only). */
        public Leaf server(String id, String dns) {
            return leaf(TestCerts.spec().uri(id).dns(dns).eku(KeyPurposeId.id_kp_serverAuth), example);
        }

        public Leaf clientSignedByOther(String id) {
            return leaf(TestCerts.spec().uri(id), other);
        }

        public Leaf clientWithTwoUris(String id, String second) {
            return leaf(TestCerts.spec().uri(id).uri(second), example);
        }

        public Leaf expiredClient(String id) {
            return leaf(TestCerts.spec().uri(id).valid(Instant.parse("2025-12-30T00:00:00Z"), Instant.parse("2025-12-31T12:00:00Z")), example);
        }
    }

    public static Pki pki() {
        return new Pki();
    }

    public static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
