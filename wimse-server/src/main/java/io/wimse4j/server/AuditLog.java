package io.wimse4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.jose.StrictJson;
import io.wimse4j.server.state.StateDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;

/**
 * One audit line per issuance attempt, as a JSON object {@code {"time","jti","sub","method","result"}}
 * to the SLF4J logger {@code io.wimse4j.server.audit} and appended to {@code <state dir>/audit.log}
 * (owner-only). Never a token, key or secret: {@code jti} is the issued WIT's identifier, {@code sub}
 * the workload identifier, {@code result} {@code issued} or the problem code.
 */
public final class AuditLog {
    /** The audit file. */
    public static final String FILE = "audit.log";
    private static final Logger LOG = LoggerFactory.getLogger("io.wimse4j.server.audit");

    private final StateDir state;

    AuditLog(StateDir state) {
        this.state = state;
    }

    /** Records one issuance attempt; {@code jti} and {@code sub} may be null when unknown. */
    void record(Instant time, String jti, String sub, String method, String result) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("time", time.toString());
        o.put("jti", jti);
        o.put("sub", sub);
        o.put("method", method);
        o.put("result", result);
        String line;
        try {
            line = StrictJson.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        LOG.info(line);
        try {
            state.appendLine(FILE, line);
        } catch (IOException e) {
            LOG.error("cannot append to the audit log: {}", e.toString());
        }
    }
}
