package io.wimse4j.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;
import io.wimse4j.server.internal.JoinTokenStore;
import io.wimse4j.server.internal.KeyRing;
import io.wimse4j.server.internal.Registration;
import io.wimse4j.server.internal.RegistrationStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/wit}: parses the body ({@link IssuanceRequest}), checks the new key and its proof
 * of possession ({@link ProofChecker}), has the method's {@link Attestor} check the evidence, checks
 * the identifier it yields (in the trust domain, ID-3; registered; evidence not older than the
 * registration; the proof's {@code sub}, if any, is that identifier; the method allowed for it),
 * that the proof {@code jti} is new, has the attestor use up what it spends (a join token, on disk)
 * and issues the WIT (WIT-1..WIT-8) through the core {@link WitIssuer} with the {@link JwsSigner} of
 * the key ring's active key. Every attempt is audited and counted ({@code wimse_issuance_total{result}},
 * {@code wimse_issuance_seconds}). Thread-safe.
 */
final class IssuanceService {
    /** An issued WIT as the response body shows it. */
    record Issued(String wit, WorkloadIdentifier subject, String jti, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[sub=" + subject + ", jti=" + jti + ", exp=" + expiresAt + "]";
        }
    }

    private final ServerConfig config;
    private final String baseUri;
    private final KeyRing keys;
    private final RegistrationStore registrations;
    private final Map<AttestationMethod, Attestor> attestors;
    private final ProofChecker proofChecker;
    private final ReplayCache proofReplay;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final Timer timer;
    private final Clock clock;
    /** One WIT issuer per signing key, by kid, with the signer it was built for (a kid may come back with another key). */
    private final Map<String, KeyIssuer> issuers = new ConcurrentHashMap<>();

    /** The issuer of one ring key's signer. */
    private record KeyIssuer(JwsSigner signer, WitIssuer issuer) {
    }

    /**
     * A service with one attestor per {@link AttestationMethod}.
     *
     * @throws IllegalArgumentException when a method has no attestor, or another method's
     */
    IssuanceService(ServerConfig config, String baseUri, KeyRing keys, RegistrationStore registrations,
                    List<Attestor> attestors, ReplayCache replay, AuditLog audit, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.baseUri = baseUri;
        this.keys = keys;
        this.registrations = registrations;
        Map<AttestationMethod, Attestor> byMethod = new EnumMap<>(AttestationMethod.class);
        for (Attestor a : attestors) {
            if (byMethod.put(a.method(), a) != null) {
                throw new IllegalArgumentException("two attestors for method " + a.method().wireName());
            }
        }
        for (AttestationMethod m : AttestationMethod.values()) {
            if (!byMethod.containsKey(m)) {
                throw new IllegalArgumentException("no attestor for method " + m.wireName());
            }
        }
        this.attestors = Map.copyOf(byMethod);
        this.proofReplay = replay;
        this.audit = audit;
        this.meters = meters;
        this.clock = clock;
        this.proofChecker = new ProofChecker(audience(), config.leeway());
        this.timer = Timer.builder("wimse.issuance").description("WIT issuance latency").register(meters);
    }

    /** How many WITs presented for renewal the renewal verifier keeps verified (and their keys). */
    static final int RENEWAL_WIT_CACHE = 256;

    /**
     * The attestors of the four methods: join tokens of {@code joinTokens}; renewal with a WIT
     * signed by one of {@code keys} and a WPT for {@code audience} (V-9: its {@code jti} once, in
     * {@code replay}); Kubernetes service-account tokens checked by {@code kubernetes}, when set;
     * renewal with the current WIC over mutual TLS, against the workload CAs {@code workloadCas} publishes.
     */
    static List<Attestor> attestors(ServerConfig config, String audience, KeyRing keys, RegistrationStore registrations,
                                    JoinTokenStore joinTokens, Optional<ServiceAccountTokenVerifier> kubernetes,
                                    ReplayCache replay, java.util.function.Supplier<List<java.security.cert.X509Certificate>> workloadCas,
                                    Clock clock) {
        RequestVerifier renewal = RequestVerifier.builder()
                .trust(td -> td.equals(keys.trustDomain()) ? Optional.of(keys.trustBundle()) : Optional.empty())
                .clock(clock).leeway(config.leeway()).audience(audience).acceptTargetUri(false)
                .replayCache(replay).maxWitLifetime(config.maxWitTtl())
                // a WIT is presented for renewal about once (the next renewal brings the new one): a large
                // WIT cache here is only heap (issue 15's load run: +40 MB at the default 10,000 entries);
                // a small one still serves a retried renewal
                .witCacheSize(RENEWAL_WIT_CACHE).witKeyCacheSize(RENEWAL_WIT_CACHE).build();
        return List.of(new JoinTokenAttestor(joinTokens), new WitRenewalAttestor(renewal),
                new KubernetesAttestor(kubernetes, registrations), new WicRenewalAttestor(keys.trustDomain(), workloadCas, clock));
    }

    /** The audience of proofs and renewal WPTs: {@code <base uri>/v1/wit}. */
    String audience() {
        return baseUri + "/v1/wit";
    }

    /** Handles one issuance request whose body has already been size-checked. */
    Issued issue(byte[] body, HttpRequestFacts facts, List<java.security.cert.X509Certificate> tlsClientChain) throws Problem {
        long start = System.nanoTime();
        try {
            IssuanceRequest request;
            try {
                request = IssuanceRequest.parse(body, facts, tlsClientChain);
            } catch (Problem p) {
                throw refused(p, "-", null, null);
            }
            String method = request.method().wireName();
            Attestor attestor = attestors.get(request.method());
            ProofChecker.CheckedProof pop;
            Attestation attestation;
            try {
                pop = proofChecker.check(request.publicJwk(), request.proof(), clock.instant());
                attestation = attestor.attest(request);
            } catch (Problem p) {
                throw refused(p, method, null, presented(request));
            }
            Issued issued;
            try {
                issued = issue(pop, attestor, attestation);
            } catch (Problem p) {
                throw refused(p, method, attestation.identifier().value(), presented(request));
            }
            count("issued");
            audit.record(clock.instant(), issued.jti(), issued.subject().value(), method, presented(request), "issued");
            return issued;
        } finally {
            timer.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Counts and audits a refusal ({@code sub} null while no attestation succeeded) and returns it to throw. */
    /** The serial (hex) of the WIC a {@code wic} attestation presented, for the audit line; else null. */
    static String presented(AttestationRequest request) {
        return request.method() == AttestationMethod.WIC && !request.tlsClientChain().isEmpty()
                ? request.tlsClientChain().get(0).getSerialNumber().toString(16) : null;
    }

    private Problem refused(Problem p, String method, String sub, String presented) {
        String code = p.code();
        count(code);
        audit.record(clock.instant(), null, sub, method, presented, code);
        return p;
    }

    /** Counts an issuance request shed by load shedding (503 {@code server-busy}); not audited. */
    void countBusy() {
        count(Problem.Code.SERVER_BUSY.code());
    }

    private void count(String result) {
        meters.counter("wimse.issuance", "result", result).increment();
    }

    /** The checks of the attested identifier, the proof's single use, the attestor's commit, and the WIT. */
    private Issued issue(ProofChecker.CheckedProof pop, Attestor attestor, Attestation attestation) throws Problem {
        WorkloadIdentifier id = attestation.identifier();
        Registration registration = RegistrationCheck.registered(attestation, keys.trustDomain(), registrations);
        if (pop.subject().isPresent() && !pop.subject().get().equals(id.value())) {
            throw Problem.of(Problem.Code.ATTESTATION_FAILED, "the proof's 'sub' is not the identifier the attestation yields ("
                    + id + ")");
        }
        RegistrationCheck.requireAllowed(attestation, registration);
        Instant keepUntil = pop.expiresAt().plus(config.leeway());
        if (!clock.instant().isBefore(keepUntil)) {
            // expired during the attestation: refused as such, before the replay cache (which
            // refuses an entry that could no longer be told from a replay)
            throw Problem.of(Problem.Code.INVALID_PROOF, "the proof expired while the request was being checked");
        }
        try {
            if (!proofReplay.firstUse(io.wimse4j.core.replay.ReplayKey.ofScope("wimse-pop", pop.jwtId()), keepUntil)) {
                throw Problem.of(Problem.Code.PROOF_REPLAYED, "the proof 'jti' was already used");
            }
        } catch (WimseException e) {
            throw Problem.of(e);
        }
        // The proof was checked at an earlier instant: if it expired meanwhile (a slow attestation),
        // the replay cache may already have dropped its first use's entry, so refuse it (C2-5, V-9).
        if (!clock.instant().isBefore(keepUntil)) {
            throw Problem.of(Problem.Code.INVALID_PROOF, "the proof expired while the request was being checked");
        }
        attestor.commit(attestation);
        Duration ttl = registration.witTtl().orElse(config.defaultWitTtl());
        if (ttl.compareTo(config.maxWitTtl()) > 0) {
            ttl = config.maxWitTtl();
        }
        JwsSigner signer = keys.signer();
        // keyed by kid but kept only for the very signer it was built with: a provider may hand out a
        // new key under the kid of a removed one, which must never sign again
        WitIssuer issuer = issuers.compute(signer.keyId().orElseThrow(), (k, cached) -> cached != null && cached.signer() == signer
                ? cached : new KeyIssuer(signer, WitIssuer.builder().signer(signer)
                        .trustDomain(keys.trustDomain()).issuer(baseUri).clock(clock)
                        .defaultTtl(config.defaultWitTtl()).maxTtl(config.maxWitTtl()).build())).issuer();
        issuers.keySet().retainAll(keys.keys().stream().map(KeyRing.KeyInfo::kid).toList());
        try {
            WitIssuer.IssuedWit w = issuer.issue(id, pop.publicKey(), ttl, Map.of());
            return new Issued(w.token(), w.subject(), w.jwtId(), w.expiresAt());
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, e.detail());
        }
    }
}
