package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The X.509 trust anchors of one trust domain (ID-3, MT-1): the CA certificates that may sign the
 * Workload Identity Certificates of that trust domain, and only of it. Configured out of band (a PEM
 * file, the Identity Server's CA bundle); an identifier never brings its own anchors. Immutable;
 * equal when trust domain and certificates are equal.
 */
public final class X509TrustBundle {
    /** Most anchors one trust domain may have (a CA and its successors during rotations). */
    public static final int MAX_ANCHORS = 16;

    private final TrustDomain trustDomain;
    private final List<X509Certificate> anchors;
    private final Set<TrustAnchor> trustAnchors;

    private X509TrustBundle(TrustDomain trustDomain, List<X509Certificate> anchors) {
        this.trustDomain = trustDomain;
        this.anchors = List.copyOf(anchors);
        Set<TrustAnchor> t = new LinkedHashSet<>();
        for (X509Certificate c : this.anchors) {
            t.add(new TrustAnchor(c, null));
        }
        this.trustAnchors = Set.copyOf(t);
    }

    /**
     * The anchors {@code certificates} for {@code trustDomain}: each a CA certificate
     * ({@code basicConstraints} CA), at least one, at most {@value #MAX_ANCHORS}, no duplicates.
     *
     * @throws WimseException {@link Reason#INVALID_KEY} when a certificate is not a CA or the set is empty or too large
     */
    public static X509TrustBundle of(TrustDomain trustDomain, Collection<X509Certificate> certificates) throws WimseException {
        Objects.requireNonNull(trustDomain, "trustDomain");
        List<X509Certificate> list = new ArrayList<>(new LinkedHashSet<>(certificates));
        if (list.isEmpty() || list.size() > MAX_ANCHORS) {
            throw new WimseException(Reason.INVALID_KEY, "the X.509 trust bundle of " + trustDomain + " must hold 1 to "
                    + MAX_ANCHORS + " CA certificates, not " + list.size());
        }
        for (X509Certificate c : list) {
            if (c.getBasicConstraints() < 0) {
                throw new WimseException(Reason.INVALID_KEY, "an anchor of " + trustDomain + " is not a CA certificate: "
                        + c.getSubjectX500Principal().getName());
            }
        }
        return new X509TrustBundle(trustDomain, list);
    }

    /**
     * The anchors in {@code pem}: one or more {@code CERTIFICATE} blocks, nothing else.
     *
     * @throws WimseException {@link Reason#INVALID_KEY} when the text holds no certificate, anything else, or a non-CA
     */
    public static X509TrustBundle fromPem(TrustDomain trustDomain, String pem) throws WimseException {
        try {
            return of(trustDomain, Pem.certificates(pem));
        } catch (PemException e) {
            throw new WimseException(Reason.INVALID_KEY, "the X.509 trust bundle of " + trustDomain + ": " + e.getMessage());
        }
    }

    /** The trust domain whose certificates these anchors sign. */
    public TrustDomain trustDomain() {
        return trustDomain;
    }

    /** The CA certificates, in the order given. */
    public List<X509Certificate> anchors() {
        return anchors;
    }

    Set<TrustAnchor> trustAnchors() {
        return trustAnchors;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X509TrustBundle b && b.trustDomain.equals(trustDomain) && b.anchors.equals(anchors);
    }

    @Override
    public int hashCode() {
        return trustDomain.hashCode() * 31 + anchors.hashCode();
    }

    @Override
    public String toString() {
        return "X509TrustBundle[" + trustDomain + ", " + anchors.size() + " anchor(s)]";
    }
}
