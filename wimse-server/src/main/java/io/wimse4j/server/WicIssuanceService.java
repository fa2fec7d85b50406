package io.wimse4j.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.server.internal.Registration;
import io.wimse4j.server.internal.RegistrationStore;
import io.wimse4j.server.internal.WorkloadCa;
import io.wimse4j.x509.IssuedWic;
import io.wimse4j.x509.WicGrant;
import io.wimse4j.x509.WicIssuer;
import io.wimse4j.x509.WicUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/wic}: parses the body ({@link WicRequest}), has the method's {@link Attestor} check
 * the evidence (the same attestors as {@code POST /v1/wit}; a renewal's WPT is for {@code <base>/v1/wic}),
 * checks the identifier it yields ({@link RegistrationCheck}: in the trust domain, ID-3; registered;
 * evidence not older than the registration; the method allowed), and has the {@link WicIssuer} of the
 * trust domain's workload CA signing now ({@link WorkloadCa.Authorities#issuer()}) check the CSR against the grant and sign: the identifier as the one URI
 * SAN (the CSR may ask for it, never for another, WIC-1, WIC-2), then the registration's DNS names (WIC-3:
 * the WIC carries all of them; a CSR may ask for some of them, never for another), usages client and server (MT-3), the configured
 * lifetime (MT-7). The CSR's signature is the proof of possession of the workload's key, which never
 * leaves it (KEY-1).
 *
 * <p>The attestor uses up what it spends (a one-time join token) only after the certificate was
 * signed, since the issuer checks the CSR and signs in one step: a refused CSR uses nothing up, and
 * a certificate whose join token a concurrent request used first is dropped, never answered. Every
 * attempt is audited ({@code "credential":"wic"}) and counted ({@code wimse_wic_issuance_total{result}},
 * {@code wimse_wic_issuance_seconds}). Thread-safe.
 */
final class WicIssuanceService {
    private static final Logger LOG = LoggerFactory.getLogger(WicIssuanceService.class);
    /** The usages of every WIC the server issues: a workload is a client and a server (MT-3). */
    static final Set<WicUsage> USAGES = Set.of(WicUsage.CLIENT, WicUsage.SERVER);

    private final TrustDomain trustDomain;
    private final WorkloadCa.Authorities issuers;
    private final RegistrationStore registrations;
    private final Map<AttestationMethod, Attestor> attestors;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final Timer timer;
    private final Clock clock;

    /**
     * A service signing with {@code issuer}, with one attestor per {@link AttestationMethod}.
     *
     * @throws IllegalArgumentException when a method has no attestor or two
     */
    WicIssuanceService(WorkloadCa.Authorities issuers, TrustDomain trustDomain, RegistrationStore registrations, List<Attestor> attestors, AuditLog audit,
                       MeterRegistry meters, Clock clock) {
        this.issuers = issuers;
        this.trustDomain = trustDomain;
        this.registrations = registrations;
        Map<AttestationMethod, Attestor> byMethod = new EnumMap<>(AttestationMethod.class);
        for (Attestor a : attestors) {
            if (byMethod.put(a.method(), a) != null) {
                throw new IllegalArgumentException("two attestors for method " + a.method().wireName());
            }
        }
        if (byMethod.size() != AttestationMethod.values().length) {
            throw new IllegalArgumentException("an attestation method has no attestor");
        }
        this.attestors = Map.copyOf(byMethod);
        this.audit = audit;
        this.meters = meters;
        this.clock = clock;
        this.timer = Timer.builder("wimse.wic.issuance").description("WIC issuance latency").register(meters);
    }

    /** Handles one issuance request whose body has already been size-checked. */
    IssuedWic issue(byte[] body, HttpRequestFacts facts, List<X509Certificate> tlsClientChain) throws Problem {
        long start = System.nanoTime();
        try {
            WicRequest request;
            try {
                request = WicRequest.parse(body, facts, tlsClientChain);
            } catch (Problem p) {
                throw refused(p, "-", null, null);
            }
            String method = request.method().wireName();
            Attestor attestor = attestors.get(request.method());
            Attestation attestation;
            try {
                attestation = attestor.attest(request);
            } catch (Problem p) {
                throw refused(p, method, null, IssuanceService.presented(request));
            }
            IssuedWic wic;
            try {
                wic = issue(request, attestor, attestation);
            } catch (Problem p) {
                throw refused(p, method, attestation.identifier().value(), IssuanceService.presented(request));
            }
            count("issued");
            audit.recordWic(clock.instant(), wic.certificate().getSerialNumber().toString(16), wic.identifier().value(),
                    method, IssuanceService.presented(request), "issued");
            return wic;
        } finally {
            timer.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private IssuedWic issue(WicRequest request, Attestor attestor, Attestation attestation) throws Problem {
        Registration registration = RegistrationCheck.check(attestation, trustDomain, registrations);
        IssuedWic wic;
        try {
            // the registration decides the names: its identifier and its DNS names (WIC-3), never the CSR
            WicGrant grant = WicGrant.builder(registration.id()).usages(USAGES).dnsNames(registration.dnsNames()).build();
            // the CA signing now (after a rotation's publish-ahead: the new one)
            wic = issuers.issuer().issue(request.csr(), grant);
        } catch (WimseException e) {
            throw problem(e);
        }
        if (attestation.method() == AttestationMethod.WIC
                && request.tlsClientChain().get(0).getPublicKey().equals(wic.certificate().getPublicKey())) {
            // KEY-4: a renewal gets a fresh key; the certificate just signed is dropped, never answered
            throw Problem.of(new WimseException(Reason.INVALID_KEY,
                    "the CSR's key is the key of the current WIC; a renewal needs a freshly generated key (KEY-4)"));
        }
        // after signing: the issuer checks the CSR and signs in one step, so a refused CSR uses nothing up
        attestor.commit(attestation);
        return wic;
    }

    /** The answer to an issuer's refusal: the core reason's problem, except for the server's own failures. */
    private static Problem problem(WimseException e) {
        if (e.reason() == Reason.CREDENTIALS_EXPIRED) {
            LOG.error("cannot issue WICs: {}", e.detail());
            return Problem.of(Problem.Code.INTERNAL_ERROR, "the workload CA is not valid now; no WIC can be issued", e);
        }
        if (e.reason() == Reason.UNTRUSTED_TRUST_DOMAIN) {
            return Problem.of(Problem.Code.IDENTIFIER_OUTSIDE_TRUST_DOMAIN, e.detail(), e);
        }
        // INVALID_KEY (CSR encoding, signature, key), INVALID_CLAIM (attributes, extensions, DNS names),
        // INVALID_IDENTIFIER (another URI SAN), LIFETIME_TOO_LONG
        return Problem.of(e);
    }

    /** Counts and audits a refusal ({@code sub} null while no attestation succeeded) and returns it to throw. */
    private Problem refused(Problem p, String method, String sub, String presented) {
        count(p.code());
        audit.recordWic(clock.instant(), null, sub, method, presented, p.code());
        return p;
    }

    /** Counts an issuance request shed by load shedding (503 {@code server-busy}); not audited. */
    void countBusy() {
        count(Problem.Code.SERVER_BUSY.code());
    }

    private void count(String result) {
        meters.counter("wimse.wic.issuance", "result", result).increment();
    }
}
