package io.wimse4j.x509;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/** Hand-made PKCS#10 requests for the refusal tables: any SANs, extensions and attributes. */
final class Csrs {
    private final KeyPair keys;
    private final List<GeneralName> sans = new ArrayList<>();
    private final ExtensionsGenerator extra = new ExtensionsGenerator();
    private boolean challengePassword;
    private boolean noExtensionRequest;

    private Csrs(KeyPair keys) {
        this.keys = keys;
    }

    static Csrs of(KeyPair keys) {
        return new Csrs(keys);
    }

    Csrs uri(String uri) {
        sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        return this;
    }

    Csrs dns(String dns) {
        sans.add(new GeneralName(GeneralName.dNSName, dns));
        return this;
    }

    Csrs ip(String ip) {
        sans.add(new GeneralName(GeneralName.iPAddress, ip));
        return this;
    }

    Csrs email(String email) {
        sans.add(new GeneralName(GeneralName.rfc822Name, email));
        return this;
    }

    Csrs extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            extra.addExtension(oid, critical, value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    Csrs caTrue() {
        return extension(Extension.basicConstraints, true, new BasicConstraints(0));
    }

    Csrs keyCertSign() {
        return extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    }

    Csrs codeSigning() {
        return extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    }

    Csrs challengePassword() {
        challengePassword = true;
        return this;
    }

    Csrs noExtensionRequest() {
        noExtensionRequest = true;
        return this;
    }

    byte[] der() {
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"),
                    keys.getPublic());
            if (!sans.isEmpty()) {
                extra.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            if (!noExtensionRequest && !extra.isEmpty()) {
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extra.generate());
            }
            if (challengePassword) {
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString("secret"));
            }
            String alg = keys.getPrivate().getAlgorithm().startsWith("Ed") ? "Ed25519" : "SHA256withECDSA";
            return b.build(new JcaContentSignerBuilder(alg).build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
