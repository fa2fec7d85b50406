package io.wimse4j.spring;

import com.sun.net.httpserver.HttpServer;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.spring.client.WimseClientHttpRequestInterceptor;
import io.wimse4j.spring.client.WimseExchangeFilterFunction;
import io.wimse4j.spring.client.WimseRestClientConfigurer;
import io.wimse4j.spring.client.WimseWebClientConfigurer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signing client never sends a proof to a redirect target: server A answers 302 to server B (another
 * origin) and B records every request it gets with its WIMSE headers.
 */
class RedirectTest {
    static final TestIdentities IDS = new TestIdentities();
    HttpServer a;
    HttpServer b;
    final List<String> reachedB = new CopyOnWriteArrayList<>();
    final List<String> reachedA = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        b = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        b.createContext("/", ex -> {
            reachedB.add(ex.getRequestURI() + " wit=" + (ex.getRequestHeaders().getFirst("Workload-Identity-Token") != null)
                    + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        b.start();
        a = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        a.createContext("/", ex -> {
            reachedA.add(ex.getRequestURI() + " wit=" + (ex.getRequestHeaders().getFirst("Workload-Identity-Token") != null));
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + b.getAddress().getPort() + "/landing");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        a.start();
    }

    @AfterEach
    void stop() {
        a.stop(0);
        b.stop(0);
    }

    String aUrl() {
        return "http://127.0.0.1:" + a.getAddress().getPort() + "/start";
    }

    WimseClientHttpRequestInterceptor interceptor() {
        return WimseClientHttpRequestInterceptor.wpt(RequestSigner.builder().credentials(IDS.source(TestIdentities.CALLER)).build());
    }

    @Test
    void restClientConfigurerReturnsTheRedirectAndNeverSendsTheProofOn() {
        RestClient client = RestClient.builder().apply(new WimseRestClientConfigurer(interceptor())).build();
        ResponseEntity<Void> response = client.get().uri(aUrl()).retrieve().toBodilessEntity();
        assertThat(response.getStatusCode().value()).isEqualTo(302);
        assertThat(reachedA).containsExactly("/start wit=true");
        assertThat(reachedB).isEmpty();
    }

    @Test
    void restTemplateConfiguredTheSameWayDoesNotFollowEither() {
        var template = new WimseRestClientConfigurer(interceptor()).configure(new org.springframework.web.client.RestTemplate());
        assertThat(template.getForEntity(aUrl(), Void.class).getStatusCode().value()).isEqualTo(302);
        assertThat(reachedB).isEmpty();
    }

    /** The control: a factory that follows redirects does copy the proof to B, which is what the configurer prevents. */
    @Test
    void aFollowingRequestFactoryWouldLeakTheProof() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        RestClient client = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(following))
                .requestInterceptor(interceptor()).build();
        client.get().uri(aUrl()).retrieve().toBodilessEntity();
        assertThat(reachedB).singleElement().asString().contains("wit=true");
    }

    @Test
    void webClientWithTheDefaultConnectorDoesNotFollow() {
        WebClient client = WebClient.builder().clientConnector(new JdkClientHttpConnector())
                .apply(new WimseWebClientConfigurer(WimseExchangeFilterFunction.wpt(
                        RequestSigner.builder().credentials(IDS.source(TestIdentities.CALLER)).build()))).build();
        var response = client.get().uri(aUrl()).retrieve().toBodilessEntity().block();
        assertThat(response.getStatusCode().value()).isEqualTo(302);
        assertThat(reachedA).containsExactly("/start wit=true");
        assertThat(reachedB).isEmpty();
    }
}
