package io.wimse4j.sample.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * The receiving workload of the sample: an orders service whose API only other workloads call. The
 * starter verifies each caller's WIT and proof (WPT, HTTP signature) against the Identity Server's
 * published keys and makes the caller a Spring Security {@code Authentication}; {@link OrderBook}
 * decides with {@code @PreAuthorize} which workloads may read orders. Its settings are in
 * {@code orders.properties}.
 */
@SpringBootApplication
@EnableMethodSecurity
public class OrdersApplication {
    /** Starts the service with {@code orders.properties} (and any {@code --name=value} overrides). */
    public static void main(String[] args) {
        start(args);
    }

    /** Starts the service; the context is the caller's to close. */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication app = new SpringApplication(OrdersApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", "orders"));
        return app.run(args);
    }
}
