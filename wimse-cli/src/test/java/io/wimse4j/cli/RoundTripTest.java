package io.wimse4j.cli;

import io.wimse4j.testkit.DraftExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.wimse4j.cli.Cli.NL;
import static org.assertj.core.api.Assertions.assertThat;

/** keygen → wit issue → wpt create → verify, as a person signing a request by hand would. */
class RoundTripTest {
    static final String SUB = "wimse://shop.example/svc-a";
    static final String AUD = "https://svc-b.shop.example/orders";

    @TempDir
    Path dir;

    private String keygen(String alg, String name) {
        Cli.Result r = Cli.run("keygen", "--alg", alg, "--out", dir.resolve(name + ".jwk").toString(),
                "--public-out", dir.resolve(name + ".pub.jwk").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return dir.resolve(name + ".jwk").toString();
    }

    private String issueWit(String workloadAlg) {
        keygen("ES256", "issuer");
        keygen(workloadAlg, "workload");
        Cli.Result wit = Cli.run("wit", "issue", "--issuer-key", dir.resolve("issuer.jwk").toString(), "--sub", SUB,
                "--cnf", dir.resolve("workload.pub.jwk").toString(), "--iss", "https://id.shop.example");
        assertThat(wit.exit()).as(wit.err()).isZero();
        return wit.out().strip();
    }

    private Path request(String wit, String wpt, String accessToken) throws IOException {
        String req = "GET /orders?page=2 HTTP/1.1\n"
                + "Host: svc-b.shop.example\n"
                + "Authorization: Bearer " + accessToken + "\n"
                + "Workload-Identity-Token: " + wit + "\n"
                + "Workload-Proof-Token: " + wpt + "\n\n";
        return Files.writeString(dir.resolve("request.http"), req);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EdDSA", "ES256"})
    void signedByHandVerifies(String alg) throws IOException {
        String wit = issueWit(alg);
        Path witFile = Files.writeString(dir.resolve("wit.txt"), wit + "\n");
        Cli.Result wpt = Cli.run("wpt", "create", "--transport", "workload-proof-token", "--key", dir.resolve("workload.jwk").toString(),
                "--wit", "@" + witFile, "--aud", AUD, "--access-token", "at-123");
        assertThat(wpt.exit()).as(wpt.err()).isZero();

        Cli.Result inspected = Cli.run("inspect", wpt.out().strip());
        assertThat(inspected.out()).contains("\"alg\" : \"" + alg + "\"").contains("\"aud\" : \"" + AUD + "\"").contains("\"ath\"");

        Cli.Result r = Cli.run("verify", "--trust", "shop.example=" + dir.resolve("issuer.pub.jwk"), "--audience", AUD,
                "--request", request(wit, wpt.out().strip(), "at-123").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo(SUB + NL);
    }

    @Test
    void wrongTrustAnchorIsRejected() throws IOException {
        String wit = issueWit("EdDSA");
        Cli.Result wpt = Cli.run("wpt", "create", "--key", dir.resolve("workload.jwk").toString(), "--wit", wit, "--aud", AUD);
        assertThat(wpt.exit()).as(wpt.err()).isZero();
        // The workload's own public key is not the Identity Server's: no key with the WIT's kid.
        Cli.Result r = Cli.run("verify", "--trust", "shop.example=" + dir.resolve("workload.pub.jwk"), "--audience", AUD,
                "--request", request(wit, wpt.out().strip(), "x").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("UNKNOWN_KEY: ");
    }

    @Test
    void proofWithoutTheAccessTokenBindingIsAthMissing() throws IOException {
        String wit = issueWit("ES256");
        Cli.Result wpt = Cli.run("wpt", "create", "--key", dir.resolve("workload.jwk").toString(), "--wit", wit, "--aud", AUD);
        Cli.Result r = Cli.run("verify", "--trust", "shop.example=" + dir.resolve("issuer.pub.jwk"), "--audience", AUD,
                "--request", request(wit, wpt.out().strip(), "at-123").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("ATH_MISSING: ");
    }

    @Test
    void wptWithAKeyThatIsNotTheWitsIsAUsageError() {
        String wit = issueWit("EdDSA");
        keygen("EdDSA", "other");
        Cli.Result r = Cli.run("wpt", "create", "--key", dir.resolve("other.jwk").toString(), "--wit", wit, "--aud", AUD);
        assertThat(r.exit()).as("the inputs do not belong together: nothing was verified").isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("INVALID_KEY");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void witFromStandardInput() {
        String wit = issueWit("EdDSA");
        Cli.Result r = Cli.runWithStdin(wit + "\n", "wpt", "create", "--key", dir.resolve("workload.jwk").toString(),
                "--wit", "-", "--aud", AUD);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("eyJ").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void draftExampleKeysCanSignAFreshProof() throws IOException {
        Path key = Files.writeString(dir.resolve("draft-workload.jwk"), DraftExample.workloadPrivateJwk());
        Cli.Result r = Cli.run("wpt", "create", "--key", key.toString(), "--wit", DraftExample.WIT,
                "--aud", "https://workload.example.com/path");
        // The draft WIT expired in 2025; the key must not sign any more (KEY-3).
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("CREDENTIALS_EXPIRED");
    }

    @Test
    void witIssueUsageErrors() {
        keygen("ES256", "issuer");
        keygen("EdDSA", "workload");
        String issuer = dir.resolve("issuer.jwk").toString();
        Cli.Result badSub = Cli.run("wit", "issue", "--issuer-key", issuer, "--sub", "https://not-wimse/x",
                "--cnf", dir.resolve("workload.pub.jwk").toString());
        assertThat(badSub.exit()).isEqualTo(2);
        assertThat(badSub.err()).contains("--sub").contains("scheme");

        Cli.Result privateCnf = Cli.run("wit", "issue", "--issuer-key", issuer, "--sub", SUB,
                "--cnf", dir.resolve("workload.jwk").toString());
        assertThat(privateCnf.exit()).isEqualTo(2);
        assertThat(privateCnf.err()).contains("private");
        assertThat(privateCnf.err()).doesNotContain("\"d\"");

        Cli.Result longTtl = Cli.run("wit", "issue", "--issuer-key", issuer, "--sub", SUB,
                "--cnf", dir.resolve("workload.pub.jwk").toString(), "--ttl", "90000");
        assertThat(longTtl.exit()).isEqualTo(2);
        assertThat(longTtl.err()).contains("--ttl");
    }
}
