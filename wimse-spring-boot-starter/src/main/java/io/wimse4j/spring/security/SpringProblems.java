package io.wimse4j.spring.security;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.servlet.ProblemWriter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.ClassUtils;

import java.io.IOException;
import java.util.Optional;

/**
 * Writes wimse4j's problems (V-14) as Spring's {@link ProblemDetail}: the same {@code type},
 * {@code title}, {@code status} and {@code detail} as core's {@link ProblemDetails}, its {@code code}
 * (and any other member) as a property, {@code application/problem+json}, {@code Cache-Control: no-store}
 * and {@code WWW-Authenticate} when the library challenges (401, P2-4). Serialized with Spring's
 * Jackson converter when Jackson 3 is present, otherwise by core's writer (same document).
 */
final class SpringProblems implements ProblemWriter {
    static final SpringProblems INSTANCE = new SpringProblems();

    private final HttpMessageConverter<Object> converter;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private SpringProblems() {
        this.converter = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", SpringProblems.class.getClassLoader())
                ? (HttpMessageConverter) new JacksonJsonHttpMessageConverter() : null;
    }

    /** {@code problem} as Spring's {@link ProblemDetail}. */
    static ProblemDetail toProblemDetail(ProblemDetails problem) {
        ProblemDetail pd = ProblemDetail.forStatus(problem.status());
        pd.setType(problem.type());
        pd.setTitle(problem.title());
        pd.setDetail(problem.detail());
        problem.instance().ifPresent(pd::setInstance);
        pd.setProperty("code", problem.code());
        problem.members().forEach((name, value) -> {
            if (!name.equals("code")) {
                pd.setProperty(name, value);
            }
        });
        return pd;
    }

    @Override
    public void write(ProblemDetails problem, Optional<String> challenge, HttpServletResponse response) throws IOException {
        response.resetBuffer();
        response.setStatus(challenge.isPresent() ? 401 : problem.status());
        challenge.ifPresent(c -> response.setHeader(HttpHeaders.WWW_AUTHENTICATE, c));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (converter == null) {
            byte[] body = problem.toJsonBytes();
            response.setContentType(ProblemDetails.MEDIA_TYPE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } else {
            ServletServerHttpResponse out = new ServletServerHttpResponse(response);
            converter.write(toProblemDetail(problem), MediaType.APPLICATION_PROBLEM_JSON, out);
            out.flush();
        }
        response.flushBuffer();
    }
}
