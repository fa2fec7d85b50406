package io.wimse4j.sample.orders;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /orders/{id}}: the order, as JSON, for an authorized workload. */
@RestController
public class OrdersController {
    private final OrderBook book;

    OrdersController(OrderBook book) {
        this.book = book;
    }

    /** The order {@code id}. */
    @GetMapping("/orders/{id}")
    public OrderBook.Order order(@PathVariable("id") String id) {
        return book.find(id);
    }
}
