package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.internal.DnsNames;
import io.wimse4j.x509.internal.X509Support;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload's side of issuance: a PKCS#10 request for a WIC, signed with the workload's own key (the
 * proof of possession {@link WicIssuer} checks). Generate a fresh key for each certificate (KEY-4, MT-7) and
 * keep it in the workload (KEY-1, KEY-2): only the request travels.
 */
public final class CertificateRequests {
    private CertificateRequests() {
    }

    /**
     * A DER PKCS#10 request with an empty subject and an extensionRequest asking for one URI SAN,
     * {@code identifier} (WIC-1, WIC-2), then {@code dnsNames} (WIC-3), nothing else.
     *
     * @throws WimseException {@code INVALID_KEY} for an unsupported key, {@code INVALID_CLAIM} for a refused DNS name
     */
    public static byte[] create(KeyPair keys, WorkloadIdentifier identifier, List<String> dnsNames) throws WimseException {
        List<String> dns = DnsNames.validate(dnsNames);
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identifier.value()));
        dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        try {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names.toArray(GeneralName[]::new)));
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]),
                    keys.getPublic());
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            String alg = X509Support.signatureAlgorithm(keys.getPrivate());
            return b.build(new JcaContentSignerBuilder(alg).build(keys.getPrivate())).getEncoded();
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            throw new WimseException(Reason.INVALID_KEY, "cannot sign a CSR with the " + keys.getPrivate().getAlgorithm()
                    + " key (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** {@link #create(KeyPair, WorkloadIdentifier, List)} as a PEM {@code CERTIFICATE REQUEST}. */
    public static String createPem(KeyPair keys, WorkloadIdentifier identifier, List<String> dnsNames) throws WimseException {
        return Pem.encodeCertificationRequest(create(keys, identifier, dnsNames));
    }
}
