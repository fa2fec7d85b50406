package io.wimse4j.server;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.server.attest.KubernetesIdentity;
import io.wimse4j.server.attest.KubernetesTokenVerifier;
import io.wimse4j.server.attest.ServiceAccountIdentity;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster's service-account token keys for the {@code kubernetes} method: from
 * {@code kubernetes-jwks-file} (read once, at start) or fetched from {@code kubernetes-jwks-url} over HTTPS
 * (trusting {@code kubernetes-ca-file} when set) and fetched again every {@code kubernetes-jwks-refresh}, so
 * a rotation of the cluster's signing key is picked up without a restart. A token whose {@code kid} is
 * not in the current JWKS triggers an early fetch in the background, at most once per
 * {@link #UNKNOWN_KEY_REFETCH} (the token itself is refused; its retry verifies once the keys are in).
 * A key the cluster removed from its JWKS verifies nothing after the next fetch. A failed fetch (network,
 * status, size, unusable JWKS) keeps the last good keys and is logged; before the first good fetch every
 * token is refused and {@code /readyz} answers 503. Redirects are not followed; the body is limited to
 * {@value #MAX_BODY_BYTES} bytes before parsing. Thread-safe.
 */
final class KubernetesKeys implements ServiceAccountTokenVerifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesKeys.class);
    /** Largest JWKS body accepted. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** Least time between two early fetches caused by unknown keys. */
    static final Duration UNKNOWN_KEY_REFETCH = Duration.ofSeconds(10);

    private final ServerConfig.KubernetesSettings settings;
    private final Clock clock;
    private final Duration leeway;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean earlyFetchQueued = new AtomicBoolean();
    private volatile KubernetesTokenVerifier current;
    private volatile String lastError = "not fetched yet";
    private volatile Instant lastAttempt = Instant.MIN;
    private String lastJwks; // guarded by this

    private KubernetesKeys(ServerConfig.KubernetesSettings settings, Clock clock, Duration leeway, HttpClient http) {
        this.settings = settings;
        this.clock = clock;
        this.leeway = leeway;
        this.http = http;
        this.scheduler = http == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wimse-server-kubernetes-jwks");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The keys of {@code settings}: a JWKS file is read now (an unreadable or unusable file fails the start);
     * a JWKS URL is fetched now once and then on schedule (a failed first fetch is logged, not thrown: the
     * server starts not ready and keeps trying).
     */
    static KubernetesKeys start(ServerConfig.KubernetesSettings settings, Clock clock, Duration leeway) throws IOException {
        if (settings.jwksFile().isPresent()) {
            KubernetesKeys keys = new KubernetesKeys(settings, clock, leeway, null);
            String jwks;
            try {
                jwks = Files.readString(settings.jwksFile().get());
            } catch (IOException e) {
                throw new IOException("cannot read the Kubernetes JWKS file " + settings.jwksFile().get(), e);
            }
            keys.install(jwks);
            return keys;
        }
        HttpClient.Builder hb = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (settings.caFile().isPresent()) {
            hb.sslContext(sslContext(settings.caFile().get()));
        }
        KubernetesKeys keys = new KubernetesKeys(settings, clock, leeway, hb.build());
        keys.fetch();
        long every = settings.jwksRefresh().toMillis();
        keys.scheduler.scheduleWithFixedDelay(keys::fetch, every, every, TimeUnit.MILLISECONDS);
        return keys;
    }

    /** Fetches the JWKS URL once; failures are kept as {@link #notReadyReason()} and logged. */
    void fetch() {
        URI url = settings.jwksUrl().orElseThrow();
        lastAttempt = clock.instant();
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET()
                    .header("Accept", "application/jwk-set+json, application/json").build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body = readWithDeadline(response.body());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new IOException("the JWKS exceeds " + MAX_BODY_BYTES + " bytes");
            }
            install(new String(body, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            lastError = "fetch of " + url + " failed: " + e;
            LOG.error("Kubernetes JWKS: {}; {}", lastError,
                    current == null ? "kubernetes attestation refuses every token until a fetch succeeds"
                            : "the last good keys stay in use");
        }
    }

    /**
     * The body, at most {@code MAX_BODY_BYTES + 1} bytes, read within the same 10 s: the request's timeout
     * ends with the headers, and a server that then trickles (or stops) must not hold the one refresh
     * thread, so the read runs beside it and the stream is closed when the time is up.
     */
    private static byte[] readWithDeadline(InputStream in) throws IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return read.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            read.cancel(true);
            throw new IOException("the JWKS body did not arrive within 10 s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        } finally {
            in.close();
        }
    }

    private synchronized void install(String jwks) {
        if (jwks.equals(lastJwks)) {
            lastError = null;
            return;
        }
        KubernetesTokenVerifier verifier = KubernetesTokenVerifier.builder()
                .issuer(settings.issuer()).audience(settings.audience()).jwks(jwks)
                .clock(clock).leeway(leeway).build();
        boolean first = current == null;
        current = verifier;
        lastJwks = jwks;
        lastError = null;
        LOG.info("Kubernetes JWKS {}", first ? "loaded" : "changed: the new keys verify from now on");
    }

    @Override
    public ServiceAccountIdentity verify(String jwt) throws WimseException {
        KubernetesTokenVerifier v = current;
        if (v == null) {
            throw new WimseException(Reason.UNKNOWN_KEY, "the cluster's JWKS has not been fetched yet");
        }
        try {
            KubernetesIdentity id = v.verify(jwt);
            return new ServiceAccountIdentity(id.namespace(), id.serviceAccount());
        } catch (WimseException e) {
            if (e.reason() == Reason.UNKNOWN_KEY) {
                fetchEarly();
            }
            throw e;
        }
    }

    /** Queues one background fetch unless one ran less than {@link #UNKNOWN_KEY_REFETCH} ago. */
    private void fetchEarly() {
        if (scheduler == null || clock.instant().isBefore(lastAttempt.plus(UNKNOWN_KEY_REFETCH))) {
            return;
        }
        if (earlyFetchQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    earlyFetchQueued.set(false);
                    fetch();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                earlyFetchQueued.set(false);
            }
        }
    }

    /** Empty when keys are loaded; otherwise why not (no secret in it). */
    java.util.Optional<String> notReadyReason() {
        return current != null ? java.util.Optional.empty() : java.util.Optional.ofNullable(lastError)
                .or(() -> java.util.Optional.of("not fetched yet"));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static SSLContext sslContext(java.nio.file.Path caFile) throws IOException {
        try {
            byte[] pem = Files.readAllBytes(caFile);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem))) {
                ks.setCertificateEntry("ca-" + i++, (X509Certificate) c);
            }
            if (i == 0) {
                throw new IOException("kubernetes-ca-file " + caFile + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("kubernetes-ca-file " + caFile + " is unusable: " + e.getMessage(), e);
        }
    }
}
