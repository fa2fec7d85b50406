package io.wimse4j.x509.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;

/**
 * {@link SSLContext}s for mutual TLS with Workload Identity Certificates (MT-1..MT-4): the
 * {@link WicKeyManager} presents this workload's current WIC, the {@link WicTrustManager} validates the
 * peer's per trust domain and authorizes it in the handshake. A server must also require client
 * certificates (MT-2): {@link #requireClientCertificates(SSLParameters)}, or
 * {@code setNeedClientAuth(true)} on its socket, engine or container (Jetty's
 * {@code SslContextFactory.Server}).
 *
 * <p>A resumed TLS session is not validated again: the JDK resumes it with the peer certificate of the
 * full handshake it began with, without asking the trust manager. The contexts made here therefore keep
 * sessions for at most {@link #SESSION_TIMEOUT_SECONDS} seconds (the JDK's default is 24 hours), so an
 * expired, revoked-by-rotation or no longer authorized peer is refused at the next full handshake within
 * minutes; a service that authorizes per request should still look at the certificate of each request
 * (the servlet filter's mutual-TLS mode validates it again).
 */
public final class WimseTls {
    /** The protocols offered: TLS 1.3 and 1.2. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** How long a TLS session may be resumed: five minutes (MT-7: short-lived credentials stay short-lived). */
    public static final int SESSION_TIMEOUT_SECONDS = 300;

    private WimseTls() {
    }

    /** A context presenting {@code keys} and validating peers with {@code trust}. */
    public static SSLContext context(WicKeyManager keys, WicTrustManager trust) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
            c.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
            c.getClientSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is unavailable", e);
        }
    }

    /** {@code params} with client certificates required (MT-2) and TLS 1.3/1.2 only; returns {@code params}. */
    public static SSLParameters requireClientCertificates(SSLParameters params) {
        params.setNeedClientAuth(true);
        params.setProtocols(PROTOCOLS.clone());
        return params;
    }
}
