package io.hare.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.hare.listener.HareListener;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * The application the harness's tests run: one listener with a 1 s, 10 s, 1 min cascade, and
 * an "orders" publisher from the tests' properties.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ShopApplication.Orders.class)
class ShopApplication {

	record Order(long id, String item, int quantity) {
	}

	@Component
	static class Orders {

		private final List<Order> received = new CopyOnWriteArrayList<>();

		// Fails each attempt for "out-of-stock", the first only for "flaky"; a bad quantity at once.
		@HareListener(id = "orders", queue = "orders", exchange = "shop", routingKey = "order.created",
				retryLimit = 3, delays = { "1s", "10s", "1m" }, nonRetryable = IllegalArgumentException.class)
		void onOrder(Order order) {
			boolean first = this.received.stream().noneMatch((earlier) -> earlier.id() == order.id());
			this.received.add(order);
			if (order.quantity() <= 0) {
				throw new IllegalArgumentException("no quantity in order " + order.id());
			}
			if (order.item().equals("out-of-stock") || (order.item().equals("flaky") && first)) {
				throw new IllegalStateException("out of stock: order " + order.id());
			}
		}

	}

}
