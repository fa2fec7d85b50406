package io.wimse4j.demo;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.ProblemType;
import io.wimse4j.core.error.Reason;
import io.wimse4j.server.http.Problem;
import io.wimse4j.servlet.FilterProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guard over the one problem vocabulary (V-14): every {@link ProblemType} of wimse4j, core's
 * {@link Reason}, the Identity Server's {@link Problem.Code} and the servlet filter's
 * {@link FilterProblem}, has a well-formed lower-case-hyphen code, unique across all of them, since
 * clients tell problems apart by code alone. It lives here because this module sees all three
 * (wimse-server is a test dependency for it). A new enum of problem types belongs in {@link #all()}.
 */
class ProblemCodesTest {
    private record Owned(String owner, ProblemType problem) {
        @Override
        public String toString() {
            return owner + "." + ((Enum<?>) problem).name() + " (" + problem.code() + ")";
        }
    }

    static Stream<Owned> all() {
        return Stream.of(
                Stream.of(Reason.values()).map(p -> new Owned("Reason", p)),
                Stream.of(Problem.Code.values()).map(p -> new Owned("Problem.Code", p)),
                Stream.of(FilterProblem.values()).map(p -> new Owned("FilterProblem", p))).flatMap(s -> s);
    }

    @Test
    void V_14_everyCodeIsUniqueAcrossReasonServerAndServletProblems() {
        Map<String, List<String>> owners = new LinkedHashMap<>();
        all().forEach(o -> owners.computeIfAbsent(o.problem().code(), c -> new ArrayList<>()).add(o.toString()));
        Map<String, List<String>> shared = new LinkedHashMap<>();
        owners.forEach((code, list) -> {
            if (list.size() > 1) {
                shared.put(code, list);
            }
        });
        assertThat(shared).as("codes used by more than one problem type").isEmpty();
        assertThat(owners).hasSize(Reason.values().length + Problem.Code.values().length + FilterProblem.values().length);
    }

    @ParameterizedTest(name = "V-14 {0}")
    @MethodSource("all")
    void V_14_eachCodeIsLowerCaseHyphenAndNamesItsType(Owned o) {
        ProblemType p = o.problem();
        assertThat(p.code()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
        assertThat(ProblemType.isCode(p.code())).isTrue();
        assertThat(p.type()).isEqualTo(ProblemType.typeOf(p.code()));
        assertThat(ProblemType.codeOf(p.type())).hasValue(p.code());
        assertThat(p.status()).isBetween(400, 599);
        assertThat(p.title()).isNotBlank();
        ProblemDetails written = ProblemDetails.of(p, "detail");
        assertThat(ProblemDetails.parse(written.toJson()).code()).isEqualTo(p.code());
    }
}
