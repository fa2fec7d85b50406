package io.wimse4j.fuzz;

import io.wimse4j.core.error.WimseException;

/**
 * The fuzz oracle (issue 15): a target may refuse an input only with the typed error, and an input that
 * differs from every valid seed must never be accepted. Any other exception escapes to Jazzer, which
 * reports it as a finding with the input that caused it.
 */
final class Oracle {
    private Oracle() {
    }

    /** A verification step that may only fail with {@link WimseException}. */
    interface Step {
        void run() throws WimseException;
    }

    /**
     * Runs {@code step}; returns whether it accepted. If it accepted an input other than the seed
     * ({@code mutated}), that is a forgery: an {@link AssertionError} naming {@code what}.
     */
    static boolean acceptsOnlySeed(String what, boolean mutated, Step step) {
        try {
            step.run();
        } catch (WimseException refused) {
            if (refused.reason() == null) {
                throw new AssertionError(what + ": a refusal without a reason");
            }
            return false;
        }
        if (mutated) {
            throw new AssertionError(what + ": a mutated input was accepted");
        }
        return true;
    }
}
