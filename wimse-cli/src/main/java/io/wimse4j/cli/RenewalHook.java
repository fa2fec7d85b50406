package io.wimse4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code wimse agent} does after each renewal has been written, as spiffe-helper does: runs
 * {@code --cmd} with its {@code --cmd-arg}s (no shell; the file paths in {@code WIMSE_*} environment
 * variables), and/or sends {@code --renew-signal} to the process whose id is in {@code --pid-file}.
 * Neither waits: the command's exit status is reported when it ends. Failures are reported, never fatal.
 *
 * @param command     the program and its arguments, or empty
 * @param signal      the signal name without {@code SIG} (e.g. {@code HUP}), or null
 * @param pidFile     the file holding the process id to signal, or null
 * @param environment the variables added to the command's environment
 */
record RenewalHook(List<String> command, String signal, Path pidFile, Map<String, String> environment) {
    private static final Pattern SIGNAL = Pattern.compile("[A-Z][A-Z0-9+-]{0,15}|[0-9]{1,2}");

    RenewalHook {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (signal != null) {
            String s = signal.toUpperCase(java.util.Locale.ROOT);
            s = s.startsWith("SIG") ? s.substring(3) : s;
            if (!SIGNAL.matcher(s).matches()) {
                throw CliException.usage("--renew-signal must be a signal name such as SIGHUP, got '" + signal + "'");
            }
            signal = s;
        }
        if ((signal == null) != (pidFile == null)) {
            throw CliException.usage("--renew-signal and --pid-file go together");
        }
    }

    /** Runs the command and sends the signal, reporting to {@code log}. */
    void fire(PrintWriter log) {
        if (!command.isEmpty()) {
            start(command, "--cmd " + command.get(0), log);
        }
        if (signal != null) {
            String pid;
            try {
                if (Files.size(pidFile) > 32) {
                    report(log, "--pid-file " + pidFile + " holds more than a process id");
                    return;
                }
                pid = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                report(log, "cannot read --pid-file " + pidFile + ": " + e.getClass().getSimpleName());
                return;
            }
            if (!pid.matches("[1-9][0-9]{0,9}")) {
                report(log, "--pid-file " + pidFile + " does not hold a process id");
                return;
            }
            start(List.of("kill", "-s", signal, pid), "signal SIG" + signal + " to " + pid, log);
        }
    }

    private void start(List<String> argv, String what, PrintWriter log) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            p.onExit().thenAccept(done -> {
                if (done.exitValue() != 0) {
                    report(log, what + " exited with status " + done.exitValue());
                }
            });
        } catch (IOException e) {
            report(log, "cannot run " + what + ": " + IoErrors.describe(e));
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void report(PrintWriter log, String message) {
        log.println("wimse agent: " + message);
        log.flush();
    }
}
