package io.wimse4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.internal.StateDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;

/**
 * One audit line per issuance attempt, as a JSON object {@code {"time","jti","sub","method","result"}}
 * to the SLF4J logger {@code io.wimse4j.server.audit} and appended to {@code <state dir>/audit.log}
 * (owner-only). Never a token, key or secret: {@code jti} is the issued WIT's identifier, {@code sub}
 * the workload identifier, {@code result} {@code issued} or the problem code. An attempt of
 * {@code POST /v1/wic} has {@code "credential":"wic"} and, for an issued certificate, its
 * {@code serial} (lower-case hex) instead of {@code jti}; never the certificate or the CSR.
 *
 * <p>Refusals that came before any attestation succeeded ({@code sub} unknown: malformed bodies,
 * bad proofs, unknown or used join tokens) can be sent by anyone, so they are written at most
 * {@value #UNATTESTED_PER_MINUTE} a minute: past that they are only counted, and the next line
 * written says how many were left out ({@code "result":"suppressed","count":N}). Issuances and
 * refusals of an attested identifier are always written. The metrics count every attempt.
 */
final class AuditLog {
    /** The audit file. */
    public static final String FILE = "audit.log";
    private static final Logger LOG = LoggerFactory.getLogger("io.wimse4j.server.audit");

    /** Most refusals without an attested identifier written per minute. */
    static final int UNATTESTED_PER_MINUTE = 60;

    private final StateDir state;
    private long window = Long.MIN_VALUE; // epoch minute of the current window; guarded by this
    private int writtenInWindow;          // unattested lines written in it
    private long suppressed;              // unattested lines left out since the last summary

    AuditLog(StateDir state) {
        this.state = state;
    }

    /**
     * Records one WIT issuance attempt; {@code jti} and {@code sub} may be null when unknown;
     * {@code presented} is the serial (hex) of the WIC a {@code wic} attestation presented, else null.
     */
    void record(Instant time, String jti, String sub, String method, String presented, String result) {
        record(time, sub, o -> {
            o.put("time", time.toString()).put("jti", jti).put("sub", sub).put("method", method);
            presented(o, presented);
            o.put("result", result);
        });
    }

    /**
     * Records one WIC issuance attempt; {@code serial} (hex) and {@code sub} may be null when unknown;
     * {@code presented} as for {@link #record}.
     */
    void recordWic(Instant time, String serial, String sub, String method, String presented, String result) {
        record(time, sub, o -> {
            o.put("time", time.toString()).put("credential", "wic");
            if (serial != null) {
                o.put("serial", serial);
            }
            o.put("sub", sub).put("method", method);
            presented(o, presented);
            o.put("result", result);
        });
    }

    private static void presented(ObjectNode o, String presented) {
        if (presented != null) {
            o.put("presented_serial", presented);
        }
    }

    private void record(Instant time, String sub, java.util.function.Consumer<ObjectNode> line) {
        long left;
        synchronized (this) {
            long minute = Math.floorDiv(time.getEpochSecond(), 60);
            if (minute != window) {
                window = minute;
                writtenInWindow = 0;
            }
            if (sub == null) {
                if (writtenInWindow >= UNATTESTED_PER_MINUTE) {
                    suppressed++;
                    return;
                }
                writtenInWindow++;
            }
            left = suppressed;
            suppressed = 0;
        }
        if (left > 0) {
            ObjectNode summary = StrictJson.mapper().createObjectNode();
            summary.put("time", time.toString());
            summary.put("result", "suppressed");
            summary.put("count", left);
            write(summary);
        }
        ObjectNode o = StrictJson.mapper().createObjectNode();
        line.accept(o);
        write(o);
    }

    private void write(ObjectNode o) {
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
