package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.tls.WicKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Workload Identity Certificate obtained from the Identity Server ({@code POST /v1/wic}, see
 * {@code docs/identity-server-api.md}) and renewed in the background, served through a
 * {@link WicKeyManager} (for {@link io.wimse4j.x509.tls.WimseTls#context}):
 * <ul>
 *   <li>every WIC comes with a freshly generated key pair (KEY-4; EC P-256 unless configured) that
 *       never leaves the process (KEY-1): only its PKCS#10 request travels;</li>
 *   <li>the first WIC is obtained with the {@link InitialAttestation}; later ones are renewals with the
 *       current WIC as the TLS client certificate (method {@code wic}, the registration must allow it),
 *       started at 2/3 of the WIC's lifetime (MT-7);</li>
 *   <li>when a renewal is refused, or the WIC expired, the initial attestation is presented again only
 *       if it still can be (a Kubernetes token can, a used join token cannot);</li>
 *   <li>failures are retried with bounded exponential backoff with jitter while the current WIC stays
 *       in use as long as it is valid; the key manager never serves an expired one (KEY-3);</li>
 *   <li>each answer is checked: the leaf certifies the new key, names the workload's identifier as
 *       its only URI SAN (WIC-2) and is valid now.</li>
 * </ul>
 * Needs {@code wimse-x509} on the class path (an optional dependency of this module). Nothing logged
 * contains a key or a certificate. Thread-safe; {@link #close()} stops the background thread.
 */
public final class IdentityServerWicSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityServerWicSource.class);

    private final URI endpoint;
    private final WorkloadIdentifier identifier;
    private final InitialAttestation attestation;
    private final WicIssuanceClient client;
    private final WicKeyManager keyManager;
    private final Clock clock;
    private final RenewalLoop<WicIssuanceClient.HeldWic> loop;

    private IdentityServerWicSource(Builder b, TrustManager[] trust) {
        this.endpoint = URI.create(b.baseUri.toString().replaceAll("/+$", "") + "/v1/wic");
        this.identifier = b.identifier;
        this.attestation = b.attestation;
        this.clock = b.settings.clock;
        this.keyManager = new WicKeyManager(clock);
        this.client = new WicIssuanceClient(endpoint, trust, b.keyType, b.identifier, b.dnsNames, clock, b.settings.requestTimeout,
                b.settings.maxBodyBytes);
        this.loop = new RenewalLoop<>("wimse-wic-refresh", HeldCredential.WIC, "a WIC", endpoint.toString(), LOG, new RenewalLoop.Exchange<>() {
            @Override
            public WicIssuanceClient.HeldWic obtain(WicIssuanceClient.HeldWic current)
                    throws IOException, WimseException, InterruptedException {
                WicIssuanceClient.HeldWic fresh = IdentityServerWicSource.this.obtain(current);
                keyManager.update(fresh.key(), fresh.chain());
                return fresh;
            }

            @Override
            public Instant expiresAt(WicIssuanceClient.HeldWic wic) {
                return wic.expiresAt();
            }

            @Override
            public String describe(WicIssuanceClient.HeldWic wic) {
                return "the WIC of " + identifier + " (" + wic + ")";
            }
        }, b.settings);
        loop.start();
    }

    /**
     * A builder for the Identity Server at {@code baseUri} (its external base URI), the workload's
     * {@code identifier} (the one URI SAN its certificates carry) and the first attestation.
     */
    public static Builder builder(URI baseUri, WorkloadIdentifier identifier, InitialAttestation attestation) {
        return new Builder(baseUri, identifier, attestation);
    }

    /**
     * The key manager serving the current WIC, updated at every renewal (a handshake in progress keeps
     * the one it chose). Before the first WIC, and once it expired unrenewed, it serves none.
     */
    public WicKeyManager keyManager() {
        return keyManager;
    }

    /**
     * The current WIC's chain, leaf first. Only calls made before the first attempt has finished wait
     * for it (bounded); afterwards this never touches the network.
     *
     * @throws WimseException {@link Reason#CREDENTIALS_EXPIRED} when there is no valid WIC (never
     *         obtained, or expired and not renewed: KEY-3), with the last failure as cause
     */
    public List<X509Certificate> currentChain() throws WimseException {
        WicIssuanceClient.HeldWic wic = loop.awaitCredential();
        if (wic == null) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "no WIC from " + endpoint + " yet" + loop.lastErrorSuffix(),
                    loop.lastError());
        }
        if (!clock.instant().isBefore(wic.expiresAt())) {
            throw new WimseException(Reason.CREDENTIALS_EXPIRED, "the WIC of " + identifier + " expired at " + wic.expiresAt()
                    + " and was not renewed; its key must not be used (KEY-3)" + loop.lastErrorSuffix(), loop.lastError());
        }
        return wic.chain();
    }

    /** When the background thread will next try to renew (or retry), for monitoring. */
    public Instant nextRenewal() {
        return loop.nextRenewal();
    }

    /** Stops the background renewal; the WIC already obtained is served until it expires. */
    @Override
    public void close() {
        loop.close();
    }

    /** Runs one scheduling round on the background thread and waits for it (tests). */
    void runDueAndWait() throws Exception {
        loop.runDueAndWait();
    }

    private WicIssuanceClient.HeldWic obtain(WicIssuanceClient.HeldWic current) throws IOException, WimseException, InterruptedException {
        return loop.renewOrAttest(current, attestation, () -> client.renew(current), () -> client.issue(attestation));
    }

    @Override
    public String toString() {
        return "IdentityServerWicSource[" + endpoint + ", " + identifier + ", " + attestation + ", " + loop.credential() + "]";
    }

    /** Builder for {@link IdentityServerWicSource}; {@link #build()} starts the background thread. */
    public static final class Builder {
        private final RenewalSettings settings = new RenewalSettings();
        private final URI baseUri;
        private final WorkloadIdentifier identifier;
        private final InitialAttestation attestation;
        private TrustManager[] serverTrust;
        private KeyType keyType = KeyType.EC_P256;
        private List<String> dnsNames = List.of();

        private Builder(URI baseUri, WorkloadIdentifier identifier, InitialAttestation attestation) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.identifier = Objects.requireNonNull(identifier, "identifier");
            this.attestation = Objects.requireNonNull(attestation, "attestation");
        }

        /**
         * Trust exactly the CA certificates in {@code caPemFile} for the server's HTTPS, e.g. its
         * {@code /ca.pem} (default: the JDK's trust store). Read now.
         */
        public Builder serverCaPem(Path caPemFile) throws IOException, GeneralSecurityException {
            this.serverTrust = TlsTrust.trustManagers(TlsTrust.readPem(caPemFile));
            return this;
        }

        /** Trust the server's HTTPS certificate with {@code factory}'s trust managers (default: the JDK's). */
        public Builder serverTrust(TrustManagerFactory factory) {
            this.serverTrust = Objects.requireNonNull(factory, "factory").getTrustManagers().clone();
            return this;
        }

        /** Accepts an {@code http://} base URI; off by default (SEC-1; renewal needs TLS, so only a first WIC then). */
        public Builder allowInsecureHttp(boolean allow) {
            settings.allowInsecureHttp = allow;
            return this;
        }

        /** The type of the key generated for each WIC (default {@link KeyType#EC_P256}). */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** DNS names to ask for besides the identifier (WIC-3; the registration must grant them). */
        public Builder dnsNames(List<String> dnsNames) {
            this.dnsNames = List.copyOf(dnsNames);
            return this;
        }

        /** The clock for expiry, renewal and backoff schedules (default system UTC). */
        public Builder clock(Clock clock) {
            settings.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Renew once this fraction of the WIC's lifetime has passed (default 2/3; 0.1 to 0.95). */
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
         * Told of every WIC obtained or renewed ({@link HeldCredential#WIC}, with its expiry) and of every failed
         * attempt (default {@link WimseObserver#none()}); called on the background thread.
         */
        public Builder observer(WimseObserver observer) {
            settings.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Largest response body accepted, in bytes (default 64 KiB). */
        public Builder maxBodyBytes(int max) {
            settings.maxBodyBytes = max;
            return this;
        }

        /** Validates the settings and starts obtaining the WIC in the background. */
        public IdentityServerWicSource build() {
            settings.validate(baseUri);
            return new IdentityServerWicSource(this, serverTrust);
        }
    }
}
