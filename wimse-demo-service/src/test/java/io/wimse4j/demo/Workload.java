package io.wimse4j.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.testkit.Fixture;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A calling workload for the tests: the testkit {@link Fixture} (trust domain
 * {@code example.org}, workload {@code wimse://example.org/svc/caller}, fixed clock) signing with
 * {@link SigningHttpClient} over a real {@code java.net.http} client. Proofs name the service's
 * external base URI plus the request path, as a real caller addressing it by its public name would.
 */
final class Workload {
    static final ObjectMapper JSON = new ObjectMapper();
    static final URI BASE = URI.create("https://echo.example.org");

    final Fixture f = new Fixture();

    /** A demo-service builder trusting this workload's trust domain, with its fixed clock. */
    DemoService.Builder service() {
        return DemoService.builder().trust(f.trust().bundleFor(f.trustDomain).orElseThrow())
                .externalBaseUri(BASE).clock(f.clock);
    }

    /** A plain client (TLS trusting {@code tls} when given), never following redirects. */
    static HttpClient http(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /** A signing client for {@code service}. */
    SigningHttpClient client(DemoService service, SSLContext tls) {
        RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials()))
                .proofCreator(f.creator()).audience(u -> BASE + u.getRawPath()).build();
        return SigningHttpClient.builder().httpClient(http(tls)).signer(signer).allowInsecureHttp(!service.tls()).build();
    }

    static HttpRequest.Builder request(DemoService service, String pathAndQuery) {
        return HttpRequest.newBuilder(service.localUri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    static HttpResponse<String> send(SigningHttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The request exactly as it was sent, WIMSE headers included, to send again. */
    static HttpRequest sameHeadersAgain(HttpResponse<?> sent) {
        return HttpRequest.newBuilder(sent.request(), (n, v) -> true).build();
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the echo of a verified call. */
    static void assertEcho(HttpResponse<String> r, String method, String path) {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode j = json(r.body());
        assertThat(j.get("workload").asText()).isEqualTo("wimse://example.org/svc/caller");
        assertThat(j.get("trust_domain").asText()).isEqualTo("example.org");
        assertThat(j.get("method").asText()).isEqualTo(method);
        assertThat(j.get("path").asText()).isEqualTo(path);
        assertThat(j.size()).isEqualTo(4);
    }

    /** Asserts an RFC 9457 problem for {@code reason}: status, media type, code, title, and a type that is the code's. */
    static JsonNode assertProblem(HttpResponse<String> r, Reason reason) {
        return assertProblem(r, reason, reason.httpStatus());
    }

    /**
     * Asserts the problem of {@code reason} answered with {@code status}: 401 carries
     * {@code WWW-Authenticate: WPT} (P2-4), any other status no challenge.
     */
    static JsonNode assertProblem(HttpResponse<String> r, Reason reason, int status) {
        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("challenge")
                .isEqualTo(status == 401 ? java.util.Optional.of("WPT") : java.util.Optional.empty());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode j = json(r.body());
        assertThat(j.get("code").asText()).as("problem code; body %s", r.body()).isEqualTo(reason.code());
        assertThat(j.get("title").asText()).isEqualTo(reason.title());
        assertThat(j.get("status").asInt()).isEqualTo(status);
        assertThat(ProblemDetails.parse(r.body()).is(reason)).as("read back by the one parser").isTrue();
        return j;
    }
}
