package io.hare.benchmarks;

import io.hare.listener.HareListener;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Hare application whose handler fails every message a set number of times, its retry
 * limit and delays from {@code hare.listeners.retry.retry.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class HareRetryApplication {

	@Bean
	RetryProbe retryProbe() {
		return new RetryProbe();
	}

	@Bean
	FailingListener failingListener(RetryProbe probe) {
		return new FailingListener(probe);
	}

	static class FailingListener {

		private final RetryProbe probe;

		FailingListener(RetryProbe probe) {
			this.probe = probe;
		}

		@HareListener(id = "retry", queue = "${bench.queue}")
		void onOrder(Order order) {
			this.probe.attempt(order);
		}

	}

}
