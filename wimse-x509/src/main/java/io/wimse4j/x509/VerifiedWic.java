package io.wimse4j.x509;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A Workload Identity Certificate chain that a {@link WicValidator} accepted: the path to one of the
 * anchors of the trust domain its one URI SAN names (MT-1), within its validity, usable for the
 * peer's role (MT-3). Authorization takes the identifier from here, never from a header (WIC-4,
 * MT-6). Only a {@link WicValidator} creates one.
 */
public final class VerifiedWic {
    private final WorkloadIdentifier identifier;
    private final List<X509Certificate> chain;
    private final List<String> dnsNames;

    VerifiedWic(WorkloadIdentifier identifier, List<X509Certificate> chain, List<String> dnsNames) {
        this.identifier = identifier;
        this.chain = List.copyOf(chain);
        this.dnsNames = List.copyOf(dnsNames);
    }

    /** The workload identifier of the certificate's one URI SAN (WIC-1, WIC-2). */
    public WorkloadIdentifier identifier() {
        return identifier;
    }

    /** The identifier's trust domain, whose anchors the chain leads to (MT-1, MT-5). */
    public TrustDomain trustDomain() {
        return identifier.trustDomain();
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The chain as presented, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The DNS SANs of the leaf, in order (WIC-3); empty when it has none. */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** The leaf's {@code notAfter}. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "VerifiedWic[" + identifier + "]";
    }
}
