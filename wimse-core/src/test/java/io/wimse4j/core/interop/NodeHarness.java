package io.wimse4j.core.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.testkit.Prerequisite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code interop/node/interop.mjs} (the npm package {@code jose} on node) for the interop tests:
 * one subcommand, JSON in on stdin, one JSON object out. Without node or the installed package a test
 * is skipped, or fails when the environment variable {@code CI} is set ({@link #require()}).
 */
final class NodeHarness {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Path DIR = findHarnessDir();
    private static String missing;

    private NodeHarness() {
    }

    /** What {@code interop.mjs} answered: its exit code and the JSON object it printed. */
    record Result(int exitCode, JsonNode json, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ": " + json + (stderr.isBlank() ? "" : "\nstderr: " + stderr);
        }
    }

    /** Skips the calling test (fails it under CI) when node or {@code jose} is missing. */
    static synchronized void require() {
        if (missing == null) {
            missing = whatIsMissing();
        }
        if (!missing.isEmpty()) {
            throw Prerequisite.missing(missing + "; install the interop dependencies with: npm ci --prefix interop/node");
        }
    }

    private static String whatIsMissing() {
        if (!Files.isRegularFile(DIR.resolve("interop.mjs"))) {
            return "interop/node/interop.mjs not found from " + Path.of("").toAbsolutePath();
        }
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("jose"))) {
            return "interop/node/node_modules/jose is not installed";
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

    /** {@code interop/node} of the repository, searched upward from the working directory. */
    private static Path findHarnessDir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("interop").resolve("node");
            if (Files.isRegularFile(candidate.resolve("interop.mjs"))) {
                return candidate;
            }
        }
        return start.resolveSibling("interop").resolve("node");
    }

    /** Runs {@code subcommand} with {@code input}; a usage error (exit 2) fails the test. */
    static Result run(String subcommand, JsonNode input) throws Exception {
        Process p = new ProcessBuilder("node", DIR.resolve("interop.mjs").toString(), subcommand).directory(DIR.toFile()).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("node interop.mjs " + subcommand + " did not finish within " + TIMEOUT);
        }
        String stdout = new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        String stderr = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = JSON.readTree(stdout);
        } catch (IOException e) {
            throw new AssertionError("interop.mjs printed no JSON (exit " + p.exitValue() + "): " + stdout + "\n" + stderr, e);
        }
        if (json == null || !json.isObject()) {
            throw new AssertionError("interop.mjs printed no JSON object (exit " + p.exitValue() + "): " + stdout + "\n" + stderr);
        }
        Result result = new Result(p.exitValue(), json, stderr);
        assertThat(result.exitCode()).as("exit code %s, usage errors are 2", result).isIn(0, 1);
        return result;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
