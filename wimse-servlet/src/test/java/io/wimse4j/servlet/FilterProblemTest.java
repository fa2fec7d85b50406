package io.wimse4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.ProblemType;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter's problems, as written through core's {@link ProblemDetails} (V-14): one row per problem. */
class FilterProblemTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Row(String rule, Supplier<ProblemDetails> problem, ProblemType expected, String detail) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Row> rows() throws WimseException {
        WorkloadIdentifier caller = WorkloadIdentifier.parse("wimse://example.org/svc/caller");
        return Stream.of(
                new Row("ID-2 an authorizer denial: 403 forbidden", () -> ProblemResponses.forbidden("workload x may not GET this path"),
                        FilterProblem.FORBIDDEN, "workload x may not GET this path"),
                new Row("WIT-12 a caller that supports WIMSE: 400 bearer-not-allowed, naming the caller and the WIMSE headers",
                        () -> ProblemResponses.bearerNotAllowed(caller), FilterProblem.BEARER_NOT_ALLOWED,
                        "workload wimse://example.org/svc/caller must authenticate with a Workload-Identity-Token and a"
                                + " Workload-Proof-Token; bearer tokens are no longer accepted from it"),
                new Row("WIT-12 a refused bearer token: 400 bearer-invalid, never saying why", ProblemResponses::bearerInvalid,
                        FilterProblem.BEARER_INVALID, "the bearer token was not accepted"),
                new Row("V-14 a core reason: its own status and code", () -> ProblemDetails.of(new WimseException(Reason.REPLAY, "seen")),
                        Reason.REPLAY, "seen"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void writtenWithItsCode(Row row) throws Exception {
        ProblemDetails p = row.problem().get();
        JsonNode json = MAPPER.readTree(p.toJson());
        assertThat(json.get("code").asText()).isEqualTo(row.expected().code());
        assertThat(json.get("status").asInt()).isEqualTo(row.expected().status());
        assertThat(json.get("title").asText()).isEqualTo(row.expected().title());
        assertThat(json.get("detail").asText()).isEqualTo(row.detail());
        assertThat(json.has("reason")).as("one vocabulary: the code, no second name").isFalse();
        assertThat(ProblemDetails.parse(p.toJson())).isEqualTo(p);
    }

    @ParameterizedTest
    @EnumSource(FilterProblem.class)
    void V_14_eachFilterProblemIsAProblemTypeOfItsOwnCode(FilterProblem p) {
        assertThat(p.code()).isEqualTo(p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        assertThat(p.type()).isEqualTo(ProblemType.typeOf(p.code()));
        assertThat(p.status()).isEqualTo(p == FilterProblem.FORBIDDEN ? 403 : 400);
        assertThat(p.title()).isNotBlank();
    }

    @Test
    void V_14_noProblemOfTheFilterAnswers401() {
        // a 401 must carry a WWW-Authenticate challenge, which would invite bearer retries (V-14, WIT-12)
        assertThat(List.of(Reason.values())).allSatisfy(r -> assertThat(r.status()).isNotEqualTo(401));
        assertThat(List.of(FilterProblem.values())).allSatisfy(p -> assertThat(p.status()).isNotEqualTo(401));
    }
}
