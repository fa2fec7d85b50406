package io.wimse4j.spring.client;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Makes a {@code RestClient} (or a {@code RestTemplate}) sign its requests: it adds the
 * {@link WimseClientHttpRequestInterceptor} and a request factory that never follows redirects, so a
 * proof never reaches a redirect target (a 3xx answer is returned to the application as it is).
 * Apply it to the clients that call WIMSE services, and only to those (a proof carries the WIT):
 * <pre>{@code
 * RestClient orders = builder.clone().apply(wimseRestClient).baseUrl("https://orders.example.org").build();
 * wimseRestClient.configure(restTemplate);
 * }</pre>
 * It is deliberately not a {@code RestClientCustomizer}: Spring Boot would apply it to every
 * {@code RestClient.Builder}, signing calls to any host.
 */
public final class WimseRestClientConfigurer implements Consumer<RestClient.Builder> {
    private final WimseClientHttpRequestInterceptor interceptor;
    private final ClientHttpRequestFactory requestFactory;

    /** A configurer adding {@code interceptor} and a request factory detected on the class path, not following redirects. */
    public WimseRestClientConfigurer(WimseClientHttpRequestInterceptor interceptor) {
        this(interceptor, ClientHttpRequestFactoryBuilder.detect().build(HttpClientSettings.defaults().withRedirects(HttpRedirects.DONT_FOLLOW)));
    }

    /** A configurer adding {@code interceptor} and {@code requestFactory}, which must not follow redirects. */
    public WimseRestClientConfigurer(WimseClientHttpRequestInterceptor interceptor, ClientHttpRequestFactory requestFactory) {
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
        this.requestFactory = Objects.requireNonNull(requestFactory, "requestFactory");
    }

    /** The interceptor. */
    public WimseClientHttpRequestInterceptor interceptor() {
        return interceptor;
    }

    @Override
    public void accept(RestClient.Builder builder) {
        builder.requestFactory(requestFactory).requestInterceptor(interceptor);
    }

    /** Configures {@code template} the same way. */
    public RestTemplate configure(RestTemplate template) {
        template.setRequestFactory(requestFactory);
        template.getInterceptors().add(interceptor);
        return template;
    }
}
