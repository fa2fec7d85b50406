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
 * certificate: a workload renewing its WIC over mutual TLS presents its current one. The handshake
 * proves possession of the presented leaf's key (TLS CertificateVerify); whether the chain is a valid
 * WIC is not decided here but by the {@code wic} attestation method of the request, which validates it
 * against the workload CAs (MT-1) and answers an RFC 9457 problem when it is not: a workload whose WIC
 * expired still reaches the server to attest again with another method. Nothing else on the server
 * reads the client certificate. The accepted issuers sent in the certificate request are the
 * published workload CAs, so a client holding certificates of several CAs presents the right one.
 */
public final class DeferredClientTrust extends X509ExtendedTrustManager {
    private final Supplier<List<X509Certificate>> workloadCas;

    /** A trust manager naming {@code workloadCas} (asked at each handshake) as the accepted issuers. */
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
        return workloadCas.get().toArray(new X509Certificate[0]);
    }
}
