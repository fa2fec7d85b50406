package io.wimse4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node script of the repository's interop harness ({@code interop/node/<script>}) run as the independent
 * implementation of an interop test: one subcommand, bytes in on stdin, what it printed out.
 * {@link #require()} skips the calling test (fails it when the environment variable {@code CI} is set,
 * {@link Prerequisite}) when node, the script or one of its npm packages is missing. For tests only.
 */
public final class NodeScript {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String script;
    private final List<String> packages;
    private final Path dir;
    private String missing;

    private NodeScript(String script, List<String> packages) {
        this.script = script;
        this.packages = List.copyOf(packages);
        this.dir = harnessDir(script);
    }

    /** The script {@code script} of {@code interop/node}, which needs the npm {@code packages} installed there. */
    public static NodeScript of(String script, List<String> packages) {
        return new NodeScript(Objects.requireNonNull(script, "script"), packages);
    }

    /** What a run printed and how it ended. */
    public record Output(int exitCode, String stdout, String stderr) {
        /** The exit code and stderr only: stdout may hold tokens and signatures. */
        @Override
        public String toString() {
            return "exit " + exitCode + (stderr.isBlank() ? "" : ", stderr: " + stderr.strip());
        }
    }

    /** The folder the script is in, {@code interop/node}, searched upward from the working directory. */
    public Path dir() {
        return dir;
    }

    /** Skips the calling test (fails it under CI) when node, the script or one of its packages is missing. */
    public synchronized void require() {
        if (missing == null) {
            missing = whatIsMissing();
        }
        if (!missing.isEmpty()) {
            throw Prerequisite.missing(missing + "; install the interop dependencies with: npm ci --prefix interop/node");
        }
    }

    /** Runs {@code node <script> <subcommand>} with {@code stdin}, within 60 s (else an {@link AssertionError}). */
    public Output run(String subcommand, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder("node", dir.resolve(script).toString(), subcommand).directory(dir.toFile()).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + script + " " + subcommand + " did not finish within " + TIMEOUT);
        }
        return new Output(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private String whatIsMissing() {
        if (!Files.isRegularFile(dir.resolve(script))) {
            return "interop/node/" + script + " not found from " + Path.of("").toAbsolutePath();
        }
        for (String pkg : packages) {
            if (!Files.isDirectory(dir.resolve("node_modules").resolve(pkg))) {
                return "interop/node/node_modules/" + pkg + " is not installed";
            }
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'node --version' did not finish";
            }
            return p.exitValue() == 0 ? "" : "'node --version' failed";
        } catch (IOException e) {
            return "'node' is not on the PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path harnessDir(String script) {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve("interop").resolve("node");
            if (Files.isRegularFile(candidate.resolve(script))) {
                return candidate;
            }
        }
        return start.resolveSibling("interop").resolve("node");
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
