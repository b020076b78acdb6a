package io.hare.benchmarks;

import io.hare.listener.HareListener;
import io.hare.topology.QueueType;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application a Hare user writes to read orders from a stream: one {@link HareListener}
 * method on a stream; {@code hare.streams.enabled} chooses the stream protocol or AMQP 0-9-1.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class HareStreamDrainApplication {

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

		@HareListener(id = "drain", queue = "${bench.queue}", queueType = QueueType.STREAM, streamOffset = "first")
		void onOrder(Order order) {
			this.probe.record(order);
		}

	}

}
