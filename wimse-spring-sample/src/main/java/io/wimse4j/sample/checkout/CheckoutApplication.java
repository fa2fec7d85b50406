package io.wimse4j.sample.checkout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The calling workload of the sample: a checkout service that reads orders from the orders service.
 * The starter obtains its WIT from the Identity Server (a one-time join token, then renewals with a
 * fresh key each time) and signs every call its {@code RestClient} makes. Its own page,
 * {@code GET /checkout/{id}}, is public. Its settings are in {@code checkout.properties}.
 */
@SpringBootApplication
public class CheckoutApplication {
    /** Starts the service with {@code checkout.properties} (and any {@code --name=value} overrides). */
    public static void main(String[] args) {
        start(args);
    }

    /** Starts the service; the context is the caller's to close. */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication app = new SpringApplication(CheckoutApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", "checkout"));
        return app.run(args);
    }
}
