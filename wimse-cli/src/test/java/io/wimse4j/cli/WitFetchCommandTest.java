package io.wimse4j.cli;

import io.wimse4j.client.FileCredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse wit fetch} (the agent's one-shot form) against a real {@code wimse server}: join token in,
 * owner-only WIT and key files out, exit 0; a refused join token exit 1 with the server's reason and no file;
 * usage errors of {@code wit fetch} and {@code agent} exit 2 with their reason, before anything is sent.
 */
class WitFetchCommandTest {
    static final String ID = "wimse://example.org/svc/fetch";

    @TempDir
    static Path tmp;
    static IdentityServerFixture ids;

    @BeforeAll
    static void startServer() throws Exception {
        ids = new IdentityServerFixture(tmp.resolve("state"));
        ids.register(ID, 600, "join_token,wit");
    }

    @AfterAll
    static void stopServer() throws Exception {
        ids.stop();
    }

    static Cli.Result fetch(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("wit", "fetch", "--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--wit-file", dir.resolve("wit.jwt").toString(), "--key-file", dir.resolve("wit-key.jwk").toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void KEY_1_witFetchWritesTheWitAndAnOwnerOnlyKeyThatFileCredentialSourceLoads() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("ok"));
        Path token = ids.joinTokenFile(ID, tmp);
        Cli.Result r = fetch(dir, "--join-token", "@" + token);
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.OK);
        assertThat(r.out()).startsWith("issued " + ID + " (expires ").contains("key (rw-------) in");
        for (String f : List.of("wit.jwt", "wit-key.jwk")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        WorkloadCredentials c = FileCredentialSource.builder(dir.resolve("wit.jwt"), dir.resolve("wit-key.jwk")).build().current();
        assertThat(ids.verifyRequestSignedWith(c).workload().value()).isEqualTo(ID);
        assertThat(r.out() + r.err()).doesNotContain(c.wit()).doesNotContain(Files.readString(token).strip());

        Cli.Result again = fetch(dir, "--join-token", "@" + ids.joinTokenFile(ID, tmp));
        assertThat(again.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(again.err()).contains("wit.jwt exists; use --force to overwrite it");
        Cli.Result forced = fetch(dir, "--join-token", "@" + ids.joinTokenFile(ID, tmp), "--force");
        assertThat(forced.exit()).as(forced.err()).isEqualTo(WimseCli.OK);
        assertThat(Files.readString(dir.resolve("wit.jwt")).strip()).as("KEY-4: a new WIT").isNotEqualTo(c.wit());
    }

    @Test
    void aUsedJoinTokenIsRefusedWithExit1AndNothingIsWritten() throws Exception {
        Path token = ids.joinTokenFile(ID, tmp);
        assertThat(fetch(Files.createDirectory(tmp.resolve("first")), "--join-token", "@" + token).exit()).isZero();
        Path dir = Files.createDirectory(tmp.resolve("refused"));
        Cli.Result r = fetch(dir, "--join-token", "@" + token);
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).startsWith("wimse wit fetch: the WIT attestation refused: the Identity Server answered 400 join-token-invalid (Join token invalid): the join token is unknown or was already used")
                .doesNotContain(Files.readString(token).strip());
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).as("nothing written").isEmpty();
        }
    }

    @Test
    void SEC_1_anHttpServerIsAUsageErrorUnlessInsecureHttpIsGiven() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("http"));
        Cli.Result r = Cli.run("wit", "fetch", "--server", "http://localhost:1", "--join-token", "x",
                "--wit-file", dir.resolve("w").toString(), "--key-file", dir.resolve("k").toString());
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--server is http:// (SEC-1");
        Cli.Result agent = Cli.run("agent", "--server", "http://localhost:1", "--join-token", "x", "--out-dir", dir.toString());
        assertThat(agent.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(agent.err()).contains("--server is http:// (SEC-1");
        Cli.Result unreachable = Cli.run("wit", "fetch", "--server", "http://127.0.0.1:1", "--insecure-http", "--join-token", "x",
                "--wit-file", dir.resolve("w").toString(), "--key-file", dir.resolve("k").toString());
        assertThat(unreachable.exit()).as("allowed, but nobody listens").isEqualTo(WimseCli.USAGE);
        assertThat(unreachable.err()).contains("cannot reach the Identity Server: connection refused");
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).isEmpty();
        }
    }

    @Test
    void usageErrorsExitWith2AndSayWhy() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("usage"));
        String[] server = {"--server", ids.baseUri, "--server-ca", ids.ca().toString()};
        String out = dir.toString();
        record Case(String expected, String... args) {
        }
        List<Case> cases = List.of(
                new Case("Missing required option: '--server=<https-uri>'", "wit", "fetch", "--join-token", "x", "--wit-file", out + "/w", "--key-file", out + "/k"),
                new Case("mutually exclusive", "agent", server[0], server[1], "--join-token", "x", "--k8s-token-file", out + "/t"),
                new Case("--cmd-arg needs --cmd", "agent", server[0], server[1], "--join-token", "x", "--cmd-arg", "a", "--out-dir", out),
                new Case("--renew-signal and --pid-file go together", "agent", server[0], server[1], "--join-token", "x",
                        "--renew-signal", "HUP", "--out-dir", out),
                new Case("--renew-signal must be a signal name", "agent", server[0], server[1], "--join-token", "x",
                        "--renew-signal", "HUP; rm -rf /", "--pid-file", out + "/p", "--out-dir", out),
                new Case("--wic with --join-token needs --wic-join-token", "agent", server[0], server[1], "--join-token", "x",
                        "--wic", "--id", ID, "--out-dir", out),
                new Case("--health-port must be between 0 and 65535", "agent", server[0], server[1], "--join-token", "x",
                        "--health-port", "70000", "--out-dir", out),
                new Case("--wit-file and --key-file must be different files", "wit", "fetch", server[0], server[1],
                        "--join-token", "x", "--wit-file", out + "/same", "--key-file", out + "/same"),
                new Case("cannot read join token", "wit", "fetch", server[0], server[1], "--join-token", "@" + out + "/missing",
                        "--wit-file", out + "/w", "--key-file", out + "/k"),
                new Case("Unknown option: '--bogus'", "agent", server[0], server[1], "--join-token", "x", "--bogus"));
        for (Case c : cases) {
            Cli.Result r = Cli.run(c.args());
            assertThat(r.exit()).as(String.join(" ", c.args()) + " -> " + r.err()).isEqualTo(WimseCli.USAGE);
            assertThat(r.err()).as(String.join(" ", c.args())).contains(c.expected());
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).as("nothing written").isEmpty();
        }
    }
}
