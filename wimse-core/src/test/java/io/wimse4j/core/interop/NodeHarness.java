package io.wimse4j.core.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.testkit.NodeScript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code interop/node/interop.mjs} (the npm package {@code jose} on node) for the interop tests:
 * one subcommand, JSON in on stdin, one JSON object out. Without node or the installed package a test
 * is skipped, or fails when the environment variable {@code CI} is set ({@link #require()}).
 */
final class NodeHarness {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeScript SCRIPT = NodeScript.of("interop.mjs", List.of("jose"));
    static final Path DIR = SCRIPT.dir();

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
    static void require() {
        SCRIPT.require();
    }

    /** Runs {@code subcommand} with {@code input}; a usage error (exit 2) fails the test. */
    static Result run(String subcommand, JsonNode input) throws Exception {
        NodeScript.Output out = SCRIPT.run(subcommand, JSON.writeValueAsBytes(input));
        JsonNode json;
        try {
            json = JSON.readTree(out.stdout());
        } catch (IOException e) {
            throw new AssertionError("interop.mjs printed no JSON (" + out + "): " + out.stdout(), e);
        }
        if (json == null || !json.isObject()) {
            throw new AssertionError("interop.mjs printed no JSON object (" + out + "): " + out.stdout());
        }
        Result result = new Result(out.exitCode(), json, out.stderr());
        assertThat(result.exitCode()).as("exit code %s, usage errors are 2", result).isIn(0, 1);
        return result;
    }
}
