package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.testkit.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.wimse4j.cli.Cli.NL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ALG-2 through the command line: {@code wimse verify --trust <td>=<file>} given a SPIFFE bundle
 * (one {@code x509-svid}, one {@code jwt-svid} and one {@code wit-svid} P-256 key) accepts a request
 * whose WIT the {@code wit-svid} key signed, and refuses the same WIT signed by the {@code jwt-svid}
 * key with {@code UNKNOWN_KEY} and why. The bundle is read by {@code TrustBundle.fromJwks}, which
 * recognizes a SPIFFE bundle by its content: {@code verify} needs no flag.
 */
class SpiffeBundleVerifyTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TARGET = "https://api.example.org/orders";
    static final TrustDomain TD = new TrustDomain("example.org");

    final WorkloadKeyPair witKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    final WorkloadKeyPair jwtKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    final WorkloadKeyPair x509Key = WorkloadKeyPair.generate(JwsAlgorithm.ES384);
    final WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);

    @TempDir
    Path dir;

    static ObjectNode entry(WorkloadKeyPair key, String use) {
        return ((ObjectNode) MAPPER.valueToTree(key.publicJwk().toMap())).put("use", use);
    }

    Path spiffeBundle() throws IOException {
        ObjectNode b = MAPPER.createObjectNode();
        b.putArray("keys").add(entry(x509Key, "x509-svid").without("kid")).add(entry(jwtKey, "jwt-svid"))
                .add(entry(witKey, "wit-svid"));
        b.put("spiffe_sequence", 12).put("spiffe_refresh_hint", 300);
        return Files.writeString(dir.resolve("example.org.spiffe.json"), b.toString());
    }

    /** A request to {@link #TARGET} with a WIT for {@code subject} signed by {@code issuerKey} and its WPT. */
    String request(WorkloadKeyPair issuerKey, String subject) throws WimseException {
        String wit = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(TD).clock(Fixture.fixedClock())
                .defaultTtl(Duration.ofHours(1)).build()
                .issue(WorkloadIdentifier.parse(subject), workloadKey.publicJwk()).token();
        String wpt = WptCreator.create(Fixture.fixedClock(), Duration.ofSeconds(60))
                .create(WorkloadCredentials.of(wit, workloadKey.signer()), TARGET, ProofBindings.NONE);
        return "GET /orders HTTP/1.1\r\nHost: api.example.org\r\nWorkload-Identity-Token: " + wit
                + "\r\nWorkload-Proof-Token: " + wpt + "\r\n\r\n";
    }

    Cli.Result verify(String request, String... extra) throws IOException {
        Path req = Files.write(dir.resolve("request-" + System.nanoTime() + ".http"), request.getBytes(StandardCharsets.ISO_8859_1));
        String[] base = {"verify", "--trust", "example.org=" + spiffeBundle(), "--audience", TARGET, "--request", req.toString(),
                "--now", Long.toString(Fixture.NOW.getEpochSecond())};
        return Cli.run(base, extra);
    }

    @Test
    void ALG_2_aWitSignedByTheBundlesWitSvidKeyVerifies() throws Exception {
        Cli.Result r = verify(request(witKey, "spiffe://example.org/ns/orders/sa/api"));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo("spiffe://example.org/ns/orders/sa/api" + NL);
        assertThat(r.err()).isEmpty();

        Cli.Result wimse = verify(request(witKey, "wimse://example.org/orders"), "--json");
        assertThat(wimse.exit()).as(wimse.out() + wimse.err()).isZero();
        assertThat(wimse.json().get("workload").textValue()).isEqualTo("wimse://example.org/orders");
        assertThat(wimse.json().get("trust_domain").textValue()).isEqualTo("example.org");
    }

    @Test
    void ALG_2_theWitSvidProfileIsOneFlagAway() throws Exception {
        Cli.Result spiffe = verify(request(witKey, "spiffe://example.org/ns/orders/sa/api"), "--profile", "spiffe-wit-svid");
        assertThat(spiffe.exit()).as(spiffe.out() + spiffe.err()).isZero();
        // a wimse:// subject is a WIT, not a WIT-SVID: accepted by default, refused under the profile
        Cli.Result wimse = verify(request(witKey, "wimse://example.org/orders"), "--profile", "spiffe-wit-svid", "--json");
        assertThat(wimse.exit()).as(wimse.out() + wimse.err()).isEqualTo(1);
        assertThat(wimse.json().get("code").textValue()).isEqualTo("invalid-identifier");
        assertThat(verify(request(witKey, "wimse://example.org/orders"), "--profile", "nope").exit()).isEqualTo(2);
    }

    @Test
    void ALG_2_theSameWitSignedByTheBundlesJwtSvidKeyIsRefused() throws Exception {
        String request = request(jwtKey, "spiffe://example.org/ns/orders/sa/api");
        Cli.Result r = verify(request);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).startsWith("UNKNOWN_KEY: ").contains("names a jwt-svid entry", "never verifies a WIT");
        assertThat(r.out() + r.err()).doesNotContain(request.substring(request.indexOf("Token: ") + 7, request.indexOf("\r\nWorkload-Proof")));

        JsonNode j = verify(request, "--json").json();
        assertThat(j.get("valid").booleanValue()).isFalse();
        assertThat(j.get("code").textValue()).isEqualTo("unknown-key");
        assertThat(j.get("detail").textValue()).contains("jwt-svid");
    }

    @Test
    void ALG_2_aSpiffeBundleWhoseWitSvidKeyLacksAKidIsABadTrustFile() throws Exception {
        ObjectNode b = MAPPER.createObjectNode();
        b.putArray("keys").add(entry(witKey, "wit-svid").without("kid"));
        Path bad = Files.writeString(dir.resolve("bad.json"), b.toString());
        Path req = Files.writeString(dir.resolve("r.http"), request(witKey, "spiffe://example.org/a"));
        Cli.Result r = Cli.run("verify", "--trust", "example.org=" + bad, "--audience", TARGET, "--request", req.toString(),
                "--now", Long.toString(Fixture.NOW.getEpochSecond()));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("bad JWKS", "INVALID_KEY", "(wit-svid) has no 'kid'");
    }
}
