package io.wimse4j.server;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.x509.internal.DnsNames;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Identity Server's configuration. Build it with {@link ConfigLoader} (config file, then
 * {@code WIMSE_SERVER_<KEY>} environment variables, then flags) or {@link #builder(TrustDomain)}.
 * Validated at construction: a config that exists is a usable one.
 *
 * @param trustDomain    the trust domain the server issues WITs for (ID-3; never outside it)
 * @param baseUri        the external base URI; empty means {@code https://localhost:<port>} once bound
 * @param bind           the address to bind (default {@code 127.0.0.1})
 * @param port           the port (0 = any free port)
 * @param stateDir       the state directory (keys, registrations, join tokens, admin token, audit log)
 * @param keyAlgorithm   the WIT signing algorithm (ES256 by default, ES384, or Ed25519 under its name
 *                       EdDSA or Ed25519, ALG-1)
 * @param defaultWitTtl  WIT lifetime when a registration names none (WIT-5)
 * @param maxWitTtl      the longest WIT lifetime; also how long a retired key stays published
 * @param jwksMaxAge     the JWKS {@code Cache-Control max-age}
 * @param publishAhead   how long a new key is published before it signs; at least {@code jwksMaxAge}
 * @param rotateEvery    scheduled rotation period; empty disables scheduled rotation
 * @param dnsNames       extra DNS names for the TLS server certificate (besides localhost, 127.0.0.1, ::1): lower-case
 *                       LDH names, no wildcard, no duplicate
 * @param insecureHttp   serve plain HTTP (tests and demos only)
 * @param leeway         clock skew tolerated on proofs and WITs
 * @param kubernetes     the Kubernetes service-account token settings, when that method is enabled
 * @param maxConcurrentIssuances issuance requests handled at once; one more is refused at once with
 *                       503 {@code server-busy} and {@code Retry-After} (load shedding)
 * @param wicTtl         the lifetime of a Workload Identity Certificate ({@code POST /v1/wic}, MT-7):
 *                       1 hour by default, at most {@link #MAX_WIC_TTL}; cut to the workload CA's notAfter
 * @param operatorTls    an operator-provided certificate chain and key for the server's own TLS, instead of the
 *                       certificate of its built-in CA; empty by default (not with {@code insecureHttp})
 * @param adminListen    a separate loopback listener for the admin API ({@code admin-listen}); when set, the admin
 *                       endpoints are served there only (404 on the main port); empty by default
 * @param auditMaxBytes  the size past which {@code audit.log} is rotated to {@code audit.log.1} (default 10 MiB; 0 =
 *                       never rotated)
 * @param auditKeep      how many rotated audit files are kept ({@code audit.log.1} .. {@code audit.log.N}, default 5)
 * @param registrationsFile a JSON file of declared registrations, reconciled at start and when it changes; empty by
 *                       default
 */
public record ServerConfig(TrustDomain trustDomain, Optional<URI> baseUri, String bind, int port, Path stateDir,
                           JwsAlgorithm keyAlgorithm, Duration defaultWitTtl, Duration maxWitTtl, Duration jwksMaxAge,
                           Duration publishAhead, Optional<Duration> rotateEvery, List<String> dnsNames,
                           boolean insecureHttp, Duration leeway, Optional<KubernetesSettings> kubernetes,
                           int maxConcurrentIssuances, Duration wicTtl, Optional<OperatorTls> operatorTls,
                           Optional<java.net.InetSocketAddress> adminListen, long auditMaxBytes, int auditKeep,
                           Optional<Path> registrationsFile) {

    /** The default size past which the audit log is rotated: 10 MiB. */
    public static final long DEFAULT_AUDIT_MAX_BYTES = 10L * 1024 * 1024;

    /** Largest request body of {@code POST /v1/wit} and the admin API, enforced before parsing. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** The longest WIC lifetime: 24 hours (MT-7: short certificate lifetimes instead of revocation). */
    public static final Duration MAX_WIC_TTL = Duration.ofHours(24);

    /** The WIT signing algorithms the server offers; Ed25519 under either of its names (ALG-1). */
    private static final Set<JwsAlgorithm> SIGNING_ALGORITHMS = Set.copyOf(EnumSet.of(
            JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.EdDSA, JwsAlgorithm.Ed25519));

    /**
     * Where Kubernetes projected service-account tokens are checked.
     *
     * @param issuer      the cluster's token issuer ({@code iss})
     * @param audience    the audience the tokens must carry
     * @param jwksFile    the cluster's JWKS (public keys) as a file, read once at start (tests, air-gapped use)
     * @param jwksUrl     the cluster's JWKS URL (e.g. {@code https://<api-server>/openid/v1/jwks}), fetched at start
     *                    and refreshed; {@code https} only, {@code http} only to a loopback address
     * @param caFile      the PEM CA certificate(s) the JWKS URL's TLS certificate must chain to (default: the JDK's)
     * @param jwksRefresh how often the JWKS URL is fetched again (default 5 minutes; a token with an unknown
     *                    {@code kid} triggers an early fetch, at most once per 10 seconds)
     */
    public record KubernetesSettings(String issuer, String audience, Optional<Path> jwksFile, Optional<URI> jwksUrl,
                                     Optional<Path> caFile, Duration jwksRefresh) {
        /** The default time between two fetches of the JWKS URL. */
        public static final Duration DEFAULT_JWKS_REFRESH = Duration.ofMinutes(5);

        /** Settings with the JWKS from a file, read once at start. */
        public KubernetesSettings(String issuer, String audience, Path jwksFile) {
            this(issuer, audience, Optional.of(Objects.requireNonNull(jwksFile, "jwksFile")), Optional.empty(),
                    Optional.empty(), DEFAULT_JWKS_REFRESH);
        }

        /** Settings with the JWKS fetched from {@code jwksUrl} (trusting {@code caFile}, may be null) and refreshed. */
        public static KubernetesSettings fromUrl(String issuer, String audience, URI jwksUrl, Path caFile, Duration refresh) {
            return new KubernetesSettings(issuer, audience, Optional.empty(), Optional.of(jwksUrl),
                    Optional.ofNullable(caFile), refresh == null ? DEFAULT_JWKS_REFRESH : refresh);
        }

        /** Validates the parts: exactly one of the JWKS file and URL. */
        public KubernetesSettings {
            if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("kubernetes issuer and audience are required");
            }
            Objects.requireNonNull(jwksFile, "jwksFile");
            Objects.requireNonNull(jwksUrl, "jwksUrl");
            Objects.requireNonNull(caFile, "caFile");
            Objects.requireNonNull(jwksRefresh, "jwksRefresh");
            if (jwksFile.isPresent() == jwksUrl.isPresent()) {
                throw new IllegalArgumentException("exactly one of kubernetes-jwks-file and kubernetes-jwks-url is required");
            }
            if (caFile.isPresent() && jwksUrl.isEmpty()) {
                throw new IllegalArgumentException("kubernetes-ca-file goes with kubernetes-jwks-url");
            }
            jwksUrl.ifPresent(KubernetesSettings::checkUrl);
            if (jwksRefresh.compareTo(Duration.ofSeconds(1)) < 0 || jwksRefresh.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("kubernetes-jwks-refresh must be between 1 second and 1 day");
            }
        }

        private static void checkUrl(URI u) {
            if (!u.isAbsolute() || u.getHost() == null || u.getRawUserInfo() != null || u.getRawFragment() != null) {
                throw new IllegalArgumentException("kubernetes-jwks-url must be an absolute https URL without user info");
            }
            if ("http".equalsIgnoreCase(u.getScheme())) {
                if (!io.wimse4j.server.internal.Loopback.isLoopback(u.getHost())) {
                    throw new IllegalArgumentException("kubernetes-jwks-url must be https (http only to a loopback address,"
                            + " e.g. kubectl proxy or tests): " + u.getHost());
                }
            } else if (!"https".equalsIgnoreCase(u.getScheme())) {
                throw new IllegalArgumentException("kubernetes-jwks-url must be https");
            }
        }
    }

    /**
     * Parses {@code admin-listen}: {@code HOST:PORT} with a loopback host ({@code 127.0.0.1}, {@code [::1]},
     * {@code localhost}); port 0 picks a free port.
     *
     * @throws IllegalArgumentException when malformed or not loopback
     */
    public static java.net.InetSocketAddress parseAdminListen(String value) {
        return io.wimse4j.server.internal.Loopback.parseAdminListen(value);
    }

    /**
     * An operator-provided certificate for the server's own TLS (config keys {@code tls-cert} and
     * {@code tls-key}), read and checked when the server starts: the key must be the leaf's and the leaf
     * valid then, and the leaf must carry every configured {@code dnsNames} entry.
     *
     * @param certificateChain a PEM file of the chain, leaf first, each certificate followed by its issuer
     *                         (intermediates; the root may be left out)
     * @param privateKey       a PEM file of the leaf's private key (unencrypted PKCS#8, SEC 1 or PKCS#1;
     *                         keep it owner-only, KEY-1)
     */
    public record OperatorTls(Path certificateChain, Path privateKey) {
        /** Requires both files. */
        public OperatorTls {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /** Validates the configuration. */
    public ServerConfig {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Objects.requireNonNull(rotateEvery, "rotateEvery");
        Objects.requireNonNull(kubernetes, "kubernetes");
        Objects.requireNonNull(operatorTls, "operatorTls");
        Objects.requireNonNull(adminListen, "adminListen");
        Objects.requireNonNull(registrationsFile, "registrationsFile");
        adminListen.ifPresent(a -> {
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("admin-listen must be a loopback address, never " + a.getHostString());
            }
        });
        if (auditMaxBytes != 0 && auditMaxBytes < 4096) {
            throw new IllegalArgumentException("audit-max-bytes must be 0 (never rotate) or at least 4096");
        }
        if (auditKeep < 1 || auditKeep > 100) {
            throw new IllegalArgumentException("audit-keep must be between 1 and 100");
        }
        if (operatorTls.isPresent() && insecureHttp) {
            throw new IllegalArgumentException("tls-cert and tls-key are for HTTPS; they cannot go with insecure-http");
        }
        dnsNames = List.copyOf(dnsNames);
        try {
            DnsNames.validate(dnsNames);
        } catch (WimseException e) {
            throw new IllegalArgumentException("dns-names: " + e.detail());
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        baseUri.ifPresent(u -> {
            if (!u.isAbsolute() || u.getRawAuthority() == null || u.getRawQuery() != null || u.getRawFragment() != null
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new IllegalArgumentException("base URI must be an absolute http(s) URI without query or fragment");
            }
        });
        if (!SIGNING_ALGORITHMS.contains(keyAlgorithm)) {
            throw new IllegalArgumentException("key algorithm must be ES256, ES384, EdDSA or Ed25519");
        }
        positive(defaultWitTtl, "default WIT TTL");
        positive(maxWitTtl, "max WIT TTL");
        if (defaultWitTtl.compareTo(maxWitTtl) > 0) {
            throw new IllegalArgumentException("default WIT TTL must not exceed the max WIT TTL");
        }
        if (maxWitTtl.compareTo(Duration.ofMinutes(1)) < 0 || maxWitTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("max WIT TTL must be between 1 minute and 7 days");
        }
        Objects.requireNonNull(jwksMaxAge, "jwksMaxAge");
        if (jwksMaxAge.isNegative()) {
            throw new IllegalArgumentException("JWKS max-age must not be negative");
        }
        Objects.requireNonNull(publishAhead, "publishAhead");
        if (publishAhead.isNegative()) {
            throw new IllegalArgumentException("publish-ahead must not be negative");
        }
        if (publishAhead.compareTo(jwksMaxAge) < 0) {
            // a key must not sign before every verifier that caches the JWKS for max-age knows it
            throw new IllegalArgumentException("publish-ahead must be at least the JWKS max-age");
        }
        rotateEvery.ifPresent(r -> {
            positive(r, "rotate-every");
            if (r.compareTo(publishAhead) <= 0) {
                throw new IllegalArgumentException("rotate-every must be longer than publish-ahead");
            }
        });
        if (maxConcurrentIssuances < 1 || maxConcurrentIssuances > 1024) {
            throw new IllegalArgumentException("max concurrent issuances must be between 1 and 1024");
        }
        positive(wicTtl, "WIC TTL");
        if (wicTtl.compareTo(MAX_WIC_TTL) > 0) {
            throw new IllegalArgumentException("WIC TTL must be at most " + MAX_WIC_TTL.toHours() + " hours");
        }
        Objects.requireNonNull(leeway, "leeway");
        if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("leeway must be between 0 and 5 minutes");
        }
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }

    /** A builder with the defaults, for {@code trustDomain}. */
    public static Builder builder(TrustDomain trustDomain) {
        return new Builder(trustDomain);
    }

    /** A builder with the defaults, for trust domain {@code name}. */
    public static Builder builder(String trustDomain) throws WimseException {
        return new Builder(TrustDomain.parse(trustDomain));
    }

    /** Builder of {@link ServerConfig}; defaults as documented on each setter. */
    public static final class Builder {
        private final TrustDomain trustDomain;
        private URI baseUri;
        private String bind = "127.0.0.1";
        private int port = 8443;
        private Path stateDir = Path.of("wimse-server-state");
        private JwsAlgorithm keyAlgorithm = JwsAlgorithm.ES256;
        private Duration defaultWitTtl = Duration.ofHours(1);
        private Duration maxWitTtl = Duration.ofHours(24);
        private Duration jwksMaxAge = Duration.ofSeconds(300);
        private Duration publishAhead;
        private Duration rotateEvery;
        private List<String> dnsNames = List.of();
        private boolean insecureHttp;
        private Duration leeway = Duration.ofSeconds(60);
        private KubernetesSettings kubernetes;
        private int maxConcurrentIssuances = 32;
        private Duration wicTtl = Duration.ofHours(1);
        private OperatorTls operatorTls;
        private java.net.InetSocketAddress adminListen;
        private long auditMaxBytes = DEFAULT_AUDIT_MAX_BYTES;
        private int auditKeep = 5;
        private Path registrationsFile;

        private Builder(TrustDomain trustDomain) {
            this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
        }

        /** External base URI (default {@code https://localhost:<port>}). */
        public Builder baseUri(URI uri) {
            this.baseUri = uri;
            return this;
        }

        /** Bind address (default 127.0.0.1). */
        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        /** Port (default 8443; 0 = any free port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** State directory (default {@code ./wimse-server-state}). */
        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        /**
         * WIT signing algorithm (default ES256; also ES384, EdDSA, or {@link JwsAlgorithm#Ed25519}
         * for RFC 9864's name of an Ed25519 key, ALG-1).
         */
        public Builder keyAlgorithm(JwsAlgorithm alg) {
            this.keyAlgorithm = alg;
            return this;
        }

        /** Default WIT lifetime (default 1 h). */
        public Builder defaultWitTtl(Duration ttl) {
            this.defaultWitTtl = ttl;
            return this;
        }

        /** Longest WIT lifetime (default 24 h). */
        public Builder maxWitTtl(Duration ttl) {
            this.maxWitTtl = ttl;
            return this;
        }

        /** JWKS {@code max-age} (default 300 s). */
        public Builder jwksMaxAge(Duration maxAge) {
            this.jwksMaxAge = maxAge;
            return this;
        }

        /** Publish-ahead of a new key (default: the JWKS max-age). */
        public Builder publishAhead(Duration ahead) {
            this.publishAhead = ahead;
            return this;
        }

        /** Scheduled rotation period (default: none). */
        public Builder rotateEvery(Duration every) {
            this.rotateEvery = every;
            return this;
        }

        /** Extra DNS names of the TLS server certificate. */
        public Builder dnsNames(List<String> names) {
            this.dnsNames = List.copyOf(names);
            return this;
        }

        /** Plain HTTP instead of HTTPS: tests and demos only. */
        public Builder insecureHttp(boolean insecure) {
            this.insecureHttp = insecure;
            return this;
        }

        /** Clock skew tolerated (default 60 s). */
        public Builder leeway(Duration leeway) {
            this.leeway = leeway;
            return this;
        }

        /** Kubernetes service-account attestation settings (default: disabled). */
        public Builder kubernetes(KubernetesSettings settings) {
            this.kubernetes = settings;
            return this;
        }

        /**
         * Issuance requests handled at once; more are refused with 503 {@code server-busy} (default 32,
         * half of the server's 64 threads, so JWKS, health and admin requests are still served under a flood).
         */
        public Builder maxConcurrentIssuances(int max) {
            this.maxConcurrentIssuances = max;
            return this;
        }

        /** Lifetime of a Workload Identity Certificate (default 1 h, at most {@link ServerConfig#MAX_WIC_TTL}). */
        public Builder wicTtl(Duration ttl) {
            this.wicTtl = ttl;
            return this;
        }

        /**
         * Serve TLS with this operator-provided certificate chain (PEM, leaf first) and private key (PEM)
         * instead of a certificate of the built-in CA (default: the built-in CA).
         */
        public Builder tlsCertificate(Path certificateChain, Path privateKey) {
            this.operatorTls = new OperatorTls(certificateChain, privateKey);
            return this;
        }

        /**
         * Serve the admin API on its own listener at this loopback address only (default: on the main port).
         * Use {@link ServerConfig#parseAdminListen} for {@code HOST:PORT}.
         */
        public Builder adminListen(java.net.InetSocketAddress address) {
            this.adminListen = address;
            return this;
        }

        /** Rotate {@code audit.log} past this size (default 10 MiB; 0 = never). */
        public Builder auditMaxBytes(long max) {
            this.auditMaxBytes = max;
            return this;
        }

        /** Rotated audit files kept (default 5). */
        public Builder auditKeep(int keep) {
            this.auditKeep = keep;
            return this;
        }

        /** Declared registrations, reconciled at start and whenever the file changes (default: none). */
        public Builder registrationsFile(Path file) {
            this.registrationsFile = file;
            return this;
        }

        /** Builds and validates the configuration. */
        public ServerConfig build() {
            return new ServerConfig(trustDomain, Optional.ofNullable(baseUri), bind, port, stateDir, keyAlgorithm,
                    defaultWitTtl, maxWitTtl, jwksMaxAge, publishAhead != null ? publishAhead : jwksMaxAge,
                    Optional.ofNullable(rotateEvery), dnsNames, insecureHttp, leeway, Optional.ofNullable(kubernetes),
                    maxConcurrentIssuances, wicTtl, Optional.ofNullable(operatorTls), Optional.ofNullable(adminListen),
                    auditMaxBytes, auditKeep, Optional.ofNullable(registrationsFile));
        }
    }
}
