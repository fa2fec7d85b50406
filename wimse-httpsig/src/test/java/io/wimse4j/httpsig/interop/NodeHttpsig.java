package io.wimse4j.httpsig.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.testkit.Prerequisite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code interop/node/httpsig.mjs} (the npm packages {@code http-message-signatures},
 * {@code structured-headers} and {@code jose} on node): one subcommand, JSON in on stdin, one JSON
 * object out. Without node or the installed packages a test is skipped, or fails when the environment
 * variable {@code CI} is set ({@link #require()}, through the testkit's {@link Prerequisite}).
 */
final class NodeHttpsig {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> PACKAGES = List.of("http-message-signatures", "structured-headers", "jose");
    static final Path DIR = harnessDir();
    private static String missing;

    private NodeHttpsig() {
    }

    /**
     * What {@code httpsig.mjs} answered. {@link #toString()} shows the outcome only: the JSON of a
     * signing carries the WIT and the signature.
     */
    record Result(int exitCode, JsonNode json, String stderr) {
        boolean ok() {
            return exitCode == 0 && json.path("ok").asBoolean(false);
        }

        /** The refusal's code ({@code CONTENT_DIGEST_MISMATCH}, ...), or null when it succeeded. */
        String code() {
            return ok() ? null : json.path("code").asText(null);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", ok=" + json.path("ok") + ", stage=" + json.path("stage") + ", code=" + json.path("code")
                    + ", message=" + json.path("message") + (stderr.isBlank() ? "" : ", stderr: " + stderr.strip());
        }
    }

    /** Skips the calling test (fails it under CI) when node or one of the packages is missing. */
    static synchronized void require() {
        if (missing == null) {
            missing = whatIsMissing();
        }
        if (!missing.isEmpty()) {
            throw Prerequisite.missing(missing + "; install the interop dependencies with: npm ci --prefix interop/node");
        }
    }

    private static String whatIsMissing() {
        if (!Files.isRegularFile(DIR.resolve("httpsig.mjs"))) {
            return "interop/node/httpsig.mjs not found from " + Path.of("").toAbsolutePath();
        }
        for (String pkg : PACKAGES) {
            if (!Files.isDirectory(DIR.resolve("node_modules").resolve(pkg))) {
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

    /** {@code interop/node} of the repository, searched upward from the working directory. */
    private static Path harnessDir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("interop").resolve("node");
            if (Files.isRegularFile(candidate.resolve("httpsig.mjs"))) {
                return candidate;
            }
        }
        return start.resolveSibling("interop").resolve("node");
    }

    /** Runs {@code subcommand} with {@code input}; a usage or internal error (exit 2) fails the test. */
    static Result run(String subcommand, JsonNode input) throws Exception {
        Process p = new ProcessBuilder("node", DIR.resolve("httpsig.mjs").toString(), subcommand).directory(DIR.toFile()).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("node httpsig.mjs " + subcommand + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        String stdout = new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        String stderr = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = JSON.readTree(stdout);
        } catch (IOException e) {
            throw new AssertionError("httpsig.mjs " + subcommand + " printed no JSON (exit " + p.exitValue() + "); stderr: " + stderr, e);
        }
        if (json == null || !json.isObject()) {
            throw new AssertionError("httpsig.mjs " + subcommand + " printed no JSON object (exit " + p.exitValue() + "); stderr: " + stderr);
        }
        Result result = new Result(p.exitValue(), json, stderr);
        assertThat(result.exitCode()).as("httpsig.mjs %s: %s (usage and internal errors exit 2)", subcommand, result).isIn(0, 1);
        return result;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
