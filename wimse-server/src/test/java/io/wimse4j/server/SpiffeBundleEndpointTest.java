package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.internal.KeyRing;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ALG-2, publishing: the Identity Server serves its signing keys as a SPIFFE bundle at
 * {@code GET /v1/trust-bundle/spiffe}, over its real HTTPS socket: the JWKS's keys with
 * {@code "use": "wit-svid"}, {@code spiffe_refresh_hint} = the JWKS max-age, and a
 * {@code spiffe_sequence} that grows with every change of the key set and survives restarts.
 */
class SpiffeBundleEndpointTest {
    static final String PATH = "/v1/trust-bundle/spiffe";
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    Path tmp;
    ServerHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\"", null);
    }

    JsonNode bundle() throws Exception {
        HttpResponse<String> r = h.get(PATH);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    long sequence() throws Exception {
        return bundle().get("spiffe_sequence").longValue();
    }

    /** The kids of the WIT keys (every key of a JWKS; the wit-svid entries of a SPIFFE bundle). */
    List<String> kids(JsonNode doc) {
        List<String> kids = new ArrayList<>();
        doc.get("keys").forEach(k -> {
            if (!k.has("use") || !k.get("use").textValue().equals("x509-svid")) {
                kids.add(k.get("kid").textValue());
            }
        });
        return kids;
    }

    @Test
    void ALG_2_theServerPublishesItsSigningKeysAsASpiffeBundle() throws Exception {
        start();
        HttpResponse<String> r = h.get(PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=300");
        JsonNode doc = json(r.body());
        JsonNode jwks = json(h.get("/.well-known/jwks.json").body());
        assertThat(kids(doc)).isEqualTo(kids(jwks)).hasSize(1);
        int x509 = 0;
        for (JsonNode k : doc.get("keys")) {
            assertThat(k.has("d")).isFalse();
            if (k.get("use").textValue().equals("x509-svid")) {
                // the workload CA (WorkloadCaTest has the details)
                x509++;
                continue;
            }
            assertThat(k.get("use").textValue()).isEqualTo("wit-svid");
            assertThat(k.get("alg").textValue()).isEqualTo("ES256");
        }
        assertThat(x509).isEqualTo(1);
        assertThat(doc.get("spiffe_sequence").isIntegralNumber()).isTrue();
        assertThat(doc.get("spiffe_sequence").longValue()).as("the first publication's time in ms").isEqualTo(h.clock.instant().toEpochMilli());
        assertThat(doc.get("spiffe_refresh_hint").longValue()).isEqualTo(300);

        // the published bundle loads as the trust domain's WIT keys and verifies a WIT the server issued
        TrustBundle b = TrustBundle.fromSpiffeBundle(new TrustDomain(ServerHarness.TD), r.body());
        assertThat(b.keys()).extracting(k -> k.keyId().orElseThrow()).containsExactlyElementsOf(kids(jwks));
        assertThat(b.spiffeRefreshHint()).contains(Duration.ofSeconds(300));
        HttpResponse<String> issued = h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), h.joinToken(SVC));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String wit = json(issued.body()).get("wit").textValue();
        assertThat(WitVerifier.builder().trust(TrustBundleSet.of(b)).clock(h.clock).build().verify(wit).subject().value())
                .isEqualTo(SVC);

        HttpResponse<String> post = h.send(HttpRequest.newBuilder(h.url(PATH))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void ALG_2_theSequenceGrowsWithEveryChangeOfTheKeySetAndSurvivesRestarts() throws Exception {
        start();
        long first = sequence();
        assertThat(first).as("at least the publication time in ms").isGreaterThanOrEqualTo(h.clock.instant().toEpochMilli());
        assertThat(sequence()).as("reading changes nothing").isEqualTo(first);

        // rotation publishes a key: higher
        String oldKid = kids(bundle()).get(0);
        String newKid = json(h.admin("POST", "/admin/v1/keys/rotate", null).body()).get("kid").textValue();
        assertThat(kids(bundle())).containsExactly(oldKid, newKid);
        long second = sequence();
        assertThat(second).isGreaterThan(first);

        // the new key starts signing: the key set is unchanged
        h.clock.advance(Duration.ofSeconds(300));
        assertThat(sequence()).isEqualTo(second);

        // a restart reloads the same keys: the same sequence
        h.restart();
        assertThat(sequence()).isEqualTo(second);

        // the old key is removed once its last WIT has expired (max WIT lifetime 10 min + 60 s leeway): higher,
        // at least the time of that change
        h.clock.advance(Duration.ofSeconds(660));
        assertThat(kids(bundle())).containsExactly(newKid);
        long third = sequence();
        assertThat(third).isGreaterThan(second).isGreaterThanOrEqualTo(h.clock.instant().toEpochMilli());

        // kept in keys.json, so it survives another restart, and grows from there
        assertThat(json(Files.readString(h.stateDir.resolve(KeyRing.FILE))).get("spiffe_sequence").longValue()).isEqualTo(third);
        h.restart();
        assertThat(sequence()).isEqualTo(third);
        h.admin("POST", "/admin/v1/keys/rotate", null);
        long fourth = sequence();
        assertThat(fourth).as("two changes within one millisecond still grow by one").isEqualTo(third + 1);
        assertThat(TrustBundle.fromJwks(new TrustDomain(ServerHarness.TD), h.get(PATH).body()).spiffeSequence()).hasValue(fourth);
    }

    @Test
    void ALG_2_aLostOrOldStateFileNeverPublishesALowerSequenceLater() throws Exception {
        start();
        h.admin("POST", "/admin/v1/keys/rotate", null);
        long before = sequence();
        h.close();
        // keys.json restored from a backup that predates sequences: the sequence restarts at the current time
        h.clock.advance(Duration.ofSeconds(5));
        Path file = h.stateDir.resolve(KeyRing.FILE);
        ObjectNode state = (ObjectNode) json(Files.readString(file));
        state.remove("spiffe_sequence");
        Files.writeString(file, StrictJson.mapper().writeValueAsString(state));
        h.start();
        assertThat(sequence()).as("clients refuse a lower sequence as a rollback").isGreaterThan(before)
                .isEqualTo(h.clock.instant().toEpochMilli());
        assertThat(kids(bundle())).hasSize(2);
        long restored = sequence();
        h.admin("POST", "/admin/v1/keys/rotate", null);
        assertThat(sequence()).isGreaterThan(restored);
    }
}
