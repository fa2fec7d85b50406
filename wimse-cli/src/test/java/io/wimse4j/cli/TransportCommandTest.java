package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two WPT transports on the command line: {@code wimse wpt create --transport/--header-line} and
 * {@code wimse verify} reading either from the raw request (P2-1..P2-4), keys and tokens made by the CLI.
 */
class TransportCommandTest {
    static final String AUD = "https://svc-b.shop.example/orders";
    static final String SUB = "wimse://shop.example/svc-a";

    @TempDir
    Path dir;
    String wit;

    @BeforeEach
    void issue() {
        for (String[] k : new String[][] {{"ES256", "issuer"}, {"EdDSA", "workload"}}) {
            Cli.Result r = Cli.run("keygen", "--alg", k[0], "--out", dir.resolve(k[1] + ".jwk").toString(),
                    "--public-out", dir.resolve(k[1] + ".pub.jwk").toString());
            assertThat(r.exit()).as(r.err()).isZero();
        }
        Cli.Result r = Cli.run("wit", "issue", "--issuer-key", dir.resolve("issuer.jwk").toString(), "--sub", SUB,
                "--cnf", dir.resolve("workload.pub.jwk").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        wit = r.out().strip();
    }

    private Cli.Result wpt(String... extra) {
        String[] base = {"wpt", "create", "--key", dir.resolve("workload.jwk").toString(), "--wit", wit, "--aud", AUD};
        return Cli.run(base, extra);
    }

    private Cli.Result verify(String headerLines, String... extra) throws IOException {
        Path request = Files.writeString(dir.resolve("request-" + System.nanoTime() + ".http"),
                "GET /orders HTTP/1.1\nHost: svc-b.shop.example\nWorkload-Identity-Token: " + wit + "\n" + headerLines + "\n");
        String[] base = {"verify", "--trust", "shop.example=" + dir.resolve("issuer.pub.jwk"), "--audience", AUD,
                "--request", request.toString(), "--json"};
        return Cli.run(base, extra);
    }

    @Test
    void P2_1_wptCreatePrintsTheAuthorizationHeaderLineByDefaultAndVerifyAcceptsIt() throws IOException {
        Cli.Result line = wpt("--header-line");
        assertThat(line.exit()).as(line.err()).isZero();
        assertThat(line.out()).startsWith("Authorization: WPT ey");
        Cli.Result r = verify(line.out().strip() + "\n");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.json().get("workload").asText()).isEqualTo(SUB);
        assertThat(r.json().get("transport").asText()).isEqualTo("authorization");
    }

    @Test
    void P2_1_theSeedTransportStillWorksEndToEnd() throws IOException {
        Cli.Result line = wpt("--transport", "workload-proof-token", "--header-line");
        assertThat(line.out()).startsWith("Workload-Proof-Token: ey");
        Cli.Result r = verify(line.out().strip() + "\n");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.json().get("transport").asText()).isEqualTo("workload-proof-token");
    }

    @Test
    void P2_4_aForgedAuthorizationWptIsRefusedWithStatus401AndTheChallenge() throws IOException {
        String token = wpt().out().strip();
        String forged = token.substring(0, token.length() - 2) + (token.charAt(token.length() - 2) == 'A' ? 'B' : 'A')
                + token.charAt(token.length() - 1);
        Cli.Result r = verify("Authorization: WPT " + forged + "\n");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode j = r.json();
        assertThat(j.get("reason").asText()).isEqualTo("BAD_SIGNATURE");
        assertThat(j.get("status").asInt()).isEqualTo(401);
        assertThat(j.get("www_authenticate").asText()).isEqualTo("WPT");
        assertThat(r.out() + r.err()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    @Test
    void P2_2_bothTransportsInOneRequestAreRefusedWith400() throws IOException {
        String token = wpt().out().strip();
        Cli.Result r = verify("Authorization: WPT " + token + "\nWorkload-Proof-Token: " + token + "\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.json().get("reason").asText()).isEqualTo("TWO_PROOF_TRANSPORTS");
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        assertThat(r.json().has("www_authenticate")).isFalse();
    }

    @Test
    void P2_2_verifyCanBeRestrictedToOneTransport() throws IOException {
        String token = wpt().out().strip();
        Cli.Result r = verify("Authorization: WPT " + token + "\n", "--transport", "workload-proof-token");
        assertThat(r.json().get("reason").asText()).isEqualTo("PROOF_TRANSPORT_NOT_ACCEPTED");
        Cli.Result bogus = verify("Authorization: WPT " + token + "\n", "--transport", "bogus");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.err()).contains("--transport must be 'both', 'authorization' or 'workload-proof-token'");
    }

    @Test
    void P2_3_anAccessTokenNeedsTheSeedTransport() {
        Cli.Result r = wpt("--access-token", "at-1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--transport workload-proof-token").contains("P2-3");
        assertThat(wpt("--transport", "nope").exit()).isEqualTo(2);
    }
}
