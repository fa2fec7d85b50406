package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code registrations-file}: declared registrations reconciled at start and when the file changes; ones made
 * through the admin API left alone; an invalid file refused at start and, at run time, logged and audited while
 * the last good set stays.
 */
class RegistrationsFileTest {
    static final String A = "wimse://example.org/a";
    static final String B = "wimse://example.org/b";
    static final String C = "wimse://example.org/c";

    @TempDir
    Path tmp;
    ServerHarness h;
    Path file;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    void declare(String json) throws Exception {
        Path part = tmp.resolve("registrations.json.part");
        Files.writeString(part, json);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String entry(String id, String methods) {
        return "{\"id\":\"" + id + "\",\"attestation\":[" + methods + "]}";
    }

    /** id -> the listed registration. */
    Map<String, JsonNode> registrations() throws Exception {
        HttpResponse<String> r = h.admin("GET", "/admin/v1/registrations", null);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, JsonNode> out = new HashMap<>();
        json(r.body()).get("registrations").forEach(n -> out.put(n.get("id").textValue(), n));
        return out;
    }

    Map<String, JsonNode> awaitRegistrations(Predicate<Map<String, JsonNode>> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, JsonNode> now = registrations();
        while (!until.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = registrations();
        }
        return now;
    }

    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"), b -> b.registrationsFile(file), null);
    }

    @Test
    void declaredRegistrationsFollowTheFileAndAdminOnesAreLeftAlone() throws Exception {
        file = tmp.resolve("registrations.json");
        declare("{\"registrations\":[" + entry(A, "\"join_token\"") + "]}");
        start();
        assertThat(registrations().get(A).get("source").textValue()).isEqualTo("file");
        String tokenForA = h.joinToken(A);
        h.register(B, "\"join_token\"", null); // through the admin API
        assertThat(registrations().get(B).has("source")).isFalse();
        // a declared registration is managed in the file, not deleted through the admin API
        assertProblem(h.admin("DELETE", "/admin/v1/registrations?id=" + A, null), 409, "registration-exists");

        // A removed, C added, B declared too (it stays the admin API's, untouched)
        declare("{\"registrations\":[" + entry(C, "\"join_token\",\"wit\"") + "," + entry(B, "\"wit\"") + "]}");
        Map<String, JsonNode> now = awaitRegistrations(m -> m.containsKey(C) && !m.containsKey(A));
        assertThat(now).containsOnlyKeys(B, C);
        assertThat(now.get(C).get("source").textValue()).isEqualTo("file");
        assertThat(now.get(B).has("source")).isFalse();
        assertThat(now.get(B).get("attestation")).hasSize(1);
        assertThat(now.get(B).get("attestation").get(0).textValue()).isEqualTo("join_token");
        // the removed registration's join token was revoked with it; a new one is refused
        assertProblem(h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), tokenForA), 400, "join-token-invalid");
        assertProblem(h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"" + A + "\"}"), 404, "registration-not-found");
        // the declared C issues
        HttpResponse<String> issued = h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), h.joinToken(C));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);

        // an update of a declared registration: C loses join_token
        declare("{\"registrations\":[" + entry(C, "\"wit\"") + "]}");
        now = awaitRegistrations(m -> m.get(C).get("attestation").size() == 1);
        assertThat(now.get(C).get("attestation").get(0).textValue()).isEqualTo("wit");
        assertProblem(h.admin("POST", "/admin/v1/join-tokens", "{\"id\":\"" + C + "\"}"), 400,
                "method-not-allowed-for-identifier");

        // the marking survives a restart: C removed from the file after it is deleted
        h.restart();
        assertThat(registrations().get(C).get("source").textValue()).isEqualTo("file");
        declare("{\"registrations\":[]}");
        assertThat(awaitRegistrations(m -> !m.containsKey(C))).containsOnlyKeys(B);
        assertThat(Files.readString(h.stateDir.resolve(AuditLog.FILE))).contains("\"event\":\"registrations-file\"")
                .contains("\"result\":\"reconciled\"");
    }

    @Test
    void anInvalidFileAtRunTimeKeepsTheLastGoodSetAndIsAudited() throws Exception {
        file = tmp.resolve("registrations.json");
        declare("{\"registrations\":[" + entry(A, "\"join_token\"") + "]}");
        start();
        declare("{\"registrations\":[" + entry("wimse://other.example/x", "\"join_token\"") + "]}");
        Path audit = h.stateDir.resolve(AuditLog.FILE);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!(Files.exists(audit) && Files.readString(audit).contains("\"result\":\"invalid\""))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(audit)).contains("\"event\":\"registrations-file\"").contains("\"result\":\"invalid\"")
                .contains("outside trust domain");
        assertThat(registrations()).containsOnlyKeys(A);
        assertThat(h.joinToken(A)).isNotBlank();
        // fixed again: applied
        declare("{\"registrations\":[" + entry(B, "\"join_token\"") + "]}");
        assertThat(awaitRegistrations(m -> m.containsKey(B))).containsOnlyKeys(B);
    }

    @Test
    void anInvalidOrMissingFileFailsTheStartNamingTheEntryAndTheReason() throws Exception {
        file = tmp.resolve("registrations.json");
        declare("{\"registrations\":[" + entry(A, "\"join_token\"") + "," + entry(A, "\"wit\"") + "]}");
        assertThatThrownBy(this::start).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("registrations[1]").hasMessageContaining("declared twice");
        declare("{\"registrations\":[{\"id\":\"" + A + "\",\"attestation\":[\"telepathy\"]}]}");
        assertThatThrownBy(this::start).hasMessageContaining("registrations[0]").hasMessageContaining("unknown attestation method");
        declare("{\"registrations\":[" + entry(A, "\"join_token\"") + "],\"extra\":1}");
        assertThatThrownBy(this::start).hasMessageContaining("unknown member 'extra'");
        file = tmp.resolve("absent.json");
        assertThatThrownBy(this::start).hasMessageContaining("does not exist");
        // nothing was left locked: a good file starts
        file = tmp.resolve("registrations.json");
        declare("{\"registrations\":[" + entry(A, "\"join_token\"") + "]}");
        start();
        assertThat(registrations()).containsOnlyKeys(A);
    }
}
