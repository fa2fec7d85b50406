package io.wimse4j.x509;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.ObservedVerification;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.WimseObserver;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Validates a peer's Workload Identity Certificate chain, leaf first (WIC-1..WIC-4, MT-1, MT-3):
 * <ol>
 *   <li>the leaf is not a CA and has exactly one URI SAN (WIC-2, C2-3), a canonical workload identifier
 *       (identifier-03; {@link Reason#INVALID_IDENTIFIER}), read before any trust lookup (ID3-2);</li>
 *   <li>the anchors are those of the trust domain that identifier names, and only those (MT-1, ID-3;
 *       {@link Reason#UNTRUSTED_TRUST_DOMAIN}); optionally that trust domain must be one of the expected
 *       ones;</li>
 *   <li>key usage {@code digitalSignature} when the extension is present, and the extended key usage of
 *       the peer's role: {@code clientAuth} for clients, {@code serverAuth} for servers (MT-3;
 *       {@link Reason#INVALID_CERTIFICATE});</li>
 *   <li>the leaf's validity ({@link Reason#EXPIRED}, {@link Reason#NOT_YET_VALID}), then RFC 5280 path
 *       validation to those anchors at the same instant, without revocation checks (short-lived
 *       certificates, MT-7): a bad signature is {@link Reason#BAD_SIGNATURE}, no path to the anchors
 *       {@link Reason#UNKNOWN_KEY}.</li>
 * </ol>
 * Immutable and thread-safe; build it with {@link #builder()}. With {@link Builder#observer(WimseObserver)}
 * each validation is reported as a {@link CredentialKind#MUTUAL_TLS} verification (for a servlet
 * container's own TLS, where the filter validates the chain the handshake accepted).
 */
public final class WicValidator {
    /** Longest chain accepted (leaf, intermediates, possibly the anchor). */
    public static final int MAX_CHAIN_LENGTH = 5;
    static final String CLIENT_AUTH = WicUsage.CLIENT.oid();
    static final String SERVER_AUTH = WicUsage.SERVER.oid();
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private final X509TrustSource trust;
    private final Clock clock;
    private final String requiredUsage;
    private final Set<TrustDomain> expectedTrustDomains;
    private final IdentifierSyntax syntax;
    private final WimseObserver observer;

    private WicValidator(Builder b) {
        this.trust = b.trust;
        this.clock = b.clock;
        this.requiredUsage = b.requiredUsage;
        this.expectedTrustDomains = Set.copyOf(b.expectedTrustDomains);
        this.syntax = b.syntax;
        this.observer = WimseObserver.guarded(b.observer);
    }

    /** A new builder; {@link Builder#trust(X509TrustSource)} and the peer's role are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Validates {@code chain}, leaf first, as presented by the peer. */
    public VerifiedWic validate(List<X509Certificate> chain) throws WimseException {
        return ObservedVerification.run(observer, CredentialKind.MUTUAL_TLS, () -> check(chain));
    }

    private VerifiedWic check(List<X509Certificate> chain) throws WimseException {
        if (chain == null || chain.isEmpty()) {
            throw invalid("the peer presented no certificate (MT-2)");
        }
        if (chain.size() > MAX_CHAIN_LENGTH) {
            throw invalid("the chain has " + chain.size() + " certificates, more than " + MAX_CHAIN_LENGTH);
        }
        X509Certificate leaf = chain.get(0);
        if (leaf.getBasicConstraints() >= 0) {
            throw invalid("the leaf is a CA certificate, not a workload identity certificate");
        }
        List<String> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        sans(leaf, uris, dns);
        if (uris.size() != 1) {
            throw invalid("the leaf has " + uris.size() + " URI SANs; a workload identity certificate has exactly one (WIC-2, C2-3)");
        }
        WorkloadIdentifier id = WorkloadIdentifier.parse(uris.get(0), syntax);
        if (!expectedTrustDomains.isEmpty() && !expectedTrustDomains.contains(id.trustDomain())) {
            throw new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN, "the peer's trust domain " + id.trustDomain()
                    + " is not the one expected (MT-1)");
        }
        X509TrustBundle bundle = trust.bundleFor(id.trustDomain()).filter(b -> b.trustDomain().equals(id.trustDomain()))
                .orElseThrow(() -> new WimseException(Reason.UNTRUSTED_TRUST_DOMAIN,
                        "no X.509 trust anchors for trust domain " + id.trustDomain() + " (MT-1)"));
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
            throw invalid("the leaf's key usage lacks digitalSignature");
        }
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw invalid("the leaf's extended key usage cannot be read");
        }
        if (eku == null || !eku.contains(requiredUsage)) {
            throw invalid("the leaf has no extended key usage " + (requiredUsage.equals(CLIENT_AUTH) ? "clientAuth" : "serverAuth")
                    + " for its role (MT-3)");
        }
        Date now = Date.from(clock.instant());
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new WimseException(Reason.EXPIRED, "the certificate expired at " + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new WimseException(Reason.NOT_YET_VALID, "the certificate is valid from " + leaf.getNotBefore().toInstant());
        }
        validatePath(chain, bundle, now, id.trustDomain());
        return new VerifiedWic(id, chain, dns);
    }

    private static void sans(X509Certificate leaf, List<String> uris, List<String> dns) throws WimseException {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw invalid("the leaf's subject alternative names cannot be read");
        }
        if (sans == null) {
            return;
        }
        for (List<?> san : sans) {
            if (san.size() >= 2 && san.get(0) instanceof Integer type && san.get(1) instanceof String value) {
                if (type == SAN_URI) {
                    uris.add(value);
                } else if (type == SAN_DNS) {
                    dns.add(value);
                }
            }
        }
    }

    private static void validatePath(List<X509Certificate> chain, X509TrustBundle bundle, Date now, TrustDomain td)
            throws WimseException {
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && bundle.anchors().contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1); // the anchor itself, sent along: not part of the path
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(bundle.trustAnchors());
            params.setRevocationEnabled(false);
            params.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw pathFailure(e, td);
        } catch (CertificateException e) {
            throw invalid("the chain is not a sequence of X.509 certificates");
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("PKIX validation is unavailable", e);
        }
    }

    private static WimseException pathFailure(CertPathValidatorException e, TrustDomain td) {
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return new WimseException(Reason.EXPIRED, "a certificate of the chain has expired");
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return new WimseException(Reason.NOT_YET_VALID, "a certificate of the chain is not yet valid");
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return new WimseException(Reason.BAD_SIGNATURE, "a certificate's signature does not verify");
        }
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR || e.getReason() == CertPathValidatorException.BasicReason.UNSPECIFIED) {
            return new WimseException(Reason.UNKNOWN_KEY, "the chain does not lead to the anchors of trust domain " + td + " (MT-1)");
        }
        return invalid("RFC 5280 path validation failed: " + e.getReason());
    }

    private static WimseException invalid(String detail) {
        return new WimseException(Reason.INVALID_CERTIFICATE, detail);
    }

    /** Builder for {@link WicValidator}; strict by default. */
    public static final class Builder {
        private X509TrustSource trust;
        private Clock clock = Clock.systemUTC();
        private String requiredUsage;
        private final java.util.LinkedHashSet<TrustDomain> expectedTrustDomains = new java.util.LinkedHashSet<>();
        private IdentifierSyntax syntax = IdentifierSyntax.STRICT;
        private WimseObserver observer = WimseObserver.none();

        private Builder() {
        }

        /** The anchors per trust domain (required, MT-1). */
        public Builder trust(X509TrustSource trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Validates clients' certificates: extended key usage {@code clientAuth} required (MT-3). */
        public Builder forClients() {
            this.requiredUsage = CLIENT_AUTH;
            return this;
        }

        /** Validates servers' certificates: extended key usage {@code serverAuth} required (MT-3). */
        public Builder forServers() {
            this.requiredUsage = SERVER_AUTH;
            return this;
        }

        /**
         * Accepts only peers of {@code trustDomain} (repeatable; default: any trust domain with anchors),
         * the check both sides make for the trust domain they expect (MT-1).
         */
        public Builder expectTrustDomain(TrustDomain trustDomain) {
            this.expectedTrustDomains.add(Objects.requireNonNull(trustDomain, "trustDomain"));
            return this;
        }

        /** How the URI SAN is read (default {@link IdentifierSyntax#STRICT}; ID3-5's legacy opt-in otherwise). */
        public Builder identifierSyntax(IdentifierSyntax syntax) {
            this.syntax = Objects.requireNonNull(syntax, "syntax");
            return this;
        }

        /**
         * Where each validation is reported, as a {@link CredentialKind#MUTUAL_TLS} verification (default
         * {@link WimseObserver#none()}). A {@code WicTrustManager} reports its handshakes itself: give an
         * observer to the validator or to the trust manager that checks the same peer, not both.
         */
        public Builder observer(WimseObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Builds the validator. */
        public WicValidator build() {
            if (trust == null) {
                throw new IllegalStateException("trust(...) is required");
            }
            if (requiredUsage == null) {
                throw new IllegalStateException("forClients() or forServers() is required (MT-3)");
            }
            return new WicValidator(this);
        }
    }
}
