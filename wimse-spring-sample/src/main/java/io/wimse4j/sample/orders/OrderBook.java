package io.wimse4j.sample.orders;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * The orders, readable only by the checkout workload: the rule is on the method, in terms of the
 * caller's workload identifier, which the starter puts in {@code Authentication.getName()}.
 */
@Service
public class OrderBook {
    /** The workload allowed to read orders. */
    public static final String CHECKOUT = "wimse://sample.example/checkout";

    /** An order and the workload that read it. */
    public record Order(String id, String item, int quantity, String readBy) {
    }

    /** The order {@code id}, for the checkout workload only. */
    @PreAuthorize("authentication.name == 'wimse://sample.example/checkout'")
    public Order find(String id) {
        String caller = SecurityContextHolder.getContext().getAuthentication().getName();
        return new Order(id, "book", 1 + Math.floorMod(id.hashCode(), 5), caller);
    }
}
