package io.wimse4j.client;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;
import org.slf4j.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The background schedule the Identity Server sources share: one daemon thread obtains a credential,
 * renews it once a fraction of its lifetime has passed, and retries failures with bounded exponential
 * backoff with jitter while the current credential stays in use as long as it is valid. Which exchange
 * to make (first attestation, renewal, attesting again) is the {@link Exchange}'s. Nothing logged
 * contains a credential's secret: the log lines name what {@link Exchange#describe} says of it.
 *
 * @param <T> the credential (a WIT with its key, a WIC with its key)
 */
final class RenewalLoop<T> implements AutoCloseable {
    /** One attempt at a credential, and what the loop needs to know of one. */
    interface Exchange<T> {
        /**
         * A new credential: a renewal of {@code current} (valid now) or, when it is null, a first one.
         * Called on the loop's thread only.
         */
        T obtain(T current) throws IOException, WimseException, InterruptedException;

        /** When {@code credential} expires. */
        Instant expiresAt(T credential);

        /** A log-safe description of {@code credential} (its subject, expiry; never a secret). */
        String describe(T credential);
    }

    /** One exchange with the server. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws IOException, WimseException, InterruptedException;
    }

    /**
     * The policy both sources follow: renew a valid {@code current}; when the server refuses the renewal,
     * present the initial {@code attestation} again if it still can be; without a valid credential, the
     * initial attestation while it is usable, otherwise a failure saying a new one is needed.
     */
    T renewOrAttest(T current, InitialAttestation attestation, Call<T> renew, Call<T> attest)
            throws IOException, WimseException, InterruptedException {
        if (current != null) {
            try {
                return renew.call();
            } catch (IdentityServerException e) {
                if (!e.isRejection() || !attestation.usable()) {
                    throw e;
                }
                log.warn("renewal of {} refused ({}); presenting the {} attestation again", what, BoundedHttp.describe(e),
                        attestation.method());
                return attestInitially(attestation, attest);
            }
        }
        if (attestation.usable()) {
            return attestInitially(attestation, attest);
        }
        throw new IdentityServerException(0, null, (credential == null ? "no credential" : "the credential expired")
                + " and the " + attestation.method() + " attestation has already been used; a new one is needed");
    }

    /** The initial attestation, used up on success, given up for good when the server calls its join token invalid. */
    private static <T> T attestInitially(InitialAttestation attestation, Call<T> attest)
            throws IOException, WimseException, InterruptedException {
        try {
            T fresh = attest.call();
            attestation.succeeded();
            return fresh;
        } catch (IdentityServerException e) {
            if (e.code().filter(IdentityServerException.JOIN_TOKEN_INVALID::equals).isPresent()) {
                attestation.rejectedForGood();
            }
            throw e;
        }
    }

    private final Exchange<T> exchange;
    private final HeldCredential kind;
    private final WimseObserver observer;
    private final String what;
    private final String endpoint;
    private final Logger log;
    private final Clock clock;
    private final double renewFraction;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration initialWait;
    private final Duration checkInterval;
    private final ScheduledExecutorService executor;
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

    // written only by the loop's thread
    private volatile T credential;
    private volatile Instant renewAt = Instant.MIN;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile Exception lastError;
    private int failures;

    /**
     * A loop on a daemon thread named {@code threadName}, looking at the schedule every
     * {@code settings.checkInterval} once {@link #start()}ed; {@code what} names the credential in log lines ("a WIT"),
     * {@code kind} to {@code settings.observer}, told of every credential obtained and every failed attempt.
     */
    RenewalLoop(String threadName, HeldCredential kind, String what, String endpoint, Logger log, Exchange<T> exchange,
                RenewalSettings settings) {
        this.exchange = exchange;
        this.kind = kind;
        this.observer = WimseObserver.guarded(settings.observer);
        this.what = what;
        this.endpoint = endpoint;
        this.log = log;
        this.clock = settings.clock;
        this.renewFraction = settings.renewFraction;
        this.minBackoff = settings.minBackoff;
        this.maxBackoff = settings.maxBackoff;
        this.initialWait = settings.initialWait();
        this.checkInterval = settings.checkInterval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the schedule (once the owner holds this loop: the first round runs at once). */
    void start() {
        executor.scheduleWithFixedDelay(this::runIfDue, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The newest credential obtained (valid or not), or null; only calls made before the first attempt
     * has finished wait for it, at most the initial wait.
     */
    T awaitCredential() {
        T c = credential;
        if (c == null && !firstAttempt.isDone()) {
            try {
                firstAttempt.get(initialWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the caller reports the missing credential
            }
            c = credential;
        }
        return c;
    }

    /** The newest credential obtained, or null; never waits. */
    T credential() {
        return credential;
    }

    /** The last attempt's failure, or null when it succeeded. */
    Exception lastError() {
        return lastError;
    }

    /** A log-safe suffix naming the last failure, or "". */
    String lastErrorSuffix() {
        Exception error = lastError;
        return error == null ? "" : "; last attempt: " + BoundedHttp.describe(error);
    }

    /** When the loop will next try to renew (or retry). */
    Instant nextRenewal() {
        T c = credential;
        Instant retry = nextAttempt;
        return c == null || retry.isAfter(renewAt) ? retry : renewAt;
    }

    /** Runs one scheduling round on the loop's thread and waits for it (tests). */
    void runDueAndWait() throws Exception {
        executor.submit(this::runIfDue).get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void runIfDue() {
        try {
            Instant now = clock.instant();
            if (now.isBefore(nextAttempt) || (credential != null && now.isBefore(renewAt))) {
                return;
            }
            attempt(now);
        } catch (RuntimeException e) {
            log.warn("renewal of {} failed unexpectedly", what, e);
        } finally {
            firstAttempt.complete(null);
        }
    }

    private void attempt(Instant now) {
        T current = credential;
        boolean renewal = current != null && now.isBefore(exchange.expiresAt(current));
        try {
            T fresh = exchange.obtain(renewal ? current : null);
            Duration lifetime = Duration.between(now, exchange.expiresAt(fresh));
            credential = fresh;
            renewAt = now.plusMillis((long) (lifetime.toMillis() * renewFraction));
            nextAttempt = Instant.MIN;
            failures = 0;
            lastError = null;
            log.info("{} {}; renewal at {}", renewal ? "renewed" : "obtained", exchange.describe(fresh), renewAt);
            observer.credentialRenewed(kind, exchange.expiresAt(fresh));
        } catch (IOException | WimseException | RuntimeException e) {
            failed(e, now, renewal ? current : null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(Exception e, Instant now, T valid) {
        failures++;
        Duration delay = backoff(failures);
        nextAttempt = now.plus(delay);
        lastError = e;
        log.warn("could not obtain {} from {} (attempt {}: {}); retrying in {} ms; {}", what, endpoint, failures,
                BoundedHttp.describe(e), delay.toMillis(), valid != null ? "keeping " + exchange.describe(valid) + " meanwhile"
                        : "no valid credentials");
        observer.credentialRenewalFailed(kind, e);
    }

    /** Exponential from the minimum, capped at the maximum, with "equal jitter" (half fixed, half random). */
    private Duration backoff(int attempt) {
        long base = minBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
