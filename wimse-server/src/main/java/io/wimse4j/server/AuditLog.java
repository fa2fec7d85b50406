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
 *
 * <p>Rotated by size ({@code audit-max-bytes}, {@code audit-keep}): a line that would take
 * {@code audit.log} past the limit first moves it to {@code audit.log.1} (and {@code .1} to {@code .2}
 * ..., the oldest beyond {@code audit-keep} deleted), all under the lock of the append, so a line is
 * never split across files nor lost; renamed files stay owner-only. Operational events (the
 * registrations file, see {@link #recordEvent}) are lines of their own: {@code {"time","event","result",...}}.
 */
final class AuditLog {
    /** The audit file. */
    public static final String FILE = "audit.log";
    private static final Logger LOG = LoggerFactory.getLogger("io.wimse4j.server.audit");

    /** Most refusals without an attested identifier written per minute. */
    static final int UNATTESTED_PER_MINUTE = 60;

    private final StateDir state;
    private final long maxBytes;
    private final int keep;
    private final Object fileLock = new Object();
    private long window = Long.MIN_VALUE; // epoch minute of the current window; guarded by this
    private int writtenInWindow;          // unattested lines written in it
    private long suppressed;              // unattested lines left out since the last summary

    /** An audit log never rotated. */
    AuditLog(StateDir state) {
        this(state, 0, 1);
    }

    /** An audit log rotated past {@code maxBytes} (0 = never), keeping {@code keep} rotated files. */
    AuditLog(StateDir state, long maxBytes, int keep) {
        this.state = state;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    /**
     * Records an operational event, e.g. {@code event} {@code registrations-file} with {@code result}
     * {@code reconciled} or {@code invalid}; {@code detail} (may be null) must hold no secret.
     */
    void recordEvent(Instant time, String event, String result, String detail) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("time", time.toString()).put("event", event).put("result", result);
        if (detail != null) {
            o.put("detail", detail);
        }
        write(o);
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
        synchronized (fileLock) {
            try {
                rotateFor(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L);
            } catch (IOException e) {
                LOG.error("cannot rotate the audit log (the line goes to the current file): {}", e.toString());
            }
            try {
                state.appendLine(FILE, line);
            } catch (IOException e) {
                LOG.error("cannot append to the audit log: {}", e.toString());
            }
        }
    }

    /** Rotates when {@code audit.log} holds lines and {@code next} more bytes would take it past the limit. */
    private void rotateFor(long next) throws IOException {
        if (maxBytes <= 0) {
            return;
        }
        java.nio.file.Path current = state.file(FILE);
        long size;
        try {
            size = java.nio.file.Files.size(current);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (size == 0 || size + next <= maxBytes) {
            return;
        }
        java.nio.file.Files.deleteIfExists(state.file(FILE + "." + keep));
        for (int i = keep - 1; i >= 1; i--) {
            java.nio.file.Path from = state.file(FILE + "." + i);
            if (java.nio.file.Files.exists(from)) {
                java.nio.file.Files.move(from, state.file(FILE + "." + (i + 1)), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        java.nio.file.Files.move(current, state.file(FILE + ".1"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
