package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.internal.CsrCheck;
import io.wimse4j.x509.internal.X509Support;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Issues Workload Identity Certificates from PKCS#10 requests, signed by one trust domain's
 * {@link CertificateAuthority}. Immutable and thread-safe; built by {@link #builder(CertificateAuthority)}.
 *
 * <p>What the issuer checks, each refusal a {@link WimseException} with its reason:
 * <ul>
 *   <li>the request: strict DER or one PEM block, at most 64 KiB, a signature its own key verifies, a
 *       supported key (EC P-256/P-384/P-521, Ed25519, RSA 2048..8192) that is not the CA's
 *       ({@link Reason#INVALID_KEY}, KEY-2);</li>
 *   <li>no requested attribute and no requested extension other than a subjectAltName; a requested
 *       subjectAltName names nothing beyond the grant: at most one URI, equal to the identifier (WIC-2,
 *       C2-3; {@link Reason#INVALID_IDENTIFIER}), DNS names among the grant's (WIC-3), no other name type
 *       ({@link Reason#INVALID_CLAIM});</li>
 *   <li>the identifier: canonical as {@link WorkloadIdentifier#parse(String)} reads it (ID3-2, ID3-5;
 *       {@link Reason#INVALID_IDENTIFIER}) and in the CA's trust domain (ID-3; {@link Reason#UNTRUSTED_TRUST_DOMAIN});</li>
 *   <li>the lifetime: at most {@link Builder#maxLifetime(Duration) the maximum} (MT-7;
 *       {@link Reason#LIFETIME_TOO_LONG}); the CA valid now ({@link Reason#CREDENTIALS_EXPIRED}).</li>
 * </ul>
 *
 * <p>What the leaf carries, whatever the request asked: an empty subject; exactly one URI SAN, the
 * identifier, then the grant's DNS names (subjectAltName critical, as RFC 5280 requires with an empty
 * subject; WIC-1, WIC-2, WIC-3, C2-3); keyUsage digitalSignature (critical); extendedKeyUsage
 * clientAuth and/or serverAuth per usage (MT-3); basicConstraints CA:false (critical); subject and
 * authority key identifiers; a random 128-bit serial; notBefore {@link Builder#backdate(Duration) one
 * minute} before now (clock skew between issuer and validators) but never before the CA's notBefore;
 * notAfter now plus the lifetime ({@linkplain Builder#defaultLifetime(Duration) one hour} by default),
 * cut to the CA's notAfter so that no WIC outlives its CA.
 */
public final class WicIssuer {
    /** The default WIC lifetime: one hour (MT-7). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /** The default maximum lifetime: 24 hours (MT-7). */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
    /** The longest maximum lifetime a builder accepts: 30 days. */
    public static final Duration MAX_MAX_LIFETIME = Duration.ofDays(30);
    /** The default backdating of notBefore: one minute. */
    public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(1);
    /** The largest backdating accepted: ten minutes. */
    public static final Duration MAX_BACKDATE = Duration.ofMinutes(10);

    private final CertificateAuthority ca;
    private final Clock clock;
    private final Duration defaultLifetime;
    private final Duration maxLifetime;
    private final Duration backdate;

    private WicIssuer(Builder b) {
        this.ca = b.ca;
        this.clock = b.clock;
        this.defaultLifetime = b.defaultLifetime;
        this.maxLifetime = b.maxLifetime;
        this.backdate = b.backdate;
    }

    /** A builder for an issuer signing with {@code ca}. */
    public static Builder builder(CertificateAuthority ca) {
        return new Builder(Objects.requireNonNull(ca, "ca"));
    }

    /** The CA this issuer signs with. */
    public CertificateAuthority certificateAuthority() {
        return ca;
    }

    /**
     * Issues a WIC for {@code identifier} with {@code usages}, no DNS name and the default lifetime.
     *
     * @param csr the PKCS#10 request, DER or PEM
     */
    public IssuedWic issue(byte[] csr, WorkloadIdentifier identifier, Set<WicUsage> usages) throws WimseException {
        return issue(csr, WicGrant.of(identifier, usages));
    }

    /**
     * Issues a WIC for what {@code grant} says, to the key of {@code csr}, after the checks of this class's
     * description.
     *
     * @param csr the PKCS#10 request, DER or PEM
     */
    public IssuedWic issue(byte[] csr, WicGrant grant) throws WimseException {
        WorkloadIdentifier id = canonical(grant.identifier());
        if (!id.isMemberOf(ca.trustDomain())) {
            throw new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN, "identifier " + id + " is not in trust domain "
                    + ca.trustDomain().name() + " of this CA");
        }
        Duration lifetime = grant.lifetime().orElse(defaultLifetime);
        if (lifetime.compareTo(maxLifetime) > 0) {
            throw new WimseException(Reason.LIFETIME_TOO_LONG, "a WIC lifetime of " + lifetime + " exceeds the maximum "
                    + maxLifetime);
        }
        CsrCheck.Checked request = CsrCheck.check(csr);
        if (request.uris().size() > 1) {
            throw new WimseException(Reason.INVALID_IDENTIFIER, "the CSR requests " + request.uris().size()
                    + " URI SANs; a WIC has exactly one, the workload identifier (WIC-2, C2-3)");
        }
        if (request.uris().size() == 1 && !request.uris().get(0).equals(id.value())) {
            throw new WimseException(Reason.INVALID_IDENTIFIER, "the CSR requests URI SAN " + request.uris().get(0)
                    + ", not the granted identifier " + id);
        }
        for (String dns : request.dnsNames()) {
            if (!grant.dnsNames().contains(dns)) {
                throw new WimseException(Reason.INVALID_CLAIM, "the CSR requests DNS name " + dns
                        + ", which is not granted (WIC-3)");
            }
        }
        if (Arrays.equals(request.publicKey().getEncoded(), ca.certificate().getPublicKey().getEncoded())) {
            throw new WimseException(Reason.INVALID_KEY, "the CSR's key is the CA's own key (KEY-2)");
        }
        Instant now = clock.instant();
        if (now.isAfter(ca.notAfter()) || now.isBefore(ca.notBefore())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the CA certificate is not valid at " + now
                    + " (valid " + ca.notBefore() + " to " + ca.notAfter() + ")");
        }
        Instant notBefore = max(now.minus(backdate), ca.notBefore());
        Instant notAfter = min(now.plus(lifetime), ca.notAfter());
        X509Certificate caCert = ca.certificate();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, X509Support.serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                request.publicKey());
        EnumSet<WicUsage> usages = EnumSet.copyOf(grant.usages());
        try {
            X509Support.subjectAltNames(b, List.of(id.value()), grant.dnsNames(), true);
            X509Support.keyUsage(b, false);
            X509Support.extendedKeyUsage(b, usages.stream().map(WicUsage::oid).toList());
            X509Support.basicConstraints(b, -1);
            X509Support.keyIdentifiers(b, request.publicKey(), caCert);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode the WIC's extensions", e);
        }
        X509Certificate leaf = X509Support.sign(b, ca.privateKey());
        return new IssuedWic(leaf, caCert, id, Set.copyOf(usages), grant.dnsNames());
    }

    private static WorkloadIdentifier canonical(WorkloadIdentifier id) throws WimseException {
        WorkloadIdentifier parsed = WorkloadIdentifier.parse(id.value());
        if (!parsed.equals(id)) {
            throw new WimseException(Reason.INVALID_IDENTIFIER, "identifier " + id + " is not canonical (ID3-2)");
        }
        return parsed;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The trust domain and the lifetimes; never the CA key (KEY-1). */
    @Override
    public String toString() {
        return "WicIssuer[" + ca.trustDomain().name() + ", lifetime " + defaultLifetime + ", max " + maxLifetime + "]";
    }

    /** Builds a {@link WicIssuer}; contradictory settings are refused in {@link #build()}. */
    public static final class Builder {
        private final CertificateAuthority ca;
        private Clock clock = Clock.systemUTC();
        private Duration defaultLifetime = DEFAULT_LIFETIME;
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        private Duration backdate = DEFAULT_BACKDATE;

        private Builder(CertificateAuthority ca) {
            this.ca = ca;
        }

        /** The clock that says "now"; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The lifetime of a WIC whose grant names none; {@link #DEFAULT_LIFETIME} by default (MT-7). */
        public Builder defaultLifetime(Duration lifetime) {
            this.defaultLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** The longest lifetime a grant may ask for; {@link #DEFAULT_MAX_LIFETIME} by default, at most {@link #MAX_MAX_LIFETIME} (MT-7). */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** How far before now notBefore lies, for clock skew; {@link #DEFAULT_BACKDATE} by default, 0 to {@link #MAX_BACKDATE}. */
        public Builder backdate(Duration backdate) {
            this.backdate = Objects.requireNonNull(backdate, "backdate");
            return this;
        }

        /**
         * The issuer.
         *
         * @throws IllegalArgumentException when a lifetime is not positive, the maximum exceeds
         *         {@link #MAX_MAX_LIFETIME}, the default exceeds the maximum, or the backdating is out of range
         */
        public WicIssuer build() {
            if (defaultLifetime.isNegative() || defaultLifetime.isZero() || maxLifetime.isNegative() || maxLifetime.isZero()) {
                throw new IllegalArgumentException("WIC lifetimes must be positive");
            }
            if (maxLifetime.compareTo(MAX_MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("the maximum WIC lifetime " + maxLifetime + " exceeds " + MAX_MAX_LIFETIME);
            }
            if (defaultLifetime.compareTo(maxLifetime) > 0) {
                throw new IllegalArgumentException("the default WIC lifetime " + defaultLifetime + " exceeds the maximum "
                        + maxLifetime);
            }
            if (backdate.isNegative() || backdate.compareTo(MAX_BACKDATE) > 0) {
                throw new IllegalArgumentException("backdate must be within 0.." + MAX_BACKDATE + ", was " + backdate);
            }
            return new WicIssuer(this);
        }
    }
}
