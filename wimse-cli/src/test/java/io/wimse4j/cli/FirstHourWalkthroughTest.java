package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.client.FileCredentialSource;
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
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's first "done when", as a newcomer types it: {@code wimse server}, {@code wimse admin join-token},
 * {@code wimse agent} (and its one-shot form {@code wimse wit fetch}) give WIT and key files that
 * {@code FileCredentialSource} loads and {@code wimse wpt create} signs with, for a request the demo service
 * ({@code wimse demo-service}, trusting the server's published JWKS) accepts; the agent replaces the files
 * before the WIT expires, and a WPT made from the replaced files is accepted too (KEY-3, KEY-4).
 */
class FirstHourWalkthroughTest {
    static final String ID = "wimse://example.org/svc/checkout";
    static final String DEMO_BASE = "https://orders.example.org";
    static final long TTL = 6;

    @TempDir
    Path tmp;
    IdentityServerFixture ids;
    RunningDemoService demo;
    RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        ids = new IdentityServerFixture(tmp.resolve("state"));
        ids.register(ID, TTL, "join_token,wit");
        demo = RunningDemoService.start(List.of("demo-service", "--base-uri", DEMO_BASE, "--port", "0", "--insecure-http",
                "--trust", "example.org=" + ids.url + "/.well-known/jwks.json", "--trust-ca", ids.ca().toString()));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (demo != null) {
            demo.stop();
        }
        ids.server.stop();
    }

    /** {@code wimse wpt create} with the files, sent to the demo service: its status and body. */
    HttpResponse<String> callDemoWith(Path wit, Path key) throws Exception {
        Cli.Result wpt = Cli.run("wpt", "create", "--key", key.toString(), "--wit", "@" + wit, "--aud", DEMO_BASE + "/echo", "--header-line");
        assertThat(wpt.exit()).as(wpt.err()).isZero();
        String line = wpt.out().strip();
        int colon = line.indexOf(": ");
        HttpRequest request = HttpRequest.newBuilder(URI.create(demo.url + "/echo")).timeout(Duration.ofSeconds(10))
                .header("Workload-Identity-Token", Files.readString(wit).strip())
                .header(line.substring(0, colon), line.substring(colon + 2)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void assertAccepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode echo = new ObjectMapper().readTree(response.body());
        assertThat(echo.get("workload").asText()).isEqualTo(ID);
    }

    @Test
    void KEY_4_serverJoinTokenAgentFilesWptCreateAndTheDemoServiceAcceptsBeforeAndAfterRenewal() throws Exception {
        Path out = tmp.resolve("creds");
        agent = new RunningAgent("--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--join-token", "@" + ids.joinTokenFile(ID, tmp), "--out-dir", out.toString());
        Path wit = out.resolve("wit.jwt");
        Path key = out.resolve("wit-key.jwk");
        AgentCommandTest.await("the agent's first WIT", Duration.ofSeconds(20), () -> Files.exists(wit) && Files.exists(key));

        WorkloadCredentials first = FileCredentialSource.builder(wit, key).checkInterval(Duration.ZERO).build().current();
        assertThat(first.subject().value()).isEqualTo(ID);
        assertAccepted(callDemoWith(wit, key));

        AgentCommandTest.await("the renewed WIT", Duration.ofSeconds(TTL + 5),
                () -> !first.wit().equals(String.valueOf(AgentCommandTest.readOrNull(wit)).strip()));
        assertThat(java.time.Instant.now()).as("replaced before the first WIT expired").isBefore(first.expiresAt());
        WorkloadCredentials renewed = FileCredentialSource.builder(wit, key).checkInterval(Duration.ZERO).build().current();
        assertThat(renewed.expiresAt()).isAfter(first.expiresAt());
        assertAccepted(callDemoWith(wit, key));
    }

    @Test
    void theOneShotWitFetchGivesFilesTheDemoServiceAccepts() throws Exception {
        Path out = tmp.resolve("once");
        Files.createDirectories(out);
        Path wit = out.resolve("wit.jwt");
        Path key = out.resolve("wit-key.jwk");
        Cli.Result fetch = Cli.run("wit", "fetch", "--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--join-token", "@" + ids.joinTokenFile(ID, tmp), "--wit-file", wit.toString(), "--key-file", key.toString());
        assertThat(fetch.exit()).as(fetch.err()).isZero();
        assertAccepted(callDemoWith(wit, key));

        // the same files after their WIT expired: wpt create refuses to sign (KEY-3), exit 1
        WorkloadCredentials creds = FileCredentialSource.builder(wit, key).checkInterval(Duration.ZERO).build().current();
        AgentCommandTest.await("the WIT's expiry", Duration.ofSeconds(TTL + 5), () -> java.time.Instant.now().isAfter(creds.expiresAt()));
        Cli.Result late = Cli.run("wpt", "create", "--key", key.toString(), "--wit", "@" + wit, "--aud", DEMO_BASE + "/echo");
        assertThat(late.exit()).as(late.err()).isEqualTo(WimseCli.REJECTED);
        assertThat(late.err()).contains("CREDENTIALS_EXPIRED");
    }
}
