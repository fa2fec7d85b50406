package io.wimse4j.server.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The trust manager of the Identity Server's HTTPS port, which asks for (never requires) a client
 * certificate: a workload renewing its WIC over mutual TLS presents its current one. The port
 * authorizes no caller by its certificate (MT-2 binds servers that do): the certificate matters only
 * to the {@code wic} attestation method, and every other request ignores it. The full handshake
 * proves possession of the presented leaf's key (TLS CertificateVerify; a resumed session carries the
 * certificate of the handshake it resumes, which is validated again as of now); whether the chain is a valid
 * WIC is not decided here but by the {@code wic} attestation method of the request, which validates it
 * against the workload CAs (MT-1) and answers an RFC 9457 problem when it is not: a workload whose WIC
 * expired still reaches the server to attest again with another method. Nothing else on the server
 * reads the client certificate. The accepted issuers sent in the certificate request are the
 * published workload CAs, so a client holding certificates of several CAs presents the right one.
 */
public final class DeferredClientTrust extends X509ExtendedTrustManager {
    /** How long the accepted issuers are reused before {@code workloadCas} is asked again. */
    static final long ISSUERS_TTL_NANOS = 1_000_000_000L;

    private final Supplier<List<X509Certificate>> workloadCas;
    private volatile X509Certificate[] issuers;
    private volatile long issuersUntil;

    /**
     * A trust manager naming {@code workloadCas} as the accepted issuers, asked at most once a second
     * (it takes the CA set's lock), so a rotation's new CA is named within a second of its publication.
     */
    public DeferredClientTrust(Supplier<List<X509Certificate>> workloadCas) {
        this.workloadCas = Objects.requireNonNull(workloadCas, "workloadCas");
    }

    private static void requireChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("an empty client certificate chain");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the Identity Server's port authenticates no server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the Identity Server's port authenticates no server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the Identity Server's port authenticates no server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        long now = System.nanoTime();
        X509Certificate[] current = issuers;
        if (current == null || now - issuersUntil > 0) {
            current = workloadCas.get().toArray(new X509Certificate[0]);
            issuers = current;
            issuersUntil = now + ISSUERS_TTL_NANOS;
        }
        return current.clone();
    }
}
