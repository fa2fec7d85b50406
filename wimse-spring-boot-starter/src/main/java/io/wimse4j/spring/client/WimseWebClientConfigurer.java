package io.wimse4j.spring.client;

import org.springframework.web.reactive.function.client.WebClient;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Makes a {@code WebClient} sign its requests with the {@link WimseExchangeFilterFunction}:
 * {@code builder.clone().apply(wimseWebClient).baseUrl(...).build()}. Apply it only to clients of WIMSE
 * services; it is deliberately not a {@code WebClientCustomizer}, which Spring Boot would apply to every
 * {@code WebClient.Builder}. Keep the connector from following redirects (its default).
 */
public final class WimseWebClientConfigurer implements Consumer<WebClient.Builder> {
    private final WimseExchangeFilterFunction filter;

    /** A configurer adding {@code filter}. */
    public WimseWebClientConfigurer(WimseExchangeFilterFunction filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** The filter function. */
    public WimseExchangeFilterFunction filter() {
        return filter;
    }

    @Override
    public void accept(WebClient.Builder builder) {
        builder.filter(filter);
    }
}
