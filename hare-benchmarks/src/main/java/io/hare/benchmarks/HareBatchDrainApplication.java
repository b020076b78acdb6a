package io.hare.benchmarks;

import java.util.List;

import io.hare.listener.HareListener;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application a Hare user writes to consume orders in batches: one {@link HareListener}
 * method taking a {@code List}, its batch size from {@code hare.listeners.drain.batch.size}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class HareBatchDrainApplication {

	@Bean
	MessageProbe messageProbe() {
		return new MessageProbe();
	}

	@Bean
	OrdersListener ordersListener(MessageProbe probe) {
		return new OrdersListener(probe);
	}

	static class OrdersListener {

		private final MessageProbe probe;

		OrdersListener(MessageProbe probe) {
			this.probe = probe;
		}

		@HareListener(id = "drain", queue = "${bench.queue}")
		void onOrders(List<Order> orders) {
			orders.forEach(this.probe::record);
		}

	}

}
