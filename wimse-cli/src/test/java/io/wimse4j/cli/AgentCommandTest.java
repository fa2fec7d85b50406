package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.client.FileCredentialSource;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitInfo;
import io.wimse4j.core.wpt.WorkloadCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse agent} against a real {@code wimse server} (in this JVM, HTTPS with its own CA) issuing WITs of
 * a few seconds: the files appear owner-only, load through {@link FileCredentialSource} into a WPT that a
 * {@code RequestVerifier} accepts, and are replaced before expiry with a new key, never seen half written;
 * the renewal command and signal, the health endpoint, and a refused join token.
 */
class AgentCommandTest {
    static final String ID = "wimse://example.org/svc/agent";
    static final long TTL = 6;

    @TempDir
    Path tmp;
    IdentityServerFixture ids;
    final List<RunningAgent> agents = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        ids = new IdentityServerFixture(tmp.resolve("state"));
        ids.register(ID, TTL, "join_token,wit");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (RunningAgent a : agents) {
            a.stop();
            assertThat(a.thread.isAlive()).as("agent stopped").isFalse();
        }
        ids.stop();
    }

    RunningAgent agent(Path out, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--join-token", "@" + ids.joinTokenFile(ID, tmp), "--out-dir", out.toString()));
        args.addAll(List.of(extra));
        RunningAgent a = new RunningAgent(args.toArray(String[]::new));
        agents.add(a);
        return a;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static String readOrNull(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void KEY_4_theAgentWritesOwnerOnlyFilesAndReplacesThemBeforeExpiryWithAFreshKey() throws Exception {
        Path out = tmp.resolve("creds");
        Path wit = out.resolve("wit.jwt");
        Path key = out.resolve("wit-key.jwk");
        RunningAgent agent = agent(out);
        await("the first WIT", Duration.ofSeconds(20), () -> Files.exists(wit));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wit))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        FileCredentialSource files = FileCredentialSource.builder(wit, key).checkInterval(Duration.ZERO).build();
        WorkloadCredentials first = files.current();
        assertThat(first.subject().value()).isEqualTo(ID);
        assertThat(ids.verifyRequestSignedWith(first).workload().value()).as("a WPT from the files verifies").isEqualTo(ID);
        JsonNode firstClaims = IdentityServerFixture.claims(first.wit());

        // a reader that keeps reading both files while the agent replaces them: every read must be whole
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> torn = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try {
                    WitInfo.decodeUnverified(Files.readString(wit).strip());
                    WorkloadKeyPair.fromPrivateJwk(Files.readString(key), null);
                    reads.incrementAndGet();
                } catch (Exception e) {
                    torn.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }, "torn-file-reader");
        reader.start();
        try {
            await("a renewed WIT", Duration.ofSeconds(TTL + 5), () -> !first.wit().equals(String.valueOf(readOrNull(wit)).strip()));
        } finally {
            reading.set(false);
            reader.join();
        }
        Instant replacedAt = Instant.now();
        assertThat(replacedAt).as("replaced before the first WIT expired").isBefore(first.expiresAt());
        assertThat(torn).as("no half-written file seen in " + reads.get() + " reads").isEmpty();
        assertThat(reads.get()).isGreaterThan(10);

        await("the renewed key", Duration.ofSeconds(5), () -> {
            try {
                return !files.current().wit().equals(first.wit());
            } catch (Exception e) {
                return false;
            }
        });
        WorkloadCredentials second = files.current();
        JsonNode secondClaims = IdentityServerFixture.claims(second.wit());
        assertThat(secondClaims.get("jti")).isNotEqualTo(firstClaims.get("jti"));
        assertThat(secondClaims.at("/cnf/jwk")).as("KEY-4: a new key").isNotEqualTo(firstClaims.at("/cnf/jwk"));
        assertThat(second.expiresAt()).isAfter(first.expiresAt());
        assertThat(ids.verifyRequestSignedWith(second).workload().value()).isEqualTo(ID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        try (var listing = Files.list(out)) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no temporary file left behind").containsExactly("wit-key.jwk", "wit.jwt");
        }
        assertThat(agent.out.toString()).contains("wrote WIT of " + ID).doesNotContain(first.wit())
                .doesNotContain(firstClaims.at("/cnf/jwk/x").asText());
        assertThat(agent.err.toString()).doesNotContain(first.wit());
    }

    @Test
    void theRenewalCommandRunsAndTheSignalReachesThePidFilesProcessAfterEachWrite() throws Exception {
        Path out = tmp.resolve("creds");
        Path ran = tmp.resolve("ran.txt");
        Path signalled = tmp.resolve("signalled.txt");
        Path pidFile = tmp.resolve("app.pid");
        Process app = new ProcessBuilder("/bin/sh", "-c",
                "trap 'echo hup >> \"$1\"' HUP; echo $$ > \"$2\"; while :; do sleep 0.05; done", "sh",
                signalled.toString(), pidFile.toString()).start();
        try {
            await("the pid file", Duration.ofSeconds(10), () -> readOrNull(pidFile) != null && !readOrNull(pidFile).isBlank());
            agent(out, "--cmd", "/bin/sh", "--cmd-arg=-c", "--cmd-arg", "echo \"$WIMSE_WIT_FILE\" >> \"$1\"",
                    "--cmd-arg", "sh", "--cmd-arg", ran.toString(), "--renew-signal", "SIGHUP", "--pid-file", pidFile.toString());
            await("the command run after the first write and the renewal", Duration.ofSeconds(TTL + 10),
                    () -> readOrNull(ran) != null && readOrNull(ran).lines().count() >= 2);
            assertThat(readOrNull(ran).lines().distinct().toList())
                    .containsExactly(out.resolve("wit.jwt").toAbsolutePath().toString());
            await("two signals", Duration.ofSeconds(5), () -> readOrNull(signalled) != null && readOrNull(signalled).lines().count() >= 2);
            assertThat(app.isAlive()).as("SIGHUP trapped, not fatal").isTrue();
        } finally {
            app.destroyForcibly().waitFor();
        }
    }

    @Test
    void KEY_3_healthIs200WhileTheFilesAreFreshAnd503OnceTheServerIsGoneAndTheWitExpired() throws Exception {
        Path out = tmp.resolve("creds");
        RunningAgent agent = agent(out, "--health-port", "0");
        String url = agent.healthUrl();
        HttpClient http = HttpClient.newHttpClient();
        await("healthy", Duration.ofSeconds(20), () -> status(http, url) == 200);
        WitInfo onDisk = WitInfo.decodeUnverified(Files.readString(out.resolve("wit.jwt")).strip());

        ids.stop();
        await("unhealthy after expiry", Duration.ofSeconds(TTL * 2 + 5), () -> status(http, url) == 503);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"status\":\"stale\"").contains("WIT: expired at");
        // the last WIT on disk expired (a renewal may have landed before the server went away)
        WitInfo last = WitInfo.decodeUnverified(Files.readString(out.resolve("wit.jwt")).strip());
        assertThat(last.expiresAt()).isAfterOrEqualTo(onDisk.expiresAt()).isBefore(Instant.now());
        assertThat(agent.thread.isAlive()).as("the agent keeps trying").isTrue();
        assertThat(status(http, url.replace("/healthz", "/other"))).isEqualTo(404);
    }

    static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aWriteThatFailsIsReportedAndRetriedUntilItSucceeds() throws Exception {
        Path out = tmp.resolve("creds");
        Path inTheWay = Files.createDirectories(out.resolve("wit.jwt").resolve("in-the-way"));
        RunningAgent agent = agent(out, "--health-port", "0");
        String url = agent.healthUrl();
        await("the failure reported", Duration.ofSeconds(20), () -> agent.err.toString().contains("cannot write the credentials (retrying)"));
        assertThat(status(HttpClient.newHttpClient(), url)).as("nothing fresh on disk").isEqualTo(503);
        Files.delete(inTheWay);
        Files.delete(out.resolve("wit.jwt"));
        await("the retried write", Duration.ofSeconds(5), () -> Files.isRegularFile(out.resolve("wit.jwt")));
        assertThat(FileCredentialSource.builder(out.resolve("wit.jwt"), out.resolve("wit-key.jwk")).build().current().subject().value())
                .isEqualTo(ID);
        await("healthy", Duration.ofSeconds(5), () -> status(HttpClient.newHttpClient(), url) == 200);
    }

    @Test
    void aRefusedJoinTokenEndsTheAgentWithExit1AndWritesNothing() throws Exception {
        Path out = tmp.resolve("creds");
        Path bogus = tmp.resolve("bogus-token");
        Files.writeString(bogus, "not-a-real-join-token-0123456789");
        RunningAgent agent = new RunningAgent("--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--join-token", "@" + bogus, "--out-dir", out.toString(), "--health-port", "0");
        agents.add(agent);
        assertThat(agent.awaitExit()).as(agent.err.toString()).isEqualTo(WimseCli.REJECTED);
        assertThat(agent.err.toString()).contains("wimse agent: the WIT attestation refused:").contains("join-token-invalid")
                .doesNotContain("not-a-real-join-token");
        assertThat(Files.exists(out.resolve("wit.jwt"))).isFalse();
        assertThat(Files.exists(out.resolve("wit-key.jwk"))).isFalse();
    }
}
