package io.wimse4j.x509.tls;

import io.wimse4j.core.error.Reason;
import io.wimse4j.x509.VerifiedWic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the mutual-TLS handshakes of a server or client came to, for logs and metrics (MT-1,
 * MT-2): as a {@link WicTrustManager.Listener}, every peer accepted and every peer refused with its
 * {@link Reason}; through {@link #handshakeFailed(Throwable)} (wired to the TLS stack's handshake-failure
 * hook, e.g. Jetty's {@code SslHandshakeListener}), the handshakes that failed before any certificate
 * reached the trust manager: a client that presented none where one is required (MT-2), or one whose
 * protocol or cipher suites do not fit. Each refusal is also told to the delegate listener (by default
 * one WARN line of logger {@code io.wimse4j.x509.tls}, the reason and the detail only). Counter names:
 * {@code accepted <role>}, {@code refused <role> <REASON>}, {@code failed no-certificate},
 * {@code failed other}. Thread-safe.
 */
public final class HandshakeCounter implements WicTrustManager.Listener {
    private static final Logger LOG = LoggerFactory.getLogger("io.wimse4j.x509.tls");
    /** The counter of handshakes that ended for want of a client certificate. */
    public static final String NO_CERTIFICATE = "failed no-certificate";
    /** The counter of other handshake failures seen by {@link #handshakeFailed} and not refused by the trust manager. */
    public static final String OTHER_FAILURE = "failed other";

    private final WicTrustManager.Listener delegate;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** A counter that logs each refusal as the trust manager's default listener does. */
    public HandshakeCounter() {
        this((role, reason, detail) -> LOG.warn("refused TLS {}: {}: {}", role, reason, detail));
    }

    /** A counter that also tells {@code delegate} of every peer accepted or refused. */
    public HandshakeCounter(WicTrustManager.Listener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void accepted(String role, VerifiedWic peer) {
        increment("accepted " + role);
        delegate.accepted(role, peer);
    }

    @Override
    public void refused(String role, Reason reason, String detail) {
        increment("refused " + role + " " + reason.name());
        delegate.refused(role, reason, detail);
    }

    /**
     * A failed handshake, as the TLS stack reports it. A failure caused by a {@link WicCertificateException}
     * was counted already (as {@code refused}); any other is counted as {@link #NO_CERTIFICATE} when the
     * TLS stack names a missing certificate chain, otherwise as {@link #OTHER_FAILURE}, and logged once.
     */
    public void handshakeFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WicCertificateException) {
                return;
            }
        }
        String message = failure == null || failure.getMessage() == null ? "" : failure.getMessage();
        boolean noCertificate = message.contains("Empty client certificate chain") || message.contains("null cert chain");
        increment(noCertificate ? NO_CERTIFICATE : OTHER_FAILURE);
        LOG.warn("TLS handshake failed: {}", noCertificate ? "the client presented no certificate (MT-2)"
                : failure == null ? "unknown" : failure.getClass().getSimpleName());
    }

    /** The count of {@code name} ({@code "refused client UNKNOWN_KEY"}, {@link #NO_CERTIFICATE}, ...), 0 when never seen. */
    public long count(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Every counter seen so far, sorted by name. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void increment(String name) {
        counts.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    @Override
    public String toString() {
        return "HandshakeCounter" + counts();
    }
}
