package io.wimse4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.request.HttpRequestFacts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The example's values are those of the vector file, loaded from the class path from this module. */
class DraftExampleTest {

    /** The bundled resource, parsed here independently of {@link DraftExample}. */
    private static JsonNode bundled() throws IOException {
        try (InputStream in = DraftExampleTest.class.getResourceAsStream("/io/wimse4j/testkit/draft-examples.json")) {
            assertThat(in).as("the class-path resource").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void constantsAreTheVectorFileValues() throws IOException {
        JsonNode v = bundled();
        assertThat(DraftExample.WIT).isEqualTo(v.get("wit").asText()).startsWith("eyJ");
        assertThat(DraftExample.WPT).isEqualTo(v.get("wpt").asText()).startsWith("eyJ");
        assertThat(DraftExample.SUBJECT).isEqualTo(v.at("/expected/wit_subject").asText());
        assertThat(DraftExample.METHOD).isEqualTo(v.at("/request/method").asText());
        assertThat(DraftExample.TARGET).isEqualTo(v.at("/request/target_uri").asText());
        assertThat(DraftExample.VALID_AT.getEpochSecond()).isEqualTo(v.at("/expected/valid_at_epoch_seconds").asLong());
        assertThat(DraftExample.WPT_EXP.getEpochSecond()).isEqualTo(v.at("/expected/wpt_exp").asLong());
        assertThat(DraftExample.WIT_EXP.getEpochSecond()).isEqualTo(v.at("/expected/wit_exp").asLong());
        assertThat(new ObjectMapper().readTree(DraftExample.jwksJson())).isEqualTo(v.get("identity_server_jwks"));
        assertThat(DraftExample.root()).isEqualTo(v);
    }

    @Test
    void knownAnswers() {
        // the values of the drafts' example, written out: a wrong or truncated copy fails here
        assertThat(DraftExample.SUBJECT).isEqualTo("wimse://example.com/specific-workload");
        assertThat(DraftExample.TRUST_DOMAIN.name()).isEqualTo("example.com");
        assertThat(DraftExample.METHOD).isEqualTo("POST");
        assertThat(DraftExample.TARGET).isEqualTo("https://workload.example.com/path");
        assertThat(DraftExample.VALID_AT).isEqualTo(Instant.ofEpochSecond(1745509900));
        assertThat(DraftExample.WPT_EXP).isEqualTo(Instant.ofEpochSecond(1745510016));
        assertThat(DraftExample.WIT_EXP).isEqualTo(Instant.ofEpochSecond(1745512510));
        assertThat(DraftExample.VALID_AT).isBefore(DraftExample.WPT_EXP).isBefore(DraftExample.WIT_EXP);
        assertThat(DraftExample.clockAt(DraftExample.VALID_AT).instant()).isEqualTo(DraftExample.VALID_AT);
    }

    @Test
    void privateJwksComeWithoutTheNote() throws IOException {
        JsonNode v = bundled();
        JsonNode issuer = new ObjectMapper().readTree(DraftExample.issuerPrivateJwk());
        JsonNode workload = new ObjectMapper().readTree(DraftExample.workloadPrivateJwk());
        assertThat(issuer.has("_note")).isFalse();
        assertThat(workload.has("_note")).isFalse();
        ObjectNode expectedIssuer = ((ObjectNode) v.get("identity_server_private_jwk")).deepCopy();
        expectedIssuer.remove("_note");
        ObjectNode expectedWorkload = ((ObjectNode) v.get("workload_private_jwk")).deepCopy();
        expectedWorkload.remove("_note");
        assertThat(issuer).isEqualTo(expectedIssuer);
        assertThat(workload).isEqualTo(expectedWorkload);
        assertThat(issuer.get("d").asText()).isNotEmpty();
        assertThat(workload.get("d").asText()).isNotEmpty();
    }

    @Test
    void theRequestCarriesTheFileHeaders() throws IOException {
        JsonNode headers = bundled().at("/request/headers");
        HttpRequestFacts facts = DraftExample.requestBuilder().build();
        assertThat(facts.method()).isEqualTo("POST");
        assertThat(facts.targetUri()).hasToString("https://workload.example.com/path");
        headers.fields().forEachRemaining(e ->
                assertThat(facts.values(e.getKey())).as(e.getKey()).containsExactly(e.getValue().asText()));
        assertThat(facts.values("Workload-Identity-Token")).containsExactly(DraftExample.WIT);
        assertThat(facts.values("Workload-Proof-Token")).containsExactly(DraftExample.WPT);
    }

    @Test
    void requestWithReplacesOrDropsOneHeader() {
        HttpRequestFacts replaced = DraftExample.requestWith("workload-proof-token", "x");
        assertThat(replaced.values("Workload-Proof-Token")).containsExactly("x");
        assertThat(replaced.values("Workload-Identity-Token")).containsExactly(DraftExample.WIT);
        HttpRequestFacts dropped = DraftExample.requestWith("Authorization", null);
        assertThat(dropped.values("Authorization")).isEmpty();
        assertThat(dropped.values("Workload-Proof-Token")).containsExactly(DraftExample.WPT);
    }

    @Test
    void rootIsACopy() {
        ((ObjectNode) DraftExample.root()).put("wit", "changed");
        assertThat(DraftExample.root().get("wit").asText()).isEqualTo(DraftExample.WIT);
    }

    @Test
    void theBundledCopyEqualsTheSharedVectorsFile() throws IOException {
        Optional<Path> shared = sharedVectorsFile();
        Assumptions.assumeTrue(shared.isPresent(),
                "shared/vectors/draft-examples.json not found in a parent of " + Path.of("").toAbsolutePath());
        assertThat(new ObjectMapper().readTree(Files.readString(shared.get())))
                .as("%s and the class-path copy in wimse-testkit/src/main/resources", shared.get())
                .isEqualTo(bundled());
    }

    /** shared/vectors/draft-examples.json in the working directory or a parent (a clone's sibling shared/). */
    private static Optional<Path> sharedVectorsFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(Path.of("shared", "vectors", "draft-examples.json"));
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
