package io.hare.benchmarks;

import io.hare.listener.HareListener;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Hare application that publishes orders with a delay through {@code hare.publishers.bench}
 * and consumes them with a {@link HareListener}, delay levels under their own prefix.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class HareDelaysApplication {

	@Bean
	DelayProbe delayProbe() {
		return new DelayProbe();
	}

	@Bean
	DelayedOrderListener delayedOrderListener(DelayProbe probe) {
		return new DelayedOrderListener(probe);
	}

	static class DelayedOrderListener {

		private final DelayProbe probe;

		DelayedOrderListener(DelayProbe probe) {
			this.probe = probe;
		}

		@HareListener(id = "delays", queue = "${bench.queue}")
		void onOrder(Order order) {
			this.probe.arrived(order);
		}

	}

}
