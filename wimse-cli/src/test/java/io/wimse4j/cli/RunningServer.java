package io.wimse4j.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code wimse server} run in a thread of this JVM, stopped by interrupting it (the CLI tests' real server). */
final class RunningServer {
    final Thread thread;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final AtomicInteger exit = new AtomicInteger(-1);
    String url;

    /** Runs {@code wimse server <args>}. */
    RunningServer(String... args) {
        List<String> all = new ArrayList<>(List.of("server"));
        all.addAll(List.of(args));
        thread = new Thread(() -> exit.set(WimseCli.commandLine(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new))),
                "wimse-server-command");
        thread.start();
    }

    /** A server for trust domain example.org on an ephemeral port with {@code state}, started (or the test fails). */
    static RunningServer startedOn(Path state, String... extra) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("--trust-domain", "example.org", "--state-dir", state.toString(), "--port", "0"));
        all.addAll(List.of(extra));
        RunningServer r = new RunningServer(all.toArray(String[]::new));
        if (!r.started()) {
            throw new AssertionError("server exited: " + r.out + r.err);
        }
        return r;
    }

    /** Waits until the server printed its banner; false when it exited instead. */
    boolean started() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            String o = out.toString();
            if (o.contains("TLS certificate:") || o.contains("-----END CERTIFICATE-----")) {
                Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(o);
                assertThat(m.find()).as(o).isTrue();
                url = "https://127.0.0.1:" + m.group(1);
                return true;
            }
            if (!thread.isAlive()) {
                return false;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start: " + out + err);
    }

    /** Stops the server (interrupt) and waits for its thread. */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(20_000);
    }
}
