package io.wimse4j.resilience.load;

import io.wimse4j.core.error.ProblemDetails;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests to an echo service ({@code GET} and {@code POST /echo}, alternately) and the judgement of
 * their answers: expected is 200 naming the calling workload; anything else is described by its
 * status and problem code (never a header or a token).
 */
final class Echo {
    /** The external base URI the services are addressed by; proofs name it plus the path. */
    static final URI BASE = URI.create("https://echo.example.org");

    private Echo() {
    }

    /** A JDK client over HTTP/1.1 (kept-alive connections) with {@code tls}, never following redirects. */
    static HttpClient http(SSLContext tls) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The {@code seq}-th request of a thread to {@code local}: even ones GET, odd ones POST a small JSON body. */
    static HttpRequest request(URI local, long seq) {
        HttpRequest.Builder b = HttpRequest.newBuilder(local.resolve("/echo")).timeout(Duration.ofSeconds(30));
        if ((seq & 1) == 0) {
            return b.GET().build();
        }
        return b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"seq\":" + seq + "}")).build();
    }

    /** Expected when 200 echoes {@code workload}; otherwise unexpected, labelled by {@link #label}. */
    static LoadRun.Sample judge(long nanos, HttpResponse<String> r, String workload) {
        if (r.statusCode() == 200 && r.body().contains("\"workload\":\"" + workload + "\"")) {
            return LoadRun.Sample.expected(nanos, "200");
        }
        return LoadRun.Sample.unexpected(nanos, label(r));
    }

    /** The status and, for an RFC 9457 problem, its code: e.g. {@code 503 replay-cache-unavailable}. */
    static String label(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return "200 (another caller echoed)";
        }
        return r.statusCode() + " " + problem(r).map(ProblemDetails::code).orElse("(no problem)");
    }

    static java.util.Optional<ProblemDetails> problem(HttpResponse<String> r) {
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(ProblemDetails.parse(r.body()));
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }
}
