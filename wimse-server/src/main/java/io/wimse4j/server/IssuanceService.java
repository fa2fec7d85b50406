package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.server.attest.ServiceAccountIdentity;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.keys.KeyRing;
import io.wimse4j.server.registry.AttestationMethod;
import io.wimse4j.server.registry.JoinTokenStore;
import io.wimse4j.server.registry.Registration;
import io.wimse4j.server.registry.RegistrationStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/wit}: checks the body (strict JSON, known members), the new key and its proof
 * of possession ({@link ProofChecker}), the attestation (join token, WIT renewal through the core
 * {@link RequestVerifier} against the server's own keys, of a WIT issued under the current
 * registration, or a Kubernetes service-account token),
 * that the identifier is in the trust domain (ID-3), registered and allowed the method, that the
 * proof {@code jti} is new, uses up a join token (on disk) and issues the WIT with the active key.
 * Every attempt is audited and counted ({@code wimse_issuance_total{result}},
 * {@code wimse_issuance_seconds}). Thread-safe.
 */
public final class IssuanceService {
    private static final Set<String> MEMBERS = Set.of("public_jwk", "proof", "attestation");

    /** An issued WIT as the response body shows it. */
    public record Issued(String wit, WorkloadIdentifier subject, String jti, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[sub=" + subject + ", jti=" + jti + ", exp=" + expiresAt + "]";
        }
    }

    private final ServerConfig config;
    private final String baseUri;
    private final KeyRing keys;
    private final RegistrationStore registrations;
    private final JoinTokenStore joinTokens;
    private final Optional<ServiceAccountTokenVerifier> kubernetes;
    private final RequestVerifier renewalVerifier;
    private final ProofChecker proofChecker;
    private final ReplayCache proofReplay;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final Timer timer;
    private final Clock clock;
    private final Map<String, WitIssuer> issuers = new ConcurrentHashMap<>();

    IssuanceService(ServerConfig config, String baseUri, KeyRing keys, RegistrationStore registrations,
                    JoinTokenStore joinTokens, Optional<ServiceAccountTokenVerifier> kubernetes, ReplayCache replay,
                    AuditLog audit, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.baseUri = baseUri;
        this.keys = keys;
        this.registrations = registrations;
        this.joinTokens = joinTokens;
        this.kubernetes = kubernetes;
        this.proofReplay = replay;
        this.audit = audit;
        this.meters = meters;
        this.clock = clock;
        String audience = baseUri + "/v1/wit";
        this.proofChecker = new ProofChecker(audience, config.leeway());
        this.renewalVerifier = RequestVerifier.builder()
                .trust(td -> td.equals(keys.trustDomain()) ? Optional.of(keys.trustBundle()) : Optional.empty())
                .clock(clock).leeway(config.leeway()).audience(audience).acceptTargetUri(false)
                .replayCache(replay).maxWitLifetime(config.maxWitTtl()).build();
        this.timer = Timer.builder("wimse.issuance").description("WIT issuance latency").register(meters);
    }

    /** The audience of proofs and renewal WPTs: {@code <base uri>/v1/wit}. */
    public String audience() {
        return baseUri + "/v1/wit";
    }

    /** Handles one issuance request whose body has already been size-checked. */
    public Issued issue(byte[] body, HttpRequestFacts facts) throws Problem {
        long start = System.nanoTime();
        String[] method = {"-"};
        String[] sub = {null};
        try {
            Issued issued = doIssue(body, facts, method, sub);
            count("issued");
            audit.record(clock.instant(), issued.jti(), issued.subject().value(), method[0], "issued");
            return issued;
        } catch (Problem p) {
            String code = p.code();
            count(code);
            audit.record(clock.instant(), null, sub[0], method[0], code);
            throw p;
        } finally {
            timer.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Counts an issuance request shed by load shedding (503 {@code server-busy}); not audited. */
    void countBusy() {
        count(Problem.Code.SERVER_BUSY.slug());
    }

    private void count(String result) {
        meters.counter("wimse.issuance", "result", result).increment();
    }

    private Issued doIssue(byte[] body, HttpRequestFacts facts, String[] methodOut, String[] subOut) throws Problem {
        ObjectNode req;
        try {
            req = StrictJson.parseObject(body, "request body");
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, e.detail());
        }
        Problem.requireOnlyMembers(req, MEMBERS, Problem.Code.MALFORMED_REQUEST, "request body");
        JsonNode jwk = req.get("public_jwk");
        JsonNode proof = req.get("proof");
        JsonNode att = req.get("attestation");
        if (jwk == null || !jwk.isObject() || proof == null || !proof.isTextual() || att == null || !att.isObject()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST,
                    "the body needs 'public_jwk' (object), 'proof' (string) and 'attestation' (object)");
        }
        JsonNode m = att.get("method");
        if (m == null || !m.isTextual()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'attestation.method' must be a string");
        }
        AttestationMethod method = AttestationMethod.fromWireName(m.textValue()).orElseThrow(() ->
                Problem.of(Problem.Code.UNKNOWN_ATTESTATION_METHOD, "attestation method '" + truncate(m.textValue()) + "' is not known"));
        methodOut[0] = method.wireName();

        Instant now = clock.instant();
        ProofChecker.CheckedProof pop = proofChecker.check(jwk, proof.textValue(), now);

        String joinToken = null;
        WorkloadIdentifier id;
        Registration registration;
        switch (method) {
            case JOIN_TOKEN -> {
                joinToken = attestationToken(att);
                try {
                    id = joinTokens.peek(joinToken);
                } catch (JoinTokenStore.InvalidTokenException e) {
                    throw Problem.of(Problem.Code.JOIN_TOKEN_INVALID, e.getMessage());
                }
                subOut[0] = id.value();
                registration = registered(id);
            }
            case WIT -> {
                VerifiedCaller caller;
                try {
                    caller = renewalVerifier.verify(facts);
                } catch (WimseException e) {
                    throw Problem.of(e);
                }
                id = caller.workload();
                subOut[0] = id.value();
                registration = registered(id);
                // a WIT from before the identifier was (re-)registered belongs to an earlier registration
                Instant since = registrations.registeredAt(id).orElseThrow();
                if (caller.wit().issuedAt().map(iat -> iat.isBefore(since)).orElse(true)) {
                    throw Problem.of(Problem.Code.ATTESTATION_FAILED, "the WIT was issued before the current registration of "
                            + id + " (" + since + "); a new initial attestation is needed");
                }
            }
            case KUBERNETES -> {
                String token = attestationToken(att);
                ServiceAccountTokenVerifier v = kubernetes.orElseThrow(() ->
                        Problem.of(Problem.Code.ATTESTATION_FAILED, "kubernetes attestation is not configured on this server"));
                ServiceAccountIdentity sa;
                try {
                    sa = v.verify(token);
                } catch (WimseException e) {
                    throw Problem.of(Problem.Code.ATTESTATION_FAILED, "service-account token: " + e.detail());
                }
                registration = registrations.findByServiceAccount(new Registration.ServiceAccount(sa.namespace(), sa.serviceAccount()))
                        .orElseThrow(() -> Problem.of(Problem.Code.UNREGISTERED_IDENTIFIER,
                                "no registration for service account " + sa.namespace() + "/" + sa.serviceAccount()));
                id = registration.id();
                subOut[0] = id.value();
                requireTrustDomain(id);
            }
            default -> throw new IllegalStateException("unhandled method " + method);
        }
        if (pop.subject().isPresent() && !pop.subject().get().equals(id.value())) {
            throw Problem.of(Problem.Code.ATTESTATION_FAILED, "the proof's 'sub' is not the identifier the attestation yields ("
                    + id + ")");
        }
        if (!registration.allows(method)) {
            throw Problem.of(Problem.Code.METHOD_NOT_ALLOWED_FOR_IDENTIFIER,
                    "the registration of " + id + " does not allow attestation method " + method.wireName());
        }
        try {
            if (!proofReplay.firstUse("wimse-pop:" + Hashes.tokenHash(pop.jwtId()), pop.expiresAt().plus(config.leeway()))) {
                throw Problem.of(Problem.Code.PROOF_REPLAYED, "the proof 'jti' was already used");
            }
        } catch (WimseException e) {
            throw Problem.of(e);
        }
        if (joinToken != null) {
            try {
                joinTokens.consume(joinToken);
            } catch (JoinTokenStore.InvalidTokenException e) {
                throw Problem.of(Problem.Code.JOIN_TOKEN_INVALID, e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the join token's use", e);
            }
        }
        Duration ttl = registration.witTtl().orElse(config.defaultWitTtl());
        if (ttl.compareTo(config.maxWitTtl()) > 0) {
            ttl = config.maxWitTtl();
        }
        WorkloadKeyPair key = keys.signingKey();
        WitIssuer issuer = issuers.computeIfAbsent(key.keyId(), k -> WitIssuer.builder().signer(key.signer())
                .trustDomain(keys.trustDomain()).issuer(baseUri).clock(clock)
                .defaultTtl(config.defaultWitTtl()).maxTtl(config.maxWitTtl()).build());
        issuers.keySet().retainAll(keys.keys().stream().map(KeyRing.KeyInfo::kid).toList());
        try {
            WitIssuer.IssuedWit w = issuer.issue(id, pop.publicKey(), ttl, Map.of());
            return new Issued(w.token(), w.subject(), w.jwtId(), w.expiresAt());
        } catch (WimseException e) {
            throw Problem.of(Problem.Code.INVALID_PUBLIC_KEY, e.detail());
        }
    }

    private Registration registered(WorkloadIdentifier id) throws Problem {
        requireTrustDomain(id);
        return registrations.find(id).orElseThrow(() ->
                Problem.of(Problem.Code.UNREGISTERED_IDENTIFIER, id + " is not registered"));
    }

    /** ID-3: never an identifier outside the trust domain, whatever the state directory holds. */
    private void requireTrustDomain(WorkloadIdentifier id) throws Problem {
        if (!id.isMemberOf(keys.trustDomain())) {
            throw Problem.of(Problem.Code.IDENTIFIER_OUTSIDE_TRUST_DOMAIN,
                    id + " is outside trust domain " + keys.trustDomain());
        }
    }

    private static String attestationToken(JsonNode att) throws Problem {
        JsonNode t = att.get("token");
        if (t == null || !t.isTextual() || t.textValue().isEmpty() || t.textValue().length() > 8192) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'attestation.token' must be a non-empty string");
        }
        return t.textValue();
    }

    private static String truncate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
