package io.wimse4j.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something outside the JDK (node with the npm package
 * {@code jose}, a {@code redis-server}): under CI (environment variable {@code CI} set), which
 * installs those prerequisites first, a missing one is a failure; on a developer machine with only
 * a JDK and Maven the tests are skipped with a message telling how to install it.
 * <strong>A test helper, never for production code.</strong>
 *
 * <p>Needs {@code junit-jupiter-api} on the test class path (an optional dependency of this
 * module: tests using it have JUnit already).
 */
public final class Prerequisite {
    private Prerequisite() {
    }

    /**
     * Whether the tests run under CI.
     *
     * @return true when the environment variable {@code CI} is set and not blank
     */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank();
    }

    /**
     * Reports a missing prerequisite: skips the test (throws JUnit's aborted exception) outside CI,
     * and returns the failure to throw under CI, so callers write {@code throw missing(message)}.
     *
     * @param message what is missing and how to install it
     * @return the failure to throw (under CI only; outside CI this method does not return)
     */
    public static AssertionError missing(String message) {
        if (!underCi()) {
            Assumptions.abort(message);
        }
        return new AssertionError("CI is set, so these tests must run: " + message);
    }
}
