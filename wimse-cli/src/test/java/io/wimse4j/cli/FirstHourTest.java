package io.wimse4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rough edges a newcomer met in the first hour, each a row: usage errors exit 2 with a message that
 * keeps its cause, rejections exit 1, and inputs that could never verify are refused before anything is made.
 */
class FirstHourTest {
    static final String SUB = "wimse://example.org/svc-a";

    @TempDir
    Path dir;

    String keygen(String alg, String name) {
        Cli.Result r = Cli.run("keygen", "--alg", alg, "--out", dir.resolve(name + ".jwk").toString(),
                "--public-out", dir.resolve(name + ".pub.jwk").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return dir.resolve(name + ".jwk").toString();
    }

    String wit() {
        keygen("ES256", "issuer");
        keygen("EdDSA", "workload");
        Cli.Result wit = Cli.run("wit", "issue", "--issuer-key", dir.resolve("issuer.jwk").toString(), "--sub", SUB,
                "--cnf", dir.resolve("workload.pub.jwk").toString());
        assertThat(wit.exit()).as(wit.err()).isZero();
        return wit.out().strip();
    }

    static void assertUsage(Cli.Result r, String... fragments) {
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains(fragments);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theProgramAloneIsAUsageErrorListingItsCommands() {
        Cli.Result r = Cli.run();
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("missing command: one of").contains("keygen", "server", "admin").contains("Usage: wimse");
    }

    @Test
    void theAdminGroupWithoutASubcommandIsAUsageError() {
        Cli.Result r = Cli.run("admin");
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("missing command: one of").contains("register", "join-token");
    }

    @Test
    void anAtFileArgumentIsNeverExpandedByPicocli() throws IOException {
        // picocli's argument files would splice "--help" into the command line; ours read a token from the file
        Path file = Files.writeString(dir.resolve("args.txt"), "--help\n");
        Cli.Result r = Cli.run("inspect", "@" + file);
        assertThat(r.out()).doesNotContain("Usage:");
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).as("the file's content was read as the token").contains("wimse inspect: MALFORMED_TOKEN");
    }

    @Test
    void KEY_1_aKeyThatIsNotTheWitsIsAUsageErrorNotARejection() {
        String wit = wit();
        String other = keygen("EdDSA", "other");
        Cli.Result r = Cli.run("wpt", "create", "--key", other, "--wit", wit, "--aud", "https://svc-b.example.org/orders");
        assertUsage(r, "--key does not belong to the WIT", "INVALID_KEY");
        String es = keygen("ES256", "es");
        assertUsage(Cli.run("wpt", "create", "--key", es, "--wit", wit, "--aud", "https://svc-b.example.org/orders"),
                "--key does not belong to the WIT", "ALG_MISMATCH");
    }

    @ParameterizedTest(name = "WPT-4 --aud {0} can never verify")
    @ValueSource(strings = {"/orders", "svc-b.example.org/orders", "https://svc-b.example.org/orders?page=2",
            "https://svc-b.example.org/orders#top", "urn:example:orders", "ftp://svc-b.example.org/orders", "https:///orders"})
    void WPT_4_anAudienceThatCanNeverVerifyIsRefused(String aud) {
        String wit = wit();
        Cli.Result r = Cli.run("wpt", "create", "--key", dir.resolve("workload.jwk").toString(), "--wit", wit, "--aud", aud);
        assertUsage(r, "--aud");
        assertThat(r.err()).containsAnyOf("absolute https://", "query or a fragment", "not a URI");
    }

    @Test
    void WPT_4_anAbsoluteTargetWithoutQueryIsAccepted() {
        String wit = wit();
        Cli.Result r = Cli.run("wpt", "create", "--key", dir.resolve("workload.jwk").toString(), "--wit", wit,
                "--aud", "https://svc-b.example.org:8443/orders");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void SEC_1_insecureHttpOffLoopbackIsRefusedForTheServer() {
        Path state = dir.resolve("state");
        Cli.Result r = Cli.run("server", "--trust-domain", "example.org", "--state-dir", state.toString(),
                "--bind", "0.0.0.0", "--port", "0", "--insecure-http");
        assertUsage(r, "--insecure-http", "not a loopback address (SEC-1)");
        assertThat(state).doesNotExist();
    }

    @Test
    void SEC_1_insecureHttpOffLoopbackIsRefusedForTheDemoService() throws IOException {
        Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
        Cli.Result r = Cli.run("demo-service", "--bind", "0.0.0.0", "--port", "0", "--insecure-http",
                "--trust", "example.org=" + jwks, "--base-uri", "http://svc-b.example.org");
        assertUsage(r, "--insecure-http", "not a loopback address (SEC-1)");
    }

    @Test
    void SEC_1_insecureHttpToAServerOffLoopbackIsRefusedForWitFetch() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "t");
        Cli.Result r = Cli.run("wit", "fetch", "--server", "http://192.0.2.10:8443", "--insecure-http", "--join-token", "@" + token,
                "--wit-file", dir.resolve("wit.jwt").toString(), "--key-file", dir.resolve("wit-key.jwk").toString());
        assertUsage(r, "--insecure-http sends tokens in clear text", "192.0.2.10", "not a loopback address (SEC-1)");
        assertThat(dir.resolve("wit.jwt")).doesNotExist();
    }

    @Test
    void theServerWritesNoStateWhenItsPortIsTaken() throws IOException {
        Path state = dir.resolve("state");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("server", "--trust-domain", "example.org", "--state-dir", state.toString(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
            assertUsage(r, "cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(r.err()).as("the cause is kept").containsIgnoringCase("address");
        }
        assertThat(state).doesNotExist();
    }

    @Test
    void aMissingFileSaysSoAndNamesIt() {
        Path missing = dir.resolve("nope.jwk");
        Cli.Result r = Cli.run("wpt", "create", "--key", missing.toString(), "--wit", "x.y.z", "--aud", "https://svc-b.example.org/");
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).doesNotContain(": null");
    }

    @Test
    void anUnreachableServerSaysWhyNotNull() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("admin-token"), "t");
        Cli.Result r = Cli.run("admin", "registrations", "--server", "http://127.0.0.1:" + closed, "--admin-token-file", token.toString());
        assertUsage(r, "cannot reach http://127.0.0.1:" + closed, "connection refused");
        assertThat(r.err()).doesNotContain("null");
    }

    /** Rows: a raw request that is cut short, and why it is a usage error. */
    static final Map<String, String> TRUNCATED = Map.of(
            "GET /orders HTTP/1.1\r\nHost: svc-b.example.org\r\n", "without the blank line",
            "POST /orders HTTP/1.1\r\nHost: svc-b.example.org\r\nContent-Length: 10\r\n\r\n{\"a\":", "fewer than its Content-Length 10",
            "POST /orders HTTP/1.1\r\nHost: svc-b.example.org\r\nContent-Length: ten\r\n\r\n{}", "Content-Length header must appear once",
            "POST /orders HTTP/1.1\r\nHost: svc-b.example.org\r\nContent-Length: 2\r\n\r\n{}\n", "more than its Content-Length 2");

    @Test
    void aTruncatedRawRequestIsAUsageError() throws IOException {
        keygen("ES256", "issuer");
        for (Map.Entry<String, String> row : TRUNCATED.entrySet()) {
            Path req = Files.writeString(dir.resolve("request.http"), row.getKey());
            Cli.Result r = Cli.run("verify", "--trust", "example.org=" + dir.resolve("issuer.pub.jwk"), "--audience",
                    "https://svc-b.example.org/orders", "--request", req.toString());
            assertThat(r.exit()).as(row.getValue() + ": " + r.err()).isEqualTo(WimseCli.USAGE);
            assertThat(r.err()).as(row.getKey()).contains(row.getValue());
        }
    }
}
