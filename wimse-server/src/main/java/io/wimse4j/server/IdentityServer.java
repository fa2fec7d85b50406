package io.wimse4j.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import io.wimse4j.server.internal.JoinTokenStore;
import io.wimse4j.server.internal.KeyRing;
import io.wimse4j.server.internal.RegistrationStore;
import io.wimse4j.server.internal.ServerTls;
import io.wimse4j.server.internal.StateDir;
import io.wimse4j.server.internal.WorkloadCa;
import io.wimse4j.x509.WicIssuer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The WIMSE Identity Server (Jetty 12): issues WITs ({@code POST /v1/wit}) and Workload Identity
 * Certificates ({@code POST /v1/wic}, signed by the trust domain's workload CA) after attestation,
 * publishes its rotating signing keys ({@code /.well-known/jwks.json}, and with the workload CA as a
 * SPIFFE bundle at {@code /v1/trust-bundle/spiffe}, ALG-2), the workload CA
 * ({@code /v1/x509-bundle.pem}), its TLS CA ({@code /ca.pem}),
 * health and Prometheus metrics, and the admin API. HTTPS by default with a certificate from its
 * own CA, bound to 127.0.0.1 unless configured otherwise; all state lives in the state directory so
 * a restart loses nothing, and one server at a time holds it (a lock file). See {@code docs/identity-server-api.md}. Build with {@link #builder}.
 */
public final class IdentityServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityServer.class);

    private final ServerConfig config;
    private final Clock clock;
    private final Optional<SigningKeyProvider> signingKeys;
    private Optional<ServiceAccountTokenVerifier> kubernetes;
    private Server jetty;
    private ScheduledExecutorService scheduler;
    private StateDir state;
    private AutoCloseable stateLock;
    private KeyRing keys;
    private AdminToken adminToken;
    private URI baseUri;
    private int port;
    private int adminPort = -1;
    private volatile RegistrationsFile registrationsFile;
    private Optional<KubernetesKeys> kubernetesKeys = Optional.empty();
    private ServerTls tls;
    private WorkloadCa.Authorities workloadCa;

    private IdentityServer(Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.kubernetes = Optional.ofNullable(b.kubernetes);
        this.signingKeys = Optional.ofNullable(b.signingKeys);
    }

    /** A builder for a server with {@code config}. */
    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /** Opens the state, binds the port and starts serving. */
    public synchronized IdentityServer start() throws Exception {
        if (jetty != null) {
            throw new IllegalStateException("already started");
        }
        if (config.kubernetes().isPresent() && kubernetes.isEmpty()) {
            kubernetesKeys = Optional.of(KubernetesKeys.start(config.kubernetes().get(), clock, config.leeway()));
            kubernetes = Optional.of(kubernetesKeys.get());
        }
        state = StateDir.open(config.stateDir());
        stateLock = state.lockExclusively();
        try {
            startLocked();
        } catch (Exception | Error e) {
            if (jetty != null) {
                try {
                    jetty.stop();
                } catch (Exception stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                jetty = null;
            }
            releaseStateLock();
            dropKubernetesKeys();
            throw e;
        }
        return this;
    }

    private void startLocked() throws Exception {
        int interrupted = state.removeInterruptedWrites();
        if (interrupted > 0) {
            LOG.warn("removed {} temporary file(s) of writes interrupted by a crash; the state they would have replaced is intact",
                    interrupted);
        }
        adminToken = AdminToken.loadOrCreate(state);
        // a superseded CA stays published while a WIC it signed may be valid: the longest WIC lifetime + leeway
        workloadCa = WorkloadCa.open(state, config.trustDomain(), config.publishAhead(),
                ServerConfig.MAX_WIC_TTL.plus(config.leeway()),
                ca -> WicIssuer.builder(ca).clock(clock).defaultLifetime(config.wicTtl())
                        .maxLifetime(ServerConfig.MAX_WIC_TTL).build(), clock);
        if (!clock.instant().isBefore(workloadCa.active().notAfter())) {
            LOG.error("the workload CA expired at {}: no WIC can be issued until its successor signs",
                    workloadCa.active().notAfter());
        }
        keys = KeyRing.open(state, config.trustDomain(), config.keyAlgorithm(), config.publishAhead(),
                config.maxWitTtl().plus(config.leeway()), config.rotateEvery(), signingKeys,
                workloadCa::certificates, clock);
        RegistrationStore registrations = RegistrationStore.open(state, clock);
        JoinTokenStore joinTokens = JoinTokenStore.open(state, clock);
        AuditLog audit = new AuditLog(state, config.auditMaxBytes(), config.auditKeep());
        if (config.registrationsFile().isPresent()) {
            RegistrationsFile declared = new RegistrationsFile(config.registrationsFile().get(), config.trustDomain(),
                    registrations, joinTokens, audit, clock);
            declared.reconcileAtStart();
            registrationsFile = declared;
        }
        tls = ServerTls.bootstrap(state, config, clock);

        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("wimse-server");
        pool.setDaemon(true);
        Server server = new Server(pool);
        if (config.insecureHttp()) {
            LOG.warn("serving plain HTTP (--insecure-http): for tests and demos only");
        }
        ServerConnector connector = Listeners.openMain(server, config, tls, workloadCa);
        port = connector.getLocalPort();
        if (config.adminListen().isPresent()) {
            adminPort = Listeners.openAdmin(server, config, tls, workloadCa, config.adminListen().get()).getLocalPort();
        }
        baseUri = config.baseUri().orElse(URI.create((config.insecureHttp() ? "http" : "https") + "://localhost:" + port));
        String base = baseUri.toString().endsWith("/") ? baseUri.toString().substring(0, baseUri.toString().length() - 1)
                : baseUri.toString();

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReplayCache replay = InMemoryReplayCache.builder().clock(clock).build();
        List<Attestor> attestors = IssuanceService.attestors(config, base + "/v1/wit", keys, registrations, joinTokens,
                kubernetes, replay, workloadCa::certificates, clock);
        IssuanceService issuance = new IssuanceService(config, base, keys, registrations, attestors, replay,
                audit, metrics, clock);
        List<Attestor> wicAttestors = IssuanceService.attestors(config, ServerHandler.wicAudience(base + "/v1/wit"), keys,
                registrations, joinTokens, kubernetes, replay, workloadCa::certificates, clock);
        WicIssuanceService wics = new WicIssuanceService(workloadCa, config.trustDomain(), registrations, wicAttestors, audit, metrics, clock);
        AdminApi admin = new AdminApi(adminToken, config.trustDomain(), registrations, joinTokens, keys, workloadCa);
        server.setHandler(new ServerHandler(issuance, wics, workloadCa::bundlePem, admin, keys, tls.caPem(), metrics,
                config.jwksMaxAge().toSeconds(), config.maxConcurrentIssuances(),
                new Readiness(keys, state, kubernetesKeys), config.adminListen().isPresent()));
        server.start();
        jetty = server;

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wimse-server-keys");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
        LOG.info("Identity Server for {} listening on {}:{} ({}), base URI {}", config.trustDomain(), config.bind(), port,
                config.insecureHttp() ? "HTTP" : "HTTPS", baseUri);
        config.adminListen().ifPresent(a -> LOG.info("admin API on its own listener {}:{} only",
                a.getHostString(), adminPort));
    }

    /** Stops the JWKS refresh of keys this server built from its configuration (a restart builds them again). */
    private void dropKubernetesKeys() {
        if (kubernetesKeys.isPresent()) {
            kubernetesKeys.get().close();
            kubernetesKeys = Optional.empty();
            kubernetes = Optional.empty();
        }
    }

    private void releaseStateLock() {
        if (stateLock != null) {
            try {
                stateLock.close();
            } catch (Exception e) {
                LOG.warn("cannot release the state directory lock: {}", e.toString());
            }
            stateLock = null;
        }
    }

    private void maintain() {
        try {
            keys.maintain();
        } catch (RuntimeException e) {
            LOG.error("key maintenance failed: {}", e.toString());
        }
        RegistrationsFile declared = registrationsFile;
        if (declared != null) {
            declared.poll();
        }
    }

    /** The external base URI (configured, or {@code https://localhost:<port>}). */
    public URI baseUri() {
        return requireStarted(baseUri);
    }

    /** The bound port. */
    public int port() {
        requireStarted(baseUri);
        return port;
    }

    /**
     * The bound port of the admin API's own listener ({@code admin-listen}).
     *
     * @throws IllegalStateException when the server is not started or the admin API is on the main port
     */
    public int adminPort() {
        requireStarted(baseUri);
        if (adminPort < 0) {
            throw new IllegalStateException("the admin API has no listener of its own (admin-listen is not set)");
        }
        return adminPort;
    }

    /**
     * Rotates the WIT signing key now, as {@code POST /admin/v1/keys/rotate} does: the new key is
     * published at once and signs after the publish-ahead period.
     *
     * @return the new key's {@code kid}
     */
    public String rotateKeys() {
        return requireStarted(keys).rotate().kid();
    }

    /**
     * Runs the key schedule now (retirement of keys whose WITs have all expired, a scheduled
     * rotation that is due); it also runs every second on its own and on every use of the keys.
     * For embedding programs and tests that move their clock.
     */
    public void maintainKeys() {
        requireStarted(keys).maintain();
    }

    /**
     * The built-in TLS CA certificate, PEM (the trust anchor clients need).
     *
     * @throws IllegalStateException when the server is not started, or when its TLS uses an operator-provided
     *         certificate ({@code tls-cert}, {@link ServerConfig#operatorTls()}): clients then trust the operator's
     *         CA, which the server neither knows nor serves ({@code GET /ca.pem} answers 404)
     */
    public String caPem() {
        return requireStarted(tls).requireBuiltInCaPem();
    }

    /**
     * The trust domain's published workload CA certificates, PEM, oldest first: the trust anchors of the
     * WICs this server issues ({@code GET /v1/x509-bundle.pem}); one CA, or two while a rotation
     * overlaps (see {@code docs/identity-server-api.md}); not the TLS CA of {@link #caPem()}.
     */
    public String workloadCaPem() {
        return requireStarted(workloadCa).bundlePem();
    }

    /**
     * The file holding the built-in TLS CA certificate.
     *
     * @throws IllegalStateException when the server is not started or uses an operator-provided certificate (see {@link #caPem()})
     */
    public Path caCertFile() {
        requireStarted(tls).requireBuiltInCaPem();
        return requireStarted(state).file(ServerTls.CA_CERT);
    }

    /** The file holding the admin token (never print the token itself). */
    public Path adminTokenFile() {
        return requireStarted(adminToken).file();
    }

    /** The state directory. */
    public Path stateDir() {
        return requireStarted(state).path();
    }

    private <T> T requireStarted(T value) {
        if (value == null) {
            throw new IllegalStateException("the server is not started");
        }
        return value;
    }

    /** Stops serving. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            // let a running maintenance round (a key or registrations write) finish rather than interrupt it
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        dropKubernetesKeys();
        registrationsFile = null;
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the server: " + e, e);
            } finally {
                jetty = null;
                releaseStateLock();
            }
        }
        releaseStateLock();
    }

    /** Builder for {@link IdentityServer}. */
    public static final class Builder {
        private final ServerConfig config;
        private Clock clock = Clock.systemUTC();
        private ServiceAccountTokenVerifier kubernetes;
        private SigningKeyProvider signingKeys;

        private Builder(ServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The clock of issuance, rotation and token expiry (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Enables the {@code kubernetes} attestation method with this token verifier. */
        public Builder kubernetesVerifier(ServiceAccountTokenVerifier verifier) {
            this.kubernetes = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Where new WIT signing keys come from: a KMS or HSM behind {@link SigningKeyProvider} (default:
         * keys generated by the server and stored in {@code keys.json}). Keys already in the state
         * directory stay as they are, so a provider set on an existing state directory signs from
         * the next rotation on.
         */
        public Builder signingKeys(SigningKeyProvider provider) {
            this.signingKeys = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Builds the (not yet started) server. */
        public IdentityServer build() {
            return new IdentityServer(this);
        }
    }
}
