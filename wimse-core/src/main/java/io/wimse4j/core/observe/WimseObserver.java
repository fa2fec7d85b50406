package io.wimse4j.core.observe;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Told what the libraries do, so that an application can count it: every verification with its
 * result, {@link Reason} and time, every trust-bundle refresh and every credential renewal. The
 * libraries call it where they act ({@code RequestVerifier} for WPTs, {@code HttpSignatureVerifier}
 * for HTTP signatures, the WIC trust manager for mutual TLS, the refreshing trust sources, the
 * Identity Server credential sources); each takes one through its builder's {@code observer(...)}.
 *
 * <p>The default, {@link #none()}, does nothing and costs nothing: a library given no observer does
 * not read the clock for it. {@code wimse-micrometer}'s {@code WimseMetrics} turns the calls into
 * Micrometer meters ({@code docs/metrics.md}).
 *
 * <p>Implementations must be thread-safe and fast (they run on the request path) and should not
 * throw; the libraries call them through {@link #guarded(WimseObserver)}, which drops a
 * {@link RuntimeException} so that a broken observer never turns an answer into an error. Nothing
 * passed to an observer is secret: no token, key or signature, only kinds, reasons, trust domains
 * and instants.
 */
public interface WimseObserver {
    /** A proof of {@code kind} verified; {@code elapsedNanos} is the verification's wall time. */
    default void accepted(CredentialKind kind, long elapsedNanos) {
    }

    /** A proof of {@code kind} was refused for {@code reason} after {@code elapsedNanos}. */
    default void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
    }

    /** The trust bundle of {@code domain} was fetched (changed or not) at {@code at}. */
    default void trustBundleRefreshed(TrustDomain domain, Instant at) {
    }

    /**
     * A refresh of {@code domain}'s trust bundle failed; the source keeps its last good bundle
     * until its staleness limit. {@code cause} is for counting by type, never logged with secrets.
     */
    default void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
    }

    /** A held {@code credential} was obtained or renewed; it expires at {@code expiresAt}. */
    default void credentialRenewed(HeldCredential credential, Instant expiresAt) {
    }

    /** Obtaining or renewing a held {@code credential} failed; the current one, if any, is kept. */
    default void credentialRenewalFailed(HeldCredential credential, Exception cause) {
    }

    /** The observer that does nothing (the libraries' default). */
    static WimseObserver none() {
        return Observers.NONE;
    }

    /** Whether {@code observer} is {@link #none()}, so a caller can skip reading the clock. */
    static boolean isNone(WimseObserver observer) {
        return observer == Observers.NONE;
    }

    /**
     * {@code observer} with every call's {@link RuntimeException} dropped ({@link #none()} and an
     * already guarded observer are returned as they are).
     */
    static WimseObserver guarded(WimseObserver observer) {
        Objects.requireNonNull(observer, "observer");
        if (observer == Observers.NONE || observer instanceof Observers.Guarded) {
            return observer;
        }
        return new Observers.Guarded(observer);
    }

    /** One observer that tells each of {@code observers} in order, each guarded. */
    static WimseObserver all(List<? extends WimseObserver> observers) {
        List<WimseObserver> list = observers.stream().map(WimseObserver::guarded)
                .filter(o -> o != Observers.NONE).map(WimseObserver.class::cast).toList();
        if (list.isEmpty()) {
            return Observers.NONE;
        }
        return list.size() == 1 ? list.get(0) : new Observers.All(list);
    }
}
