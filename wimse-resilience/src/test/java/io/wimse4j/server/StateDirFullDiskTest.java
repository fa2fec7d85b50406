package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 4 of issue 15: the Identity Server's state directory on a real 4 MiB tmpfs that fills up, then
 * is made read-only (a read-only bind mount over it). While it cannot write, every operation that must persist (a registration, a
 * join token, an issuance that uses a join token, a key rotation) is refused with a problem naming the
 * cause, never acknowledged; {@code /readyz} answers 503 naming {@code state-dir}; reads (the JWKS) go on.
 * With space back, or the mount writable again, the same process recovers without a restart; and a new
 * process on the same directory after SIGKILL has everything acknowledged and every file whole. Needs
 * root (mount); with {@code CI} set, a failing mount fails the test rather than skipping it.
 */
class StateDirFullDiskTest {
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    Path tmp;
    private final CrashRecoveryTest harness = new CrashRecoveryTest();
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        harness.killAll();
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private Path tmpfs(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", dir.toString());
        if (rc != 0 && System.getenv("CI") == null) {
            Assumptions.abort("cannot mount a tmpfs here (needs root): the full-disk fault is not run");
        }
        assertThat(rc).as("mount -t tmpfs (CI runs as root)").isZero();
        mounted = dir;
        return dir;
    }

    /** Fills {@code dir}'s file system; returns the filler file. */
    private static Path fill(Path dir) throws IOException {
        Path filler = dir.resolve("filler");
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("space");
        }
        return filler;
    }

    @Test
    void aFullOrReadOnlyStateDirIsRefusedClearlyNeverAcknowledgedAndRecovers() throws Exception {
        harness.tmp = tmp;
        Path mount = tmpfs("mnt");
        Path state = mount.resolve("state");
        CrashRecoveryTest.Remote s = harness.start(state, "first");
        s.register(SVC);
        List<String> acknowledged = new ArrayList<>();
        HttpResponse<String> ok = s.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), s.joinToken(SVC));
        assertThat(ok.statusCode()).isEqualTo(200);
        acknowledged.add(json(ok.body()).get("wit").textValue());
        String tokenBefore = s.joinToken(SVC);

        Map<String, Integer> answers = new TreeMap<>();
        Path filler = fill(mount);
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                Files.delete(filler);
                // a read-only bind mount over the state directory (a read-only remount of the tmpfs itself is
                // refused while the server holds its audit log open for writing)
                assertThat(run("mount", "--bind", state.toString(), state.toString())).isZero();
                assertThat(run("mount", "-o", "remount,bind,ro", state.toString())).isZero();
            }
            String label = round == 0 ? "full" : "read-only";
            HttpResponse<String> reg = s.admin("POST", "/admin/v1/registrations",
                    "{\"id\":\"" + SVC + "-" + label + "\",\"attestation\":[\"join_token\"]}");
            HttpResponse<String> token = s.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"" + SVC + "\",\"ttl_seconds\":600}");
            HttpResponse<String> issue = s.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), tokenBefore);
            HttpResponse<String> rotate = s.admin("POST", "/admin/v1/keys/rotate", null);
            HttpResponse<String> ready = s.get("/readyz");
            HttpResponse<String> jwks = s.get("/.well-known/jwks.json");
            for (HttpResponse<String> write : List.of(reg, token, issue, rotate)) {
                answers.merge(label + " " + write.statusCode() + " " + json(write.body()).path("code").asText(), 1, Integer::sum);
                assertThat(write.statusCode()).as("%s %s: %s", label, write.request().uri().getPath(), write.body()).isGreaterThanOrEqualTo(500);
                assertThat(json(write.body()).path("detail").asText()).as(write.body())
                        .containsIgnoringCase(round == 0 ? "space" : "read-only");
            }
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("state-dir");
            assertThat(jwks.statusCode()).isEqualTo(200);
        }

        // writable again: the same process recovers
        assertThat(run("umount", state.toString())).isZero();
        assertThat(s.get("/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> after = s.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), tokenBefore);
        assertThat(after.statusCode()).as("the join token refused while the disk was full is still unused").isEqualTo(200);
        acknowledged.add(json(after.body()).get("wit").textValue());

        s.crash();
        CrashRecoveryTest.Remote r = harness.start(state, "second");
        for (String wit : acknowledged) {
            assertThat(r.verifier().verify(wit).subject().toString()).isEqualTo(SVC);
        }
        CrashRecoveryTest.assertOwnerOnly(state);
        io.wimse4j.resilience.faults.FaultReports.line("state directory full (4 MiB tmpfs), then read-only",
                "write answers " + answers + "; /readyz 503 state-dir, JWKS 200 meanwhile; recovered without a restart;"
                        + " " + acknowledged.size() + " acknowledged WITs verify after SIGKILL and restart");
    }
}
