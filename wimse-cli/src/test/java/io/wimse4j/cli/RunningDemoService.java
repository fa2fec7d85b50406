package io.wimse4j.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse demo-service ...} running in a thread of the test, until {@link #stop()}: its URL and what it printed. */
final class RunningDemoService {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?://127\\.0\\.0\\.1:\\d+) ");

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final AtomicInteger exit = new AtomicInteger(-1);
    private final Thread thread;
    /** The URL the service listens on, once it printed it. */
    URI url;

    private RunningDemoService(List<String> args) {
        this.thread = new Thread(() -> exit.set(WimseCli.commandLine(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(args.toArray(String[]::new))));
    }

    /** Runs {@code wimse <args>} (starting with {@code demo-service}) and waits, at most 20 s, for the URL it prints. */
    static RunningDemoService start(List<String> args) throws Exception {
        RunningDemoService running = new RunningDemoService(args);
        running.thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            Matcher m = LISTENING.matcher(running.out.toString());
            if (m.find()) {
                running.url = URI.create(m.group(1));
                return running;
            }
            assertThat(running.exit.get()).as("exit before listening; stderr %s", running.err).isEqualTo(-1);
            Thread.sleep(50);
        }
        running.thread.interrupt();
        throw new AssertionError("demo-service printed no URL; out: " + running.out + " err: " + running.err);
    }

    /** Interrupts the command and waits for it to stop; true when it did within 10 s. */
    boolean stop() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
        return !thread.isAlive();
    }
}
