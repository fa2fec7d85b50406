package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.internal.StateDir;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A restart (or crash) loses nothing, and the state directory is owner-only (KEY-1). */
class PersistenceTest {
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wit\"", null);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void restartKeepsKeysRegistrationsAndAdminToken() throws Exception {
        String jwks = h.get("/.well-known/jwks.json").body();
        String adminToken = h.adminToken();
        String ca = h.get("/ca.pem").body();
        WorkloadKeyPair k1 = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = json(h.issueWithJoinToken(k1, h.joinToken(SVC)).body()).get("wit").textValue();

        h.restart();

        assertThat(h.get("/.well-known/jwks.json").body()).isEqualTo(jwks);
        assertThat(h.adminToken()).isEqualTo(adminToken);
        assertThat(h.get("/ca.pem").body()).isEqualTo(ca);
        assertThat(json(h.admin("GET", "/admin/v1/registrations", null).body()).get("registrations").get(0).get("id").textValue())
                .isEqualTo(SVC);
        // a WIT issued before the restart still renews: same keys, same registration
        assertThat(h.renew(wit, k1, WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)).statusCode()).isEqualTo(200);
    }

    @Test
    void usedJoinTokenStaysUsedAfterRestart() throws Exception {
        String token = h.joinToken(SVC);
        assertThat(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).statusCode()).isEqualTo(200);
        h.restart();
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token), 400, "join-token-invalid");
    }

    @Test
    void unusedJoinTokenSurvivesRestart() throws Exception {
        String token = h.joinToken(SVC);
        h.restart();
        assertThat(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).statusCode()).isEqualTo(200);
    }

    @Test
    void joinTokensAreStoredOnlyAsHashes() throws Exception {
        String token = h.joinToken(SVC);
        String stored = Files.readString(h.stateDir.resolve("join-tokens.json"));
        assertThat(stored).contains(SVC).doesNotContain(token);
    }

    @Test
    void KEY_1_stateDirAndEveryFileAreOwnerOnly() throws Exception {
        h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), h.joinToken(SVC));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(h.stateDir))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> s = Files.list(h.stateDir)) {
            files = s.toList();
        }
        assertThat(files.stream().map(p -> p.getFileName().toString())).contains("keys.json", "registrations.json",
                "join-tokens.json", "admin-token", "audit.log", "ca.pem", "ca-key.pem", "server.pem", "server-key.pem");
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
        assertThat(files.stream().map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }

    @Test
    void existingStateDirWithLoosePermissionsIsTightened() throws Exception {
        Path loose = tmp.resolve("loose");
        Files.createDirectories(loose);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rwxr-xr-x"));
        StateDir.open(loose);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(loose))).isEqualTo("rwx------");
    }

    @Test
    void atomicWriteReplacesContentAndLeavesNoTemporaryFile() throws Exception {
        StateDir dir = StateDir.open(tmp.resolve("atomic"));
        dir.writeAtomically("f", "one");
        dir.writeAtomically("f", "two");
        assertThat(dir.readString("f")).hasValue("two");
        try (Stream<Path> s = Files.list(dir.path())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("f");
        }
    }

    @Test
    void auditLogHasOneLinePerIssuanceAndNoSecrets() throws Exception {
        String token = h.joinToken(SVC);
        String wit = json(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token).body()).get("wit").textValue();
        h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), token);
        List<String> lines = Files.readAllLines(h.stateDir.resolve("audit.log"));
        assertThat(lines).hasSize(2);
        assertThat(json(lines.get(0)).get("result").textValue()).isEqualTo("issued");
        assertThat(json(lines.get(0)).get("sub").textValue()).isEqualTo(SVC);
        assertThat(json(lines.get(0)).get("method").textValue()).isEqualTo("join_token");
        assertThat(json(lines.get(0)).get("jti").textValue()).isNotBlank();
        assertThat(json(lines.get(1)).get("result").textValue()).isEqualTo("join-token-invalid");
        assertThat(String.join("\n", lines)).doesNotContain(token).doesNotContain(wit).doesNotContain(h.adminToken());
    }

    @Test
    void refusalsWithoutAnAttestedIdentifierCannotFillTheAuditLog() throws Exception {
        int flood = AuditLog.UNATTESTED_PER_MINUTE + 10;
        for (int i = 0; i < flood; i++) {
            assertThat(h.post("/v1/wit", "application/json", "{}", java.util.Map.of()).statusCode()).isEqualTo(400);
        }
        Path log = h.stateDir.resolve("audit.log");
        assertThat(Files.readAllLines(log)).hasSize(AuditLog.UNATTESTED_PER_MINUTE)
                .allSatisfy(line -> assertThat(json(line).get("result").textValue()).isEqualTo("malformed-request"));

        // an issuance (attested) is written even while unattested refusals are capped
        h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), h.joinToken(SVC));
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(AuditLog.UNATTESTED_PER_MINUTE + 2);
        assertThat(json(lines.get(lines.size() - 2)).get("result").textValue()).isEqualTo("suppressed");
        assertThat(json(lines.get(lines.size() - 2)).get("count").asLong()).isEqualTo(10);
        assertThat(json(lines.get(lines.size() - 1)).get("result").textValue()).isEqualTo("issued");

        // a new minute: unattested refusals are written again
        h.clock.advance(java.time.Duration.ofSeconds(61));
        assertThat(h.post("/v1/wit", "application/json", "{}", java.util.Map.of()).statusCode()).isEqualTo(400);
        lines = Files.readAllLines(log);
        assertThat(lines).hasSize(AuditLog.UNATTESTED_PER_MINUTE + 3);
        assertThat(json(lines.get(lines.size() - 1)).get("result").textValue()).isEqualTo("malformed-request");
    }

    @Test
    void temporaryFilesOfAWriteInterruptedByACrashAreRemovedAtStart() throws Exception {
        Path leftover = h.stateDir.resolve(".tmp-keys.json-4711.part");
        Files.writeString(leftover, "{\"half\":");
        String jwksBefore = h.get("/.well-known/jwks.json").body();
        h.restart();
        assertThat(leftover).doesNotExist();
        assertThat(h.get("/.well-known/jwks.json").body()).isEqualTo(jwksBefore);
    }
}
