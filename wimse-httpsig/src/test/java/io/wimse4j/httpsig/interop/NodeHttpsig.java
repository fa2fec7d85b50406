package io.wimse4j.httpsig.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.testkit.NodeScript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code interop/node/httpsig.mjs} (the npm packages {@code http-message-signatures},
 * {@code structured-headers} and {@code jose} on node): one subcommand, JSON in on stdin, one JSON
 * object out. Without node or the installed packages a test is skipped, or fails when the environment
 * variable {@code CI} is set ({@link #require()}, through the testkit's {@link NodeScript}).
 */
final class NodeHttpsig {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeScript SCRIPT = NodeScript.of("httpsig.mjs",
            List.of("http-message-signatures", "structured-headers", "jose"));
    static final Path DIR = SCRIPT.dir();

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
    static void require() {
        SCRIPT.require();
    }

    /** Runs {@code subcommand} with {@code input}; a usage or internal error (exit 2) fails the test. */
    static Result run(String subcommand, JsonNode input) throws Exception {
        NodeScript.Output out = SCRIPT.run(subcommand, JSON.writeValueAsBytes(input));
        JsonNode json;
        try {
            json = JSON.readTree(out.stdout());
        } catch (IOException e) {
            throw new AssertionError("httpsig.mjs " + subcommand + " printed no JSON (" + out + ")", e);
        }
        if (json == null || !json.isObject()) {
            throw new AssertionError("httpsig.mjs " + subcommand + " printed no JSON object (" + out + ")");
        }
        Result result = new Result(out.exitCode(), json, out.stderr());
        assertThat(result.exitCode()).as("httpsig.mjs %s: %s (usage and internal errors exit 2)", subcommand, result).isIn(0, 1);
        return result;
    }
}
