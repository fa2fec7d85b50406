package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.testkit.DraftExample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** Runs the wimse program in-process with captured standard streams. */
final class Cli {
    static final String NL = System.lineSeparator();

    private Cli() {
    }

    /** One run's exit code and output. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Result run(String... args) {
        return runWithStdin("", args);
    }

    /** Runs {@code base} followed by {@code extra}. */
    static Result run(String[] base, String... extra) {
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    static Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WimseCli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * The drafts' example request as raw HTTP/1.1 text with origin-form target, with header
     * {@code replace} swapped for {@code value} (null: no change), line ending {@code eol}.
     */
    static String draftRequest(String eol, String replace, String value) {
        JsonNode req = DraftExample.root().get("request");
        StringBuilder sb = new StringBuilder();
        sb.append(req.get("method").asText()).append(" /path HTTP/1.1").append(eol);
        for (Iterator<Map.Entry<String, JsonNode>> it = req.get("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String v = h.getKey().equalsIgnoreCase(String.valueOf(replace)) ? value : h.getValue().asText();
            sb.append(h.getKey()).append(": ").append(v).append(eol);
        }
        sb.append(eol).append(req.get("body").asText());
        return sb.toString();
    }

    static String draftRequest() {
        return draftRequest("\r\n", null, null);
    }
}
