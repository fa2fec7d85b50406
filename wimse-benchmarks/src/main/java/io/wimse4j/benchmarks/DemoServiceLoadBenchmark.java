package io.wimse4j.benchmarks;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.demo.DemoService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Requests per second through the demo service on loopback, one client thread, HTTP/1.1 keep-alive,
 * plain HTTP: {@code demoServiceWithFilter} (the service as shipped: {@code WimseFilter}, in-memory
 * replay cache) against {@code demoServiceNoFilter} (the same Jetty service and echo servlet with the
 * filter left out). In both, every request is signed on the client side with
 * {@link SigningHttpClient}, a fresh WPT (new {@code jti}) each time, so the only difference is the
 * filter's verification. {@code RatioReport} prints with-filter / without-filter from the same run.
 *
 * <p>Client and server share the machine's cores; the ratio is the share of a whole request
 * (client signing, HTTP on loopback, servlet) that survives adding WIMSE verification.
 */
public class DemoServiceLoadBenchmark extends BenchmarkDefaults {
    static final URI BASE = URI.create("https://echo.example.org");

    /** The service, its caller and the request template. */
    public abstract static class Service {
        private DemoService service;
        private SigningHttpClient client;
        private HttpRequest request;

        abstract boolean filter();

        @Setup(Level.Trial)
        public void start() throws Exception {
            Fixture f = new Fixture(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
            DemoService.Builder b = DemoService.builder().insecureHttp().externalBaseUri(BASE)
                    .trust(TrustBundle.fromJwks(Fixture.TRUST_DOMAIN, "{\"keys\":[" + f.issuerKey.publicJwk().toJson() + "]}"))
                    .clock(Fixture.CLOCK);
            if (!filter()) {
                b.withoutFilterForBenchmarkOnly();
            }
            service = b.build().start();
            RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(f.credentials))
                    .proofCreator(WptCreator.create(Fixture.CLOCK, Duration.ofSeconds(60)))
                    .audience(u -> BASE + u.getRawPath()).build();
            client = SigningHttpClient.builder().signer(signer).allowInsecureHttp(true)
                    .httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER).build()).build();
            request = HttpRequest.newBuilder(service.localUri().resolve(DemoService.ECHO_PATH))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build();
            // One request to open the connection and check the setup.
            call();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            service.close();
        }

        /** One signed request; anything but 200 ends the benchmark (a rejected request is not a measurement). */
        byte[] call() throws IOException, InterruptedException {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the demo service answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body();
        }
    }

    /** The service with {@code WimseFilter}. */
    @State(Scope.Thread)
    public static class WithFilter extends Service {
        @Override
        boolean filter() {
            return true;
        }
    }

    /** The same service without the filter (the baseline). */
    @State(Scope.Thread)
    public static class NoFilter extends Service {
        @Override
        boolean filter() {
            return false;
        }
    }

    @Benchmark
    public byte[] demoServiceWithFilter(WithFilter s) throws Exception {
        return s.call();
    }

    @Benchmark
    public byte[] demoServiceNoFilter(NoFilter s) throws Exception {
        return s.call();
    }
}
