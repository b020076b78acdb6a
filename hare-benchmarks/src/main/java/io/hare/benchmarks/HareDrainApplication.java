package io.hare.benchmarks;

import io.hare.listener.HareListener;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application a Hare user writes to consume orders: one {@link HareListener} method, its
 * prefetch and concurrency from {@code hare.listeners.drain.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class HareDrainApplication {

	@Bean
	MessageProbe messageProbe() {
		return new MessageProbe();
	}

	@Bean
	OrderListener orderListener(MessageProbe probe) {
		return new OrderListener(probe);
	}

	static class OrderListener {

		private final MessageProbe probe;

		OrderListener(MessageProbe probe) {
			this.probe = probe;
		}

		@HareListener(id = "drain", queue = "${bench.queue}")
		void onOrder(Order order) {
			this.probe.record(order);
		}

	}

}
