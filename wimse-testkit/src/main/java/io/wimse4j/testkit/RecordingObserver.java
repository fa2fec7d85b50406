package io.wimse4j.testkit;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WimseObserver} that writes down every call as a line a test can compare, in order:
 * {@code accepted wpt}, {@code refused http-signature replay} (the {@link Reason#code()}),
 * {@code refreshed example.org at 2026-01-01T00:00:00Z}, {@code refresh failed example.org: IOException},
 * {@code renewed wit until 2026-01-01T01:00:00Z}, {@code renewal failed wic: IdentityServerException} (the
 * cause's simple class name). <strong>A test helper, never for production code.</strong> Thread-safe, so
 * background refreshers may report to it.
 */
public final class RecordingObserver implements WimseObserver {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Long> elapsed = new CopyOnWriteArrayList<>();

    /** A new observer that has recorded nothing. */
    public RecordingObserver() {
    }

    @Override
    public void accepted(CredentialKind kind, long elapsedNanos) {
        elapsed.add(elapsedNanos);
        events.add("accepted " + kind.tag());
    }

    @Override
    public void refused(CredentialKind kind, Reason reason, long elapsedNanos) {
        elapsed.add(elapsedNanos);
        events.add("refused " + kind.tag() + " " + reason.code());
    }

    @Override
    public void trustBundleRefreshed(TrustDomain domain, Instant at) {
        events.add("refreshed " + domain.name() + " at " + at);
    }

    @Override
    public void trustBundleRefreshFailed(TrustDomain domain, Exception cause) {
        events.add("refresh failed " + domain.name() + ": " + cause.getClass().getSimpleName());
    }

    @Override
    public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
        events.add("renewed " + credential.tag() + " until " + expiresAt);
    }

    @Override
    public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
        events.add("renewal failed " + credential.tag() + ": " + cause.getClass().getSimpleName());
    }

    /**
     * The lines recorded so far, oldest first.
     *
     * @return a copy
     */
    public List<String> events() {
        return List.copyOf(events);
    }

    /**
     * The elapsed times of the verifications recorded so far, in nanoseconds, oldest first.
     *
     * @return a copy
     */
    public List<Long> elapsedNanos() {
        return List.copyOf(elapsed);
    }

    /** Forgets everything recorded. */
    public void clear() {
        events.clear();
        elapsed.clear();
    }

    /**
     * Waits until at least {@code count} lines are recorded, for observers told on a background thread.
     *
     * @param count   the number of lines to wait for
     * @param timeout how long to wait at most
     * @return the lines recorded, oldest first (fewer than {@code count} when the wait timed out)
     * @throws InterruptedException when interrupted while waiting
     */
    public List<String> awaitEvents(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return events();
    }

    @Override
    public String toString() {
        return "RecordingObserver" + events;
    }
}
