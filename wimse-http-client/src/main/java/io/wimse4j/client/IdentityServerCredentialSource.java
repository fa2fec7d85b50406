package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Workload credentials obtained from the Identity Server ({@code POST /v1/wit}, see
 * {@code docs/identity-server-api.md}) and renewed in the background:
 * <ul>
 *   <li>every WIT comes with a freshly generated key pair (KEY-4; EdDSA unless configured) and a
 *       {@code wimse-pop+jwt} proof of possession of it;</li>
 *   <li>the first WIT is obtained with the {@link InitialAttestation} (a one-time join token or a
 *       Kubernetes service-account token); later ones are renewals (method {@code wit}: the current
 *       WIT and a WPT for {@code <base>/v1/wit}) started at 2/3 of the WIT's lifetime;</li>
 *   <li>when a renewal is refused, or the credentials expired, the initial attestation is presented
 *       again only if it still can be (a Kubernetes token can, a used join token cannot);</li>
 *   <li>failures (server down, restarting, refusing) are retried with bounded exponential backoff
 *       with jitter, while the current credentials stay in use as long as they are valid;</li>
 *   <li>{@link #current()} never waits on the network once the first attempt has finished and never
 *       returns expired credentials (KEY-3: {@link Reason#CREDENTIALS_EXPIRED}).</li>
 * </ul>
 * Nothing logged or printed contains a token or a key. Thread-safe; {@link #close()} stops the
 * background thread.
 */
public final class IdentityServerCredentialSource implements CredentialSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityServerCredentialSource.class);

    private final URI endpoint;
    private final InitialAttestation attestation;
    private final IssuanceClient client;
    private final Clock clock;
    private final RenewalLoop<WorkloadCredentials> loop;

    private IdentityServerCredentialSource(Builder b, HttpClient http) {
        this.endpoint = URI.create(b.baseUri.toString().replaceAll("/+$", "") + "/v1/wit");
        this.attestation = b.attestation;
        this.clock = b.settings.clock;
        this.client = new IssuanceClient(endpoint, http, b.algorithm, b.renewalTransport, clock, b.settings.requestTimeout,
                b.settings.maxBodyBytes, guarded(b.keyExport));
        this.loop = new RenewalLoop<>("wimse-credential-refresh", HeldCredential.WIT, "a WIT", endpoint.toString(), LOG, new RenewalLoop.Exchange<>() {
            @Override
            public WorkloadCredentials obtain(WorkloadCredentials current) throws IOException, WimseException, InterruptedException {
                return IdentityServerCredentialSource.this.obtain(current);
            }

            @Override
            public Instant expiresAt(WorkloadCredentials credentials) {
                return credentials.expiresAt();
            }

            @Override
            public String describe(WorkloadCredentials credentials) {
                return credentials.toString();
            }
        }, b.settings);
        loop.start();
    }

    /**
     * Receives each WIT this source obtains together with the private key it was issued for, for a process that
     * hands credentials on to others (the {@code wimse agent} writing them to owner-only files, KEY-1). Called on
     * the background thread, after the answer was checked and before the credentials become {@link #current()};
     * a failure it throws is logged (without key material) and does not fail the issuance.
     */
    @FunctionalInterface
    public interface KeyExport {
        /** {@code credentials} were issued for {@code key} (freshly generated for them, KEY-4). */
        void issued(WorkloadCredentials credentials, WorkloadKeyPair key);
    }

    private static KeyExport guarded(KeyExport export) {
        if (export == null) {
            return null;
        }
        return (credentials, key) -> {
            try {
                export.issued(credentials, key);
            } catch (RuntimeException e) {
                LOG.warn("the key export of {} failed: {}", credentials, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        };
    }

    /** A builder for the Identity Server at {@code baseUri} (its external base URI) and the first attestation. */
    public static Builder builder(URI baseUri, InitialAttestation attestation) {
        return new Builder(baseUri, attestation);
    }

    /**
     * The current, unexpired credentials. Only calls made before the first issuance attempt has
     * finished wait for it (bounded); afterwards this never touches the network.
     *
     * @throws WimseException {@link Reason#CREDENTIALS_EXPIRED} when there are no valid credentials
     *         (never obtained, or expired and not renewed: KEY-3), with the last failure as cause
     */
    @Override
    public WorkloadCredentials current() throws WimseException {
        WorkloadCredentials c = loop.awaitCredential();
        if (c == null) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "no workload credentials from " + endpoint + " yet"
                    + loop.lastErrorSuffix(), loop.lastError());
        }
        if (!clock.instant().isBefore(c.expiresAt())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the WIT for " + c.subject() + " expired at "
                    + c.expiresAt() + " and was not renewed; its key must not sign (KEY-3)" + loop.lastErrorSuffix(), loop.lastError());
        }
        return c;
    }

    /** When the background thread will next try to renew (or retry), for monitoring. */
    public Instant nextRenewal() {
        return loop.nextRenewal();
    }

    /** Stops the background renewal; credentials already obtained are returned until they expire. */
    @Override
    public void close() {
        loop.close();
    }

    /** Runs one scheduling round on the background thread and waits for it (tests). */
    void runDueAndWait() throws Exception {
        loop.runDueAndWait();
    }

    /** A renewal of {@code current} (valid), attesting again when it is refused and can; or a first WIT. */
    private WorkloadCredentials obtain(WorkloadCredentials current) throws IOException, WimseException, InterruptedException {
        return loop.renewOrAttest(current, attestation, () -> client.renew(current), () -> client.issue(attestation));
    }

    @Override
    public String toString() {
        return "IdentityServerCredentialSource[" + endpoint + ", " + attestation + ", " + loop.credential() + "]";
    }

    /** Builder for {@link IdentityServerCredentialSource}; {@link #build()} starts the background thread. */
    public static final class Builder {
        private final RenewalSettings settings = new RenewalSettings();
        private final URI baseUri;
        private final InitialAttestation attestation;
        private SSLContext sslContext;
        private HttpClient httpClient;
        private JwsAlgorithm algorithm = JwsAlgorithm.EdDSA;
        private WptTransport renewalTransport = WptTransport.AUTHORIZATION;
        private KeyExport keyExport;

        private Builder(URI baseUri, InitialAttestation attestation) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.attestation = Objects.requireNonNull(attestation, "attestation");
        }

        /** The TLS trust for the server, e.g. {@link TlsTrust#fromCaPem} of its {@code /ca.pem} (default: the JDK's). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * A fully configured client instead of one built here (exclusive with {@link #sslContext});
         * it must not follow redirects.
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Accepts an {@code http://} base URI; off by default (SEC-1). */
        public Builder allowInsecureHttp(boolean allow) {
            settings.allowInsecureHttp = allow;
            return this;
        }

        /**
         * The algorithm of the key generated for each WIT (default {@link JwsAlgorithm#EdDSA}; pass
         * {@link JwsAlgorithm#Ed25519} for RFC 9864's name of the same keys, ALG-1).
         */
        public Builder algorithm(JwsAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * Where a renewal's WPT goes (default {@link WptTransport#AUTHORIZATION}, wpt-02's
         * {@code Authorization: WPT}, P2-1); the Identity Server accepts both. Choose
         * {@link WptTransport#WORKLOAD_PROOF_TOKEN} for a server that speaks only the seed drafts.
         */
        public Builder renewalTransport(WptTransport transport) {
            this.renewalTransport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The clock for expiry, renewal and backoff schedules and proofs (default system UTC). */
        public Builder clock(Clock clock) {
            settings.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Renew once this fraction of the WIT's lifetime has passed (default 2/3; 0.1 to 0.95). */
        public Builder renewAt(double fractionOfLifetime) {
            settings.renewFraction = fractionOfLifetime;
            return this;
        }

        /** Bounds of the exponential backoff between failed attempts (default 1 s to 1 min). */
        public Builder backoff(Duration min, Duration max) {
            settings.backoff(min, max);
            return this;
        }

        /** Connect and response timeout of one issuance request (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            settings.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How often the background thread looks at the schedule (default 1 s). */
        public Builder checkInterval(Duration interval) {
            settings.checkInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Told of every WIT obtained or renewed ({@link HeldCredential#WIT}, with its expiry) and of every failed
         * attempt (default {@link WimseObserver#none()}); called on the background thread.
         */
        public Builder observer(WimseObserver observer) {
            settings.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Hands every WIT obtained, with its private key, to {@code export} (default none: the key never leaves
         * this process). Only for an agent that passes credentials to other processes; it must write the key
         * owner-only (KEY-1) and never log it.
         */
        public Builder keyExport(KeyExport export) {
            this.keyExport = Objects.requireNonNull(export, "export");
            return this;
        }

        /** Largest response body accepted, in bytes (default 64 KiB). */
        public Builder maxBodyBytes(int max) {
            settings.maxBodyBytes = max;
            return this;
        }

        /** Validates the settings and starts obtaining credentials in the background. */
        public IdentityServerCredentialSource build() {
            settings.validate(baseUri);
            return new IdentityServerCredentialSource(this, Connections.client(httpClient, sslContext, settings.requestTimeout));
        }
    }
}
