package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemDetailsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonMapsToItsStatusTypeAndTitle(Reason reason) throws Exception {
        ProblemDetails p = ProblemDetails.of(new WimseException(reason, "why it failed"));

        int expectedStatus = reason == Reason.REPLAY_CACHE_UNAVAILABLE ? 503 : 400;
        String slug = reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
        assertThat(p.status()).isEqualTo(expectedStatus).isEqualTo(reason.httpStatus());
        assertThat(p.type()).hasToString("https://wimse4j.io/problems/" + slug);
        assertThat(p.title()).isEqualTo(reason.title());
        assertThat(p.reason()).isEqualTo(reason.name());

        JsonNode json = MAPPER.readTree(p.toJson());
        assertThat(json.get("type").asText()).isEqualTo("https://wimse4j.io/problems/" + slug);
        assertThat(json.get("title").asText()).isEqualTo(reason.title());
        assertThat(json.get("status").asInt()).isEqualTo(expectedStatus);
        assertThat(json.get("detail").asText()).isEqualTo("why it failed");
        assertThat(json.get("reason").asText()).isEqualTo(reason.name());
        assertThat(json.size()).isEqualTo(5);
    }

    @Test
    void noReasonAnswers401() {
        assertThat(List.of(Reason.values())).allSatisfy(r -> assertThat(ProblemDetails.of(r, "").status()).isNotEqualTo(401));
    }

    @Test
    void forbiddenProblem() throws Exception {
        JsonNode json = MAPPER.readTree(ProblemDetails.forbidden("no").toJson());
        assertThat(json.get("type").asText()).isEqualTo("https://wimse4j.io/problems/forbidden");
        assertThat(json.get("title").asText()).isEqualTo("Forbidden");
        assertThat(json.get("status").asInt()).isEqualTo(403);
        assertThat(json.get("reason").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void detailIsJsonEscaped() throws Exception {
        JsonNode json = MAPPER.readTree(ProblemDetails.of(Reason.UNSUPPORTED_ALG, "alg '\"}, \"x\": 1' <b>").toJson());
        assertThat(json.get("detail").asText()).isEqualTo("alg '\"}, \"x\": 1' <b>");
        assertThat(json.has("x")).isFalse();
    }

    @Test
    void rejectsNonErrorStatus() {
        assertThatThrownBy(() -> new ProblemDetails(Reason.EXPIRED.problemType(), "t", 200, "", "EXPIRED"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
