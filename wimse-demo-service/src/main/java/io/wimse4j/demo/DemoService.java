package io.wimse4j.demo;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.request.OthPolicy;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.redis.RedisReplayCache;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.servlet.WimseFilter;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.HandshakeCounter;
import io.wimse4j.x509.tls.WicTrustManager;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small HTTP service protected by {@link WimseFilter}, on embedded Jetty 12 (ee10): {@code GET}
 * and {@code POST /echo} answer the verified caller as JSON. It shows a complete receiving workload:
 * trust bundles for several trust domains (ID-3), the WPT audience built from the configured
 * external base URI and the request path, never from {@code Host} (V-6), replay detection in memory
 * or shared by several instances through Redis (V-9, SEC-4, failing closed with 503), RFC 9457
 * problems for every rejection (V-14), and TLS from PEM files (SEC-1). In mutual-TLS mode
 * ({@link Builder#mutualTls}) callers authenticate with a Workload Identity Certificate instead,
 * required and validated in the TLS handshake (MT-1, MT-2) and named by the filter (WIC-4).
 *
 * <p>Plain HTTP must be asked for explicitly ({@link Builder#insecureHttp()}); a service without
 * TLS and without that request, or with both, is refused by {@link Builder#build()}. Build with
 * {@link #builder()}, then {@link #start()}; {@link #close()} stops Jetty and the Redis client.
 */
public final class DemoService implements AutoCloseable {
    /** The path the service answers. */
    public static final String ECHO_PATH = "/echo";

    /** The checked, immutable settings. */
    record Config(TrustBundleSource trust, URI externalBaseUri, String redisUrl, int port,
                          String bindAddress, PemTls tls, Clock clock, boolean filter, Set<String> allowedIssuers,
                          OthPolicy othPolicy, boolean requireKid, Set<String> witAudiences, Set<WptTransport> transports,
                          X509TrustSource clientTrust, CallerAuthorizer clientAuthorizer, WicTrustManager.Listener handshakeListener,
                          boolean httpSignatures, CredentialSource responseCredentials, boolean acceptWpt) {
    }

    private final Config config;
    private final HandshakeCounter handshakes;
    private Server server;
    private ServerConnector connector;
    private RedisReplayCache redisCache;

    private DemoService(Config config) {
        this.config = config;
        this.handshakes = config.handshakeListener == null ? new HandshakeCounter() : new HandshakeCounter(config.handshakeListener);
    }

    /** A new builder; trust, external base URI and TLS (or explicit insecure HTTP) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts serving. */
    public synchronized DemoService start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("the demo service is already started");
        }
        Server s = ServiceServer.assemble(config, handshakes, cache -> redisCache = cache);
        ServerConnector c = (ServerConnector) s.getConnectors()[0];
        s.setStopTimeout(2_000);
        try {
            s.start();
        } catch (Exception e) {
            closeRedis();
            s.stop();
            throw e;
        }
        server = s;
        connector = c;
        return this;
    }

    /**
     * What the mutual-TLS handshakes came to (MT-1, MT-2): clients accepted, refused by reason, and
     * handshakes failed without a certificate; all zero without mutual TLS.
     */
    public HandshakeCounter handshakes() {
        return handshakes;
    }

    /** The port the service listens on (the ephemeral one when configured with 0). */
    public synchronized int port() {
        if (connector == null) {
            throw new IllegalStateException("the demo service is not started");
        }
        return connector.getLocalPort();
    }

    /** The URI the service listens on, e.g. {@code https://127.0.0.1:8443} (not the external base URI). */
    public URI localUri() {
        String host = config.bindAddress.contains(":") ? "[" + config.bindAddress + "]" : config.bindAddress;
        return URI.create((config.tls != null ? "https" : "http") + "://" + host + ":" + port());
    }

    /** The configured external base URI, which proofs name as their audience (plus the path). */
    public URI externalBaseUri() {
        return config.externalBaseUri;
    }

    /** True when the service runs over TLS. */
    public boolean tls() {
        return config.tls != null;
    }

    /** True when callers authenticate with client certificates (mutual TLS, {@link Builder#mutualTls}). */
    public boolean mutualTls() {
        return config.clientTrust != null;
    }

    /** Stops Jetty and closes the Redis client; idempotent. */
    @Override
    public synchronized void close() throws Exception {
        try {
            if (server != null) {
                server.stop();
            }
        } finally {
            server = null;
            connector = null;
            closeRedis();
        }
    }

    private void closeRedis() {
        if (redisCache != null) {
            redisCache.close();
            redisCache = null;
        }
    }

    @Override
    public String toString() {
        return "DemoService[" + (server == null ? "stopped" : localUri()) + ", base " + config.externalBaseUri
                + (config.trust != null ? ", trust " + config.trust : "") + (config.clientTrust != null ? ", mutual TLS" : "")
                + ", replay " + (config.redisUrl != null ? "redis" : "in-memory")
                + (config.filter ? "" : ", NO FILTER") + "]";
    }

    /** Builder for {@link DemoService}; settings are checked in {@link #build()}. */
    public static final class Builder {
        final Map<TrustDomain, TrustBundle> bundles = new LinkedHashMap<>();
        TrustBundleSource trustSource;
        final List<String> problems = new ArrayList<>();
        URI externalBaseUri;
        String redisUrl;
        int port;
        String bindAddress = "127.0.0.1";
        Path tlsCert;
        Path tlsKey;
        boolean insecureHttp;
        Clock clock = Clock.systemUTC();
        boolean filter = true;
        boolean httpSignatures = true;
        CredentialSource responseCredentials;
        boolean acceptWpt = true;
        Set<String> allowedIssuers = Set.of();
        OthPolicy othPolicy = OthPolicy.none();
        boolean requireKid;
        Set<String> witAudiences = Set.of();
        Set<WptTransport> transports = EnumSet.allOf(WptTransport.class);
        X509TrustSource clientTrust;
        WicTrustManager.Listener handshakeListener;
        CallerAuthorizer clientAuthorizer = CallerAuthorizer.any();

        private Builder() {
        }

        /** Requires every WIT to carry {@code kid} (C2-1; default false: one key of the alg may go without). */
        public Builder requireKid(boolean require) {
            this.requireKid = require;
            return this;
        }

        /** The audiences a WIT's {@code aud} may name (C2-5; default none: a WIT carrying {@code aud} is refused). */
        public Builder witAudiences(Set<String> audiences) {
            this.witAudiences = Set.copyOf(audiences);
            return this;
        }

        /** Trusts {@code bundle} for its trust domain (ID-3); one bundle per trust domain, at least one. */
        public Builder trust(TrustBundle bundle) {
            Objects.requireNonNull(bundle, "bundle");
            if (bundles.putIfAbsent(bundle.trustDomain(), bundle) != null) {
                problems.add("trust domain " + bundle.trustDomain() + " is given twice");
            }
            return this;
        }

        /**
         * Takes every trust domain's keys from {@code source} (ID-3), e.g. an
         * {@code HttpJwksTrustBundleSource} following an Identity Server's published, rotating JWKS.
         * Either this or {@link #trust(TrustBundle) fixed bundles}, not both.
         */
        public Builder trust(TrustBundleSource source) {
            if (trustSource != null) {
                problems.add("a trust bundle source is given twice");
            }
            this.trustSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Trusts the JWKS (or single public JWK) JSON {@code jwksJson} for {@code trustDomain}. */
        public Builder trust(String trustDomain, String jwksJson) throws WimseException {
            return trust(TrustBundle.fromJwks(TrustDomain.parse(trustDomain), jwksJson));
        }

        /** Trusts the JWKS file {@code jwksFile} for {@code trustDomain}. */
        public Builder trust(String trustDomain, Path jwksFile) throws WimseException, IOException {
            return trust(trustDomain, Files.readString(jwksFile));
        }

        /** The external base URI callers address the service by (required), e.g. {@code https://echo.example.org}. */
        public Builder externalBaseUri(URI uri) {
            this.externalBaseUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** Shares the replay cache through Redis at {@code url} (default: an in-memory cache of this instance). */
        public Builder redisUrl(String url) {
            this.redisUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The TCP port, 0 for an ephemeral one (default 0). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The local address to bind (default {@code 127.0.0.1}). */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Serves TLS with the PEM certificate chain (leaf first) and unencrypted PEM private key (SEC-1). */
        public Builder tls(Path certPem, Path keyPem) {
            this.tlsCert = Objects.requireNonNull(certPem, "certPem");
            this.tlsKey = Objects.requireNonNull(keyPem, "keyPem");
            return this;
        }

        /**
         * Mutual-TLS mode (WIC-4, MT-1, MT-2): the TLS connector requires a client certificate, validated in the
         * handshake by a {@link WicTrustManager} against the anchors {@code clientTrust} gives for the trust
         * domain its URI SAN names, and the filter takes the caller from that certificate. The server's own
         * certificate stays the one of {@link #tls(Path, Path)}, which is required. Without any
         * {@link #trust(TrustBundle) JWKS trust} the certificate alone authenticates; with it, requests must also
         * carry a WIT and WPT of the same workload ({@link WimseFilter.Builder#mutualTlsWithTokens}).
         */
        public Builder mutualTls(X509TrustSource clientTrust) {
            this.clientTrust = Objects.requireNonNull(clientTrust, "clientTrust");
            return this;
        }

        /**
         * In mutual-TLS mode, which callers may connect, decided in the handshake (default
         * {@link CallerAuthorizer#any()}: any validated WIC); a caller not allowed is refused with
         * {@code PEER_NOT_AUTHORIZED} and counted.
         */
        public Builder authorizeClients(CallerAuthorizer authorizer) {
            this.clientAuthorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /** Told of every client the handshake accepts or refuses (tests; default: refusals logged at WARN). */
        Builder handshakeListener(WicTrustManager.Listener listener) {
            this.handshakeListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Serves plain HTTP: tokens then travel in clear (SEC-1), for a loopback demo or behind a TLS proxy only. */
        public Builder insecureHttp() {
            this.insecureHttp = true;
            return this;
        }

        /** The clock of the verifier and the replay cache (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** When non-empty, WITs must carry one of these {@code iss} values (WIT-3; default: any). */
        public Builder allowedIssuers(Set<String> issuers) {
            this.allowedIssuers = Set.copyOf(issuers);
            return this;
        }

        /**
         * The WPT transports accepted (default both: {@code Authorization: WPT} of wpt-02, P2-1, and the seed
         * drafts' {@code Workload-Proof-Token}); see {@link RequestVerifier.Builder#transports(Set)}.
         */
        public Builder transports(Set<WptTransport> transports) {
            if (transports.isEmpty()) {
                throw new IllegalArgumentException("at least one WPT transport is required");
            }
            this.transports = EnumSet.copyOf(transports);
            return this;
        }

        /** The {@code oth} profile (default: none understood, V-13). */
        public Builder othPolicy(OthPolicy policy) {
            this.othPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Runs WITHOUT {@link WimseFilter}: every request reaches the echo unauthenticated. Only for
         * the load benchmark's baseline; never for anything else.
         */
        public Builder withoutFilterForBenchmarkOnly() {
            this.filter = false;
            return this;
        }

        /**
         * Whether requests signed with HTTP Message Signatures (draft-ietf-wimse-http-signature) are accepted
         * besides WIT + WPT (default true; needs JWKS trust, not mutual TLS). Their nonces share the WPT replay cache.
         */
        public Builder httpSignatures(boolean accept) {
            this.httpSignatures = accept;
            return this;
        }

        /**
         * Whether WIT + WPT requests are accepted (default true). Off, every request must carry an HTTP Message
         * Signature (needs {@link #httpSignatures(boolean)} on).
         */
        public Builder acceptWpt(boolean accept) {
            this.acceptWpt = accept;
            return this;
        }

        /**
         * The service's own credentials, with which it signs its answers to signed requests (HS-6); without them
         * a request asking for a signed response ({@code wimse-sign-response}) is answered 501.
         */
        public Builder responseCredentials(CredentialSource credentials) {
            this.responseCredentials = java.util.Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Checks the settings, reads the TLS files, and returns the (not yet started) service. */
        public DemoService build() throws IOException {
            List<String> errors = BuilderChecks.errors(this);
            if (!errors.isEmpty()) {
                throw new IllegalStateException(String.join("; ", errors));
            }
            PemTls tls = tlsCert != null ? PemTls.load(tlsCert, tlsKey) : null;
            TrustBundleSource trust = trustSource != null ? trustSource : bundles.isEmpty() ? null : TrustBundleSet.of(bundles.values());
            return new DemoService(new Config(trust, externalBaseUri, redisUrl, port, bindAddress, tls,
                    clock, filter, allowedIssuers, othPolicy, requireKid, witAudiences, transports, clientTrust, clientAuthorizer,
                    handshakeListener, httpSignatures, responseCredentials, acceptWpt));
        }
    }
}
