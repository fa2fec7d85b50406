package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;

/**
 * A failure a command reports as one line on standard error with a given exit code. Messages
 * must never contain tokens or key material.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with {@code exitCode} and a one-line {@code message}. */
    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A usage error (exit code {@value WimseCli#USAGE}). */
    public static CliException usage(String message) {
        return new CliException(WimseCli.USAGE, message);
    }

    /** A rejection by the WIMSE rules (exit code {@value WimseCli#REJECTED}), named by its reason. */
    public static CliException rejected(WimseException e) {
        return new CliException(WimseCli.REJECTED, e.reason().name() + ": " + e.detail());
    }

    /** A usage error caused by unusable input, e.g. a malformed key file. */
    public static CliException badInput(String what, WimseException e) {
        return usage(what + ": " + e.reason().name() + ": " + e.detail());
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
