package io.wimse4j.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.wimse4j.cli.Cli.NL;
import static io.wimse4j.cli.HttpsigCommandTest.AUD;
import static io.wimse4j.cli.HttpsigCommandTest.GET;
import static io.wimse4j.cli.HttpsigCommandTest.TD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse httpsig sign|verify}: usage errors exit 2 with one line naming the option, a key that is not the
 * WIT's does not sign, and the help lists the commands and their options.
 */
class HttpsigUsageCommandTest {
    @TempDir
    Path dir;
    private HttpsigWorkspace w;

    @BeforeEach
    void identities() {
        w = HttpsigWorkspace.withIdentities(dir, false);
    }

    // ------------------------------------------------------------------------------------------- usage

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("a response without --request", List.of("--in", "@response"), "--request"),
                Arguments.of("a response with --request but no --trust", List.of("--in", "@response", "--request", "@request",
                        "--audience", AUD), "--trust"),
                Arguments.of("--request for a request", List.of("--in", "@request", "--request", "@request"), "request"),
                Arguments.of("--draft for a response", List.of("--in", "@response", "--request", "@request", "--audience", AUD,
                        "--trust", "@trust", "--draft", "06"), "--draft"),
                Arguments.of("--lifetime over 300", List.of("--in", "@request", "--lifetime", "301"), "--lifetime"),
                Arguments.of("--lifetime 0", List.of("--in", "@request", "--lifetime", "0"), "--lifetime"),
                Arguments.of("--draft 05", List.of("--in", "@request", "--draft", "05"), "--draft"),
                Arguments.of("an invalid --label", List.of("--in", "@request", "--label", "Sig"), "--label"),
                Arguments.of("--base-uri not absolute", List.of("--in", "@request", "--base-uri", "svc-b.shop.example"), "--base-uri"),
                Arguments.of("two --audience values for a request", List.of("--in", "@request", "--audience", AUD, "--audience", AUD),
                        "--audience"),
                Arguments.of("--wit and --in both on standard input", List.of("--in", "-", "--wit", "-"), "standard input"),
                Arguments.of("a message that is not HTTP", List.of("--in", "@garbage"), "not an HTTP/1.1 message"),
                Arguments.of("a request already signed", List.of("--in", "@signed"), "already carries"));
    }

    @ParameterizedTest(name = "sign usage error: {0}")
    @MethodSource("usageErrors")
    void signUsageErrorsExitWithTwo(String name, List<String> options, String message) throws IOException {
        Path request = w.file("request.http", GET);
        Map<String, String> files = Map.of("@request", request.toString(),
                "@response", w.file("response.http", "HTTP/1.1 200 OK\n\n").toString(),
                "@garbage", w.file("garbage.txt", "hello\n").toString(),
                "@signed", w.file("signed.http", w.sign("ed25519", request).out()).toString(),
                "@trust", TD + "=" + dir.resolve("issuer.pub.jwk"));
        List<String> args = new ArrayList<>(List.of("httpsig", "sign", "--key", dir.resolve("ed25519.jwk").toString()));
        if (!options.contains("--wit")) {
            args.addAll(List.of("--wit", "@" + dir.resolve("ed25519.wit")));
        }
        options.forEach(o -> args.add(files.getOrDefault(o, o)));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(WimseCli.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip()).doesNotContain(NL);
    }

    @Test
    void verifyUsageErrorsExitWithTwo() throws IOException {
        Path response = w.file("response.http", "HTTP/1.1 200 OK\n\n");
        Cli.Result aResponse = w.verify(response);
        assertThat(aResponse.exit()).isEqualTo(2);
        assertThat(aResponse.err()).contains("response");
        Cli.Result noAudience = Cli.run("httpsig", "verify", "--trust", TD + "=" + dir.resolve("issuer.pub.jwk"),
                "--in", w.file("request.http", GET).toString());
        assertThat(noAudience.exit()).isEqualTo(2);
        assertThat(noAudience.err()).contains("--audience");
        Cli.Result badDraft = w.verify(w.file("request.http", GET), "--draft", "08");
        assertThat(badDraft.exit()).isEqualTo(2);
        assertThat(badDraft.err()).contains("--draft");
        Cli.Result badLifetime = w.verify(w.file("request.http", GET), "--max-lifetime", "7200");
        assertThat(badLifetime.exit()).isEqualTo(2);
        assertThat(badLifetime.err()).contains("--max-lifetime");
    }

    @Test
    void HS_1_aKeyThatIsNotTheWitsDoesNotSign() throws IOException {
        w.keygen("Ed25519", "other");
        Path request = w.file("request.http", GET);
        Cli.Result otherKey = Cli.run("httpsig", "sign", "--wit", "@" + dir.resolve("ed25519.wit"),
                "--key", dir.resolve("other.jwk").toString(), "--in", request.toString());
        assertThat(otherKey.exit()).as("a usage error: the inputs do not belong together").isEqualTo(WimseCli.USAGE);
        assertThat(otherKey.err()).startsWith("wimse httpsig sign: --key does not belong to the WIT: INVALID_KEY: ");
        assertThat(otherKey.out()).isEmpty();
        // the server's key is an EdDSA key: the WIT's cnf.jwk.alg (Ed25519) is the algorithm, compared as a string (ALG-1)
        Cli.Result otherAlg = Cli.run("httpsig", "sign", "--wit", "@" + dir.resolve("ed25519.wit"),
                "--key", dir.resolve("server.jwk").toString(), "--in", request.toString());
        assertThat(otherAlg.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(otherAlg.err()).startsWith("wimse httpsig sign: --key does not belong to the WIT: ALG_MISMATCH: ");
    }

    @Test
    void helpListsTheHttpsigCommands() {
        Cli.Result top = Cli.run("--help");
        assertThat(top.out()).contains("httpsig");
        Cli.Result group = Cli.run("httpsig", "--help");
        assertThat(group.exit()).isZero();
        assertThat(group.out()).contains("sign", "verify");
        Cli.Result bare = Cli.run("httpsig");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("missing subcommand");
        assertThat(Cli.run("httpsig", "sign", "--help").out()).contains("--wit", "--key", "--in", "--audience", "--sign-response",
                "--lifetime", "--label", "--draft", "--base-uri", "--request", "--trust", "--out");
        assertThat(Cli.run("httpsig", "verify", "--help").out()).contains("--in", "--trust", "--audience", "--now", "--json");
    }
}
