package io.wimse4j.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code wimse agent} run in a thread of this JVM, stopped by interrupting it (as {@link RunningServer}). */
final class RunningAgent {
    final Thread thread;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final AtomicInteger exit = new AtomicInteger(-1);

    /** Runs {@code wimse agent <args>}. */
    RunningAgent(String... args) {
        List<String> all = new ArrayList<>(List.of("agent"));
        all.addAll(List.of(args));
        thread = new Thread(() -> exit.set(WimseCli.commandLine(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new))),
                "wimse-agent-command");
        thread.start();
    }

    /** The health URL the agent printed, waiting for it (bounded). */
    String healthUrl() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = Pattern.compile("health on (http://127\\.0\\.0\\.1:\\d+/healthz)").matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            if (!thread.isAlive()) {
                throw new AssertionError("the agent exited " + exit.get() + ": " + out + err);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no health URL: " + out + err);
    }

    /** Waits (bounded) for the agent to exit by itself; its exit code. */
    int awaitExit() throws InterruptedException {
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new AssertionError("the agent is still running: " + out + err);
        }
        return exit.get();
    }

    /** Stops the agent (interrupt) and waits for its thread. */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(20_000);
    }
}
