package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.VerifiedWit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 2 of issue 15: the Identity Server, a real process ({@code ServerMain}, as in
 * {@link CrashRecoveryTest}), is killed with SIGKILL at a random moment while two threads register
 * workloads, mint join tokens, obtain WITs, rotate the signing key and rotate the workload CA; then it is
 * restarted on the same state directory, and that again for several rounds. After every restart:
 * every JSON state file parses and every audit line parses (no half-written file), every signing key
 * published before (rotation acknowledged) is still in the JWKS, every workload CA whose rotation was
 * acknowledged is still in the X.509 bundle, every acknowledged registration is there, and every WIT
 * whose issuance was acknowledged (a 200 the client received) verifies against the restarted server's
 * keys (KEY-1, WIT-1; the files stay owner-only). {@code -Dwimse.faults.rounds=N} sets the rounds
 * (default 3).
 */
class IdentityServerKillRoundsTest {
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    Path tmp;
    private final CrashRecoveryTest harness = new CrashRecoveryTest();

    @AfterEach
    void killAll() throws Exception {
        harness.killAll();
    }

    @Test
    void sigkillDuringIssuanceAndRotationsLosesNothingAcknowledged() throws Exception {
        harness.tmp = tmp;
        Path state = tmp.resolve("state");
        int rounds = Integer.getInteger("wimse.faults.rounds", 3);
        Random random = new Random();
        List<String> registered = Collections.synchronizedList(new ArrayList<>(List.of(SVC)));
        List<String> wits = Collections.synchronizedList(new ArrayList<>());
        Set<String> rotatedKids = ConcurrentHashMap.newKeySet();
        Set<String> rotatedCaSerials = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> refusedByStatus = new ConcurrentHashMap<>();
        AtomicInteger killedUnderARequest = new AtomicInteger();
        CrashRecoveryTest.Remote s = harness.start(state, "round-0");
        s.register(SVC);
        for (int round = 1; round <= rounds; round++) {
            CrashRecoveryTest.Remote server = s;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger done = new AtomicInteger();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                int r = round;
                Thread worker = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            String id = SVC + "-" + r + "-" + thread + "-" + i;
                            HttpResponse<String> reg = server.admin("POST", "/admin/v1/registrations",
                                    "{\"id\":\"" + id + "\",\"attestation\":[\"join_token\"]}");
                            if (reg.statusCode() == 201) {
                                registered.add(id);
                            } else {
                                refusedByStatus.computeIfAbsent("registration " + reg.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            }
                            HttpResponse<String> issued = server.issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), server.joinToken(id));
                            if (issued.statusCode() == 200) {
                                wits.add(json(issued.body()).get("wit").textValue());
                            } else {
                                refusedByStatus.computeIfAbsent("issuance " + issued.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            }
                            if (i % 3 == 0) {
                                rotatedKids.add(server.rotate());
                            }
                            if (i % 5 == 0) {
                                HttpResponse<String> ca = server.admin("POST", "/admin/v1/wic-ca/rotate", null);
                                if (ca.statusCode() == 200) {
                                    rotatedCaSerials.add(json(ca.body()).get("serial").textValue());
                                }
                            }
                            done.incrementAndGet();
                        } catch (Exception | AssertionError e) {
                            killedUnderARequest.incrementAndGet();
                            return; // the server was killed under this request: nothing was acknowledged
                        }
                    }
                }, "kill-load-" + t);
                worker.setDaemon(true);
                worker.start();
                load.add(worker);
            }
            int target = 4 + random.nextInt(8);
            long deadline = System.nanoTime() + CrashRecoveryTest.WAIT.toNanos();
            while (done.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(40)); // a random moment inside the next operations
            server.crash();
            stop.set(true);
            for (Thread worker : load) {
                worker.join(CrashRecoveryTest.WAIT.toMillis());
                assertThat(worker.isAlive()).isFalse();
            }

            CrashRecoveryTest.assertWholeStateFiles(state);
            s = harness.start(state, "round-" + round);
            Set<String> regs = new HashSet<>();
            json(s.admin("GET", "/admin/v1/registrations", null).body()).get("registrations")
                    .forEach(n -> regs.add(n.get("id").textValue()));
            assertThat(regs).as("registrations after round %s", round).containsAll(List.copyOf(registered));
            assertThat(CrashRecoveryTest.kids(s.get("/.well-known/jwks.json").body())).containsAll(rotatedKids);
            String x509 = s.get("/v1/x509-bundle.pem").body();
            Set<String> serials = new HashSet<>();
            for (java.security.cert.X509Certificate c : io.wimse4j.x509.Pem.certificates(x509)) {
                serials.add(c.getSerialNumber().toString(16));
            }
            for (String serial : rotatedCaSerials) {
                assertThat(serials).as("CA %s after round %s", serial, round)
                        .anyMatch(have -> have.equalsIgnoreCase(serial.replaceFirst("^0+", "")));
            }
            for (String wit : List.copyOf(wits)) {
                VerifiedWit v = s.verifier().verify(wit);
                assertThat(v.subject().toString()).startsWith(SVC);
            }
        }
        assertThat(wits).as("acknowledged issuances").isNotEmpty();
        CrashRecoveryTest.assertOwnerOnly(state);
        io.wimse4j.resilience.faults.FaultReports.line("Identity Server SIGKILL during issuance, key and CA rotation",
                rounds + " kills at random moments, 2 threads: " + registered.size() + " registrations, " + wits.size()
                        + " acknowledged WITs, " + rotatedKids.size() + " key rotations, " + rotatedCaSerials.size()
                        + " CA rotations, all present and verifying after every restart; " + killedUnderARequest.get()
                        + " requests cut by a kill; refusals " + refusedByStatus);
    }
}
