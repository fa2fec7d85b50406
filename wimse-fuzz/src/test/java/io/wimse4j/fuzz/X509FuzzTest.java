package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.x509.CertificateAuthority;
import io.wimse4j.x509.CertificateRequests;
import io.wimse4j.x509.IssuedWic;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.PemException;
import io.wimse4j.x509.WicIssuer;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;

import java.io.ByteArrayInputStream;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target: certificate and CSR handling (wimse-x509; WIC-1..WIC-4, C2-3, MT-1, MT-2). The first input
 * byte picks what the rest edits: the PEM text of a WIC chain ({@link Pem#certificates} then
 * {@link WicValidator#validate}), the WIC's DER (parsed by the JDK, then validated), or a CSR's DER
 * ({@link WicIssuer#issue}). Seeds: a CA, a CSR of a fresh P-256 key and the WIC issued for it, at the
 * fixture's instant. Oracle: only the typed errors ({@code WimseException}, {@link PemException}; the
 * JDK's {@link CertificateException} for DER it cannot read, before any wimse4j code runs); a chain whose
 * certificates differ from the seed's (the leaf, or the leaf and its CA) never validates.
 */
class X509FuzzTest {
    static final TrustDomain TD = new TrustDomain("example.org");
    static final CertificateAuthority CA;
    static final WicIssuer ISSUER;
    static final WicValidator VALIDATOR;
    static final WorkloadIdentifier ID;
    static final byte[] CSR;
    static final IssuedWic WIC;
    static final byte[] WIC_DER;

    static {
        try {
            CA = CertificateAuthority.builder(TD).clock(Fixture.fixedClock()).build();
            ISSUER = WicIssuer.builder(CA).clock(Fixture.fixedClock()).build();
            VALIDATOR = WicValidator.builder().clock(Fixture.fixedClock()).forClients()
                    .trust(X509TrustSource.of(X509TrustBundle.of(TD, List.of(CA.certificate())))).build();
            ID = WorkloadIdentifier.parse("wimse://example.org/ns/prod/svc/orders");
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            CSR = CertificateRequests.create(g.generateKeyPair(), ID, List.of());
            WIC = ISSUER.issue(CSR, ID, Set.of(WicUsage.CLIENT));
            WIC_DER = WIC.certificate().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void fuzz(byte[] data) throws CertificateEncodingException {
        int choice = data.length == 0 ? 0 : (data[0] & 0xff) % 3;
        byte[] edits = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        switch (choice) {
            case 0 -> {
                List<X509Certificate> chain;
                try {
                    chain = Pem.certificates(Mutation.apply(WIC.chainPem(), edits));
                } catch (PemException unreadable) {
                    return;
                }
                validateOnlySeed(chain);
            }
            case 1 -> {
                X509Certificate leaf;
                try {
                    leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(Mutation.apply(WIC_DER, edits)));
                } catch (CertificateException | RuntimeException jdkCannotRead) {
                    return; // the JDK's parser, before any wimse4j code
                }
                validateOnlySeed(List.of(leaf));
            }
            default -> {
                byte[] csr = Mutation.apply(CSR, edits);
                try {
                    ISSUER.issue(csr, ID, Set.of(WicUsage.CLIENT));
                } catch (WimseException refused) {
                    // typed refusal: fine
                }
            }
        }
    }

    private static void validateOnlySeed(List<X509Certificate> chain) throws CertificateEncodingException {
        // the seed's leaf alone, or with its CA, is the seed: the CA is the trust anchor either way
        boolean mutated = chain.isEmpty() || chain.size() > WIC.chain().size();
        for (int i = 0; !mutated && i < chain.size(); i++) {
            mutated = !Arrays.equals(chain.get(i).getEncoded(), WIC.chain().get(i).getEncoded());
        }
        Oracle.acceptsOnlySeed("WIC validation", mutated, () -> VALIDATOR.validate(chain));
    }
}
