package io.wimse4j.core.internal;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.observe.CredentialKind;
import io.wimse4j.core.observe.WimseObserver;

/**
 * Runs one verification and tells a {@link WimseObserver} its result, {@code Reason} and time: the
 * verifiers of every module ({@code RequestVerifier}, {@code HttpSignatureVerifier}, the WIC trust
 * manager) report through it. With {@link WimseObserver#none()} the step runs alone and the clock is
 * never read. Only a {@link WimseException} is a refusal; any other exception (an unreadable body, a
 * bug) passes unreported, as it says nothing about the credential. The observer is expected to be
 * {@linkplain WimseObserver#guarded guarded}.
 */
public final class ObservedVerification {
    private ObservedVerification() {
    }

    /** One verification: a result, a refusal ({@link WimseException}) or another failure {@code X}. */
    @FunctionalInterface
    public interface Step<T, X extends Exception> {
        T run() throws WimseException, X;
    }

    /** {@code step}'s result, told to {@code observer} as {@code kind} accepted, or its refusal as refused. */
    public static <T, X extends Exception> T run(WimseObserver observer, CredentialKind kind, Step<T, X> step) throws WimseException, X {
        if (WimseObserver.isNone(observer)) {
            return step.run();
        }
        long start = System.nanoTime();
        T result;
        try {
            result = step.run();
        } catch (WimseException e) {
            observer.refused(kind, e.reason(), System.nanoTime() - start);
            throw e;
        }
        observer.accepted(kind, System.nanoTime() - start);
        return result;
    }
}
