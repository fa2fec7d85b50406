package io.wimse4j.x509.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.PemException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The checks {@code WicIssuer} makes on a PKCS#10 request before it signs anything: strict DER (or one
 * PEM block), a signature that the request's own key verifies (proof of possession), a supported key,
 * and no requested attribute or extension beyond a subjectAltName of URIs and DNS names. Which names are
 * acceptable is the issuer's decision; this class only reads them.
 */
public final class CsrCheck {
    /** The largest request accepted: 64 KiB of DER or PEM. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final Map<String, String> KNOWN = Map.of(
            Extension.basicConstraints.getId(), "basicConstraints",
            Extension.keyUsage.getId(), "keyUsage",
            Extension.extendedKeyUsage.getId(), "extendedKeyUsage",
            Extension.nameConstraints.getId(), "nameConstraints",
            Extension.subjectKeyIdentifier.getId(), "subjectKeyIdentifier",
            Extension.authorityKeyIdentifier.getId(), "authorityKeyIdentifier",
            Extension.certificatePolicies.getId(), "certificatePolicies");

    /**
     * A request that passed: its public key and the names it asks for.
     *
     * @param publicKey the key to certify
     * @param uris      the URI SANs requested, in order (possibly none or several: the issuer decides)
     * @param dnsNames  the DNS SANs requested, in order
     */
    public record Checked(PublicKey publicKey, List<String> uris, List<String> dnsNames) {
    }

    private CsrCheck() {
    }

    /** Parses and checks {@code csr} (DER, or PEM {@code CERTIFICATE REQUEST}). */
    public static Checked check(byte[] csr) throws WimseException {
        if (csr == null || csr.length == 0) {
            throw invalidCsr("the CSR is empty");
        }
        if (csr.length > MAX_BYTES) {
            throw invalidCsr("the CSR has " + csr.length + " bytes, more than " + MAX_BYTES);
        }
        byte[] der = csr;
        if (csr[0] == '-') {
            try {
                der = Pem.certificationRequest(new String(csr, StandardCharsets.ISO_8859_1));
            } catch (PemException e) {
                throw invalidCsr("the CSR is not a PEM CERTIFICATE REQUEST: " + e.getMessage());
            }
        }
        JcaPKCS10CertificationRequest request;
        try {
            request = new JcaPKCS10CertificationRequest(der);
            if (!Arrays.equals(request.getEncoded(), der)) {
                throw invalidCsr("the CSR is not in DER (or has trailing bytes)");
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw invalidCsr("the CSR is not a DER PKCS#10 request");
        }
        PublicKey key;
        try {
            key = request.getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new WimseException(Reason.INVALID_KEY, "the CSR's public key is unusable (" + e.getClass().getSimpleName() + ")");
        }
        X509Support.signatureAlgorithm(key);
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new WimseException(Reason.INVALID_KEY, "the CSR's signature does not verify with its own key (no proof of possession)");
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new WimseException(Reason.INVALID_KEY, "the CSR's signature cannot be checked ("
                    + e.getClass().getSimpleName() + ")");
        }
        List<String> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        Attribute[] attributes = request.getAttributes();
        for (Attribute a : attributes) {
            if (!PKCSObjectIdentifiers.pkcs_9_at_extensionRequest.equals(a.getAttrType())) {
                throw refused("the CSR carries attribute " + name(a.getAttrType()) + "; only extensionRequest is accepted");
            }
        }
        if (attributes.length > 1) {
            throw refused("the CSR carries " + attributes.length + " extensionRequest attributes");
        }
        if (attributes.length == 1) {
            ASN1Encodable[] values = attributes[0].getAttributeValues();
            if (values.length != 1) {
                throw refused("the CSR's extensionRequest has " + values.length + " values");
            }
            Extensions extensions = Extensions.getInstance(values[0]);
            for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
                if (!Extension.subjectAlternativeName.equals(oid)) {
                    throw refused("the CSR requests extension " + name(oid)
                            + "; the issuer sets every extension and accepts only a subjectAltName request");
                }
            }
            GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            for (GeneralName n : names == null ? new GeneralName[0] : names.getNames()) {
                switch (n.getTagNo()) {
                    case GeneralName.uniformResourceIdentifier -> uris.add(n.getName().toString());
                    case GeneralName.dNSName -> dns.add(n.getName().toString());
                    default -> throw refused("the CSR requests a subjectAltName of type " + sanType(n.getTagNo())
                            + "; only the identifier URI and DNS names are issued (WIC-1, WIC-3)");
                }
            }
        }
        return new Checked(key, List.copyOf(uris), List.copyOf(dns));
    }

    private static String name(ASN1ObjectIdentifier oid) {
        if (PKCSObjectIdentifiers.pkcs_9_at_challengePassword.equals(oid)) {
            return "challengePassword";
        }
        String known = KNOWN.get(oid.getId());
        return known != null ? known + " (" + oid.getId() + ")" : oid.getId();
    }

    private static String sanType(int tag) {
        return switch (tag) {
            case GeneralName.otherName -> "otherName";
            case GeneralName.rfc822Name -> "rfc822Name (email)";
            case GeneralName.x400Address -> "x400Address";
            case GeneralName.directoryName -> "directoryName";
            case GeneralName.ediPartyName -> "ediPartyName";
            case GeneralName.iPAddress -> "iPAddress";
            case GeneralName.registeredID -> "registeredID";
            default -> "tag " + tag;
        };
    }

    private static WimseException invalidCsr(String detail) {
        return new WimseException(Reason.INVALID_KEY, detail);
    }

    private static WimseException refused(String detail) {
        return new WimseException(Reason.INVALID_CLAIM, detail);
    }
}
