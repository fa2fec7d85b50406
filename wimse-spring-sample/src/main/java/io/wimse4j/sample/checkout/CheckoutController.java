package io.wimse4j.sample.checkout;

import io.wimse4j.spring.client.WimseRestClientConfigurer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import java.util.Map;

/**
 * {@code GET /checkout/{id}}: reads the order from the orders service with a {@link RestClient}
 * that the starter's {@link WimseRestClientConfigurer} signs (a fresh WPT per request, P2-1) and
 * never lets follow a redirect with the proof attached.
 */
@RestController
public class CheckoutController {
    private final RestClient orders;

    CheckoutController(RestClient.Builder builder, WimseRestClientConfigurer wimse, @Value("${sample.orders-url}") String ordersUrl) {
        this.orders = builder.clone().apply(wimse).baseUrl(ordersUrl).build();
    }

    /** The order {@code id} as the orders service answered it to this workload. */
    @GetMapping("/checkout/{id}")
    public Map<?, ?> checkout(@PathVariable("id") String id) {
        return orders.get().uri("/orders/{id}", id).retrieve().body(Map.class);
    }
}
