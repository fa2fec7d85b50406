package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.internal.StateDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Size-based rotation of the audit log: no line lost, duplicated or split across files, files owner-only. */
class AuditLogRotationTest {
    @TempDir
    Path tmp;

    static List<Path> auditFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(AuditLog.FILE)).sorted().toList();
        }
    }

    @Test
    void manyConcurrentWritersAcrossRotationsLeaveEveryLineExactlyOnceAndWhole() throws Exception {
        StateDir state = StateDir.open(tmp.resolve("state"));
        long max = 16 * 1024;
        AuditLog audit = new AuditLog(state, max, 100);
        int threads = 16;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    audit.record(Instant.now(), "jti-" + thread + "-" + i, "wimse://example.org/w" + thread,
                            "join_token", null, "issued");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Path> files = auditFiles(state.path());
        assertThat(files.size()).isGreaterThan(5).isLessThanOrEqualTo(101);
        Map<String, Integer> seen = new HashMap<>();
        for (Path f : files) {
            assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(StateDir.FILE_PERMS);
            assertThat(Files.size(f)).as(f.toString()).isLessThanOrEqualTo(max);
            String content = Files.readString(f, StandardCharsets.UTF_8);
            assertThat(content).as(f + " ends with a whole line").endsWith("\n");
            for (String line : content.split("\n")) {
                JsonNode o = StrictJson.mapper().readTree(line); // each line one whole JSON object
                assertThat(o.get("result").textValue()).isEqualTo("issued");
                seen.merge(o.get("jti").textValue(), 1, Integer::sum);
            }
        }
        assertThat(seen).hasSize(threads * perThread);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    @Test
    void onlyAuditKeepRotatedFilesStayAndTheNewestLinesAreInAuditLog() throws Exception {
        StateDir state = StateDir.open(tmp.resolve("state"));
        AuditLog audit = new AuditLog(state, 4096, 2);
        for (int i = 0; i < 500; i++) {
            audit.record(Instant.now(), "jti-" + i, "wimse://example.org/w", "join_token", null, "issued");
        }
        assertThat(auditFiles(state.path()).stream().map(p -> p.getFileName().toString()))
                .containsExactly("audit.log", "audit.log.1", "audit.log.2");
        List<String> current = Files.readAllLines(state.file(AuditLog.FILE));
        assertThat(current.get(current.size() - 1)).contains("\"jti-499\"");
        List<String> older = Files.readAllLines(state.file(AuditLog.FILE + ".1"));
        long lastOlder = Long.parseLong(StrictJson.mapper().readTree(older.get(older.size() - 1)).get("jti").textValue().substring(4));
        long firstCurrent = Long.parseLong(StrictJson.mapper().readTree(current.get(0)).get("jti").textValue().substring(4));
        assertThat(firstCurrent).isEqualTo(lastOlder + 1);
    }

    @Test
    void auditMaxBytesZeroNeverRotatesAndTooSmallALimitIsRefused() throws Exception {
        StateDir state = StateDir.open(tmp.resolve("state"));
        AuditLog audit = new AuditLog(state, 0, 5);
        for (int i = 0; i < 200; i++) {
            audit.record(Instant.now(), "jti-" + i, "wimse://example.org/w", "join_token", null, "issued");
        }
        assertThat(auditFiles(state.path())).hasSize(1);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org",
                "audit-max-bytes", "100"))).hasMessageContaining("audit-max-bytes must be 0 (never rotate) or at least 4096");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org",
                "audit-keep", "0"))).hasMessageContaining("audit-keep must be between 1 and 100");
        ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org",
                "audit-max-bytes", "1048576", "audit-keep", "3"));
        assertThat(c.auditMaxBytes()).isEqualTo(1048576);
        assertThat(c.auditKeep()).isEqualTo(3);
    }
}
