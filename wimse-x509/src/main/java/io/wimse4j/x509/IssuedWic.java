package io.wimse4j.x509;

import io.wimse4j.core.id.WorkloadIdentifier;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A Workload Identity Certificate just issued by {@link WicIssuer}: the leaf and its chain (leaf, then the
 * CA certificate), with what was certified. Only an issuer makes one; it holds no private key (the
 * workload's key never leaves it, KEY-1). Immutable.
 */
public final class IssuedWic {
    private final X509Certificate leaf;
    private final List<X509Certificate> chain;
    private final WorkloadIdentifier identifier;
    private final Set<WicUsage> usages;
    private final List<String> dnsNames;

    IssuedWic(X509Certificate leaf, X509Certificate ca, WorkloadIdentifier identifier, Set<WicUsage> usages,
              List<String> dnsNames) {
        this.leaf = leaf;
        this.chain = List.of(leaf, ca);
        this.identifier = identifier;
        this.usages = usages;
        this.dnsNames = dnsNames;
    }

    /** The leaf certificate: the WIC. */
    public X509Certificate certificate() {
        return leaf;
    }

    /** The chain to send in a TLS handshake: the leaf, then the CA certificate. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The workload identifier, the leaf's one URI SAN (WIC-1, WIC-2, C2-3). */
    public WorkloadIdentifier identifier() {
        return identifier;
    }

    /** The usages the leaf's EKU allows (MT-3). */
    public Set<WicUsage> usages() {
        return usages;
    }

    /** The leaf's DNS SANs, in order (WIC-3). */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** The first instant the leaf is valid. */
    public Instant notBefore() {
        return leaf.getNotBefore().toInstant();
    }

    /** The last instant the leaf is valid (MT-7: replace it before; KEY-3: its key is not used after). */
    public Instant notAfter() {
        return leaf.getNotAfter().toInstant();
    }

    /** The leaf as one PEM {@code CERTIFICATE} block. */
    public String certificatePem() {
        return Pem.encodeCertificates(List.of(leaf));
    }

    /** The chain as PEM, leaf first: the usual content of a workload's certificate file. */
    public String chainPem() {
        return Pem.encodeCertificates(chain);
    }

    /** The identifier, serial, usages and notAfter. */
    @Override
    public String toString() {
        return "IssuedWic[" + identifier + ", serial " + leaf.getSerialNumber().toString(16) + ", " + usages
                + ", until " + notAfter() + "]";
    }
}
