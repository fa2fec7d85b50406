package io.wimse4j.x509.tls;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierResolver;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.ObservedVerification;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates the peer of a TLS handshake by its Workload Identity Certificate (MT-1..MT-4, WIC-4):
 * <ul>
 *   <li>a client's chain with a {@link WicValidator} for clients (the anchors of the trust domain its
 *       URI SAN names, EKU {@code clientAuth}), then the {@link CallerAuthorizer}, in the handshake;</li>
 *   <li>a server's chain with a validator for servers (EKU {@code serverAuth}); then, when the client
 *       dialled a DNS name with endpoint identification on, the RFC 9525 DNS-ID check against the
 *       leaf's DNS SANs, and, when configured, the expected server identity (MT-4: a fixed one, or the ID-4
 *       mapping of the dialled {@code https://host:port}, {@link Builder#expectServers}). A server reached
 *       without a DNS-ID check (an IP address, endpoint identification off) is refused unless an expected
 *       identity is configured.</li>
 * </ul>
 * A refusal throws {@link WicCertificateException} with the {@link Reason}, reports it to the
 * {@link Listener} (default: one WARN line of logger {@code io.wimse4j.x509.tls}, the reason and the
 * detail only) and ends the handshake. {@link #getAcceptedIssuers()} is empty: the anchors are chosen
 * per trust domain after the chain is read. Immutable and thread-safe; build it with {@link #builder()}.
 */
public final class WicTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger("io.wimse4j.x509.tls");
    private static final X509Certificate[] NONE = new X509Certificate[0];

    /** Told of every peer accepted or refused, e.g. to count refusals by reason. */
    public interface Listener {
        /** A peer passed as {@code role} ({@code client} or {@code server}). */
        default void accepted(String role, VerifiedWic peer) {
        }

        /** A peer was refused as {@code role} for {@code reason}. */
        void refused(String role, Reason reason, String detail);
    }

    private final WicValidator clients;
    private final WicValidator servers;
    private final CallerAuthorizer clientAuthorizer;
    private final CallerAuthorizer expectedServer;
    private final Listener listener;
    private final IdentifierResolver serverResolver;
    private final WimseObserver observer;

    private WicTrustManager(Builder b) {
        this.clients = WicValidator.builder().trust(b.trust).clock(b.clock).forClients().build();
        this.servers = WicValidator.builder().trust(b.trust).clock(b.clock).forServers().build();
        this.clientAuthorizer = b.clientAuthorizer;
        this.expectedServer = b.expectedServer;
        this.serverResolver = b.serverResolver;
        this.listener = b.listener;
        this.observer = WimseObserver.guarded(b.observer);
    }

    /** A new builder; {@link Builder#trust(X509TrustSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    private VerifiedWic client(X509Certificate[] chain) throws CertificateException {
        try {
            return ObservedVerification.run(observer, CredentialKind.MUTUAL_TLS, () -> {
                VerifiedWic peer = clients.validate(chain == null ? List.of() : List.of(chain));
                if (!clientAuthorizer.permits(peer.identifier())) {
                    throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "workload " + peer.identifier() + " is not authorized to connect");
                }
                listener.accepted("client", peer);
                return peer;
            });
        } catch (WimseException e) {
            throw refused("client", e);
        }
    }

    private void server(X509Certificate[] chain, String host, int port, String endpointIdentification) throws CertificateException {
        try {
            VerifiedWic peer = servers.validate(chain == null ? List.of() : List.of(chain));
            boolean dnsChecked = false;
            if (host != null && endpointIdentification != null && !endpointIdentification.isEmpty() && isDnsName(host)) {
                if (!DnsId.matchesAny(host, peer.dnsNames())) {
                    throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "the server certificate names no DNS-ID matching "
                            + host + " (RFC 9525, MT-4)");
                }
                dnsChecked = true;
            }
            boolean expected = false;
            if (serverResolver != null) {
                expected = true;
                URI handle = handle(host, port);
                Optional<WorkloadIdentifier> want = handle == null ? Optional.empty() : serverResolver.resolve(handle);
                if (want.isEmpty()) {
                    throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "no workload identifier is expected behind "
                            + (handle == null ? "the dialled address" : handle) + " (ID-4, MT-4)");
                }
                if (!want.get().equals(peer.identifier())) {
                    throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "the server is " + peer.identifier() + ", not "
                            + want.get() + " expected behind " + handle + " (ID-4, MT-4)");
                }
            }
            if (expectedServer != null) {
                expected = true;
                if (!expectedServer.permits(peer.identifier())) {
                    throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "the server is " + peer.identifier()
                            + ", not the workload expected (MT-4)");
                }
            }
            if (!expected && !dnsChecked) {
                throw new WimseException(Reason.PEER_NOT_AUTHORIZED, "no DNS-ID check was possible and no expected server"
                        + " identity is configured (MT-4)");
            }
            listener.accepted("server", peer);
        } catch (WimseException e) {
            throw refused("server", e);
        }
    }

    /** {@code https://host:port} of the dialled peer, or null when the TLS stack does not say. */
    private static URI handle(String host, int port) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        try {
            String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            return new URI("https://" + h + (port > 0 ? ":" + port : ""));
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private WicCertificateException refused(String role, WimseException e) {
        listener.refused(role, e.reason(), e.detail());
        return new WicCertificateException(e);
    }

    static boolean isDnsName(String host) {
        if (host.isEmpty() || host.indexOf(':') >= 0 || host.startsWith("[")) {
            return false; // IPv6 literal
        }
        return !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')); // not an IPv4 literal
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        client(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        client(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        client(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        server(chain, null, -1, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (socket instanceof SSLSocket s) {
            SSLSession session = s.getHandshakeSession();
            server(chain, session == null ? null : session.getPeerHost(), session == null ? -1 : session.getPeerPort(),
                    s.getSSLParameters().getEndpointIdentificationAlgorithm());
        } else {
            server(chain, null, -1, null);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
        SSLParameters params = engine == null ? null : engine.getSSLParameters();
        server(chain, session == null ? null : session.getPeerHost(), session == null ? -1 : session.getPeerPort(),
                params == null ? null : params.getEndpointIdentificationAlgorithm());
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }

    /** Builder for {@link WicTrustManager}. */
    public static final class Builder {
        private X509TrustSource trust;
        private Clock clock = Clock.systemUTC();
        private CallerAuthorizer clientAuthorizer = CallerAuthorizer.any();
        private CallerAuthorizer expectedServer;
        private IdentifierResolver serverResolver;
        private Listener listener = (role, reason, detail) -> LOG.warn("refused TLS {}: {}: {}", role, reason, detail);
        private WimseObserver observer = WimseObserver.none();

        private Builder() {
        }

        /** The X.509 anchors per trust domain (required, MT-1). */
        public Builder trust(X509TrustSource trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Which clients may connect (default {@link CallerAuthorizer#any()}: any validated WIC), run in the handshake. */
        public Builder authorizeClients(CallerAuthorizer authorizer) {
            this.clientAuthorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * The server this client expects (MT-4), e.g. {@code CallerAuthorizer.id(...)}: checked in every
         * handshake as a client, and required when no DNS-ID check is possible.
         */
        public Builder expectServer(CallerAuthorizer expected) {
            this.expectedServer = Objects.requireNonNull(expected, "expected");
            return this;
        }

        /**
         * The ID-4 mapping this client expects servers by (MT-4): in every handshake as a client, the
         * identifier {@code resolver} gives for {@code https://<dialled host>:<port>} must be the server's; a
         * handle it does not know is refused. Counts as the expected identity where no DNS-ID check is
         * possible (an IP address); with {@link #expectServer} as well, both must pass.
         */
        public Builder expectServers(IdentifierResolver resolver) {
            this.serverResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Told of accepted and refused peers (default: refusals logged at WARN). */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Told of every client certificate checked ({@link CredentialKind#MUTUAL_TLS}): accepted, or refused with its
         * {@link Reason}, and the check's time (default {@link WimseObserver#none()}). Servers checked as a client
         * are not reported; the {@link #listener} hears of both.
         */
        public Builder observer(WimseObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Builds the trust manager. */
        public WicTrustManager build() {
            if (trust == null) {
                throw new IllegalStateException("trust(...) is required");
            }
            return new WicTrustManager(this);
        }
    }
}
