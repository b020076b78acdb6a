package io.hare.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.context.ApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The applications a Spring Cloud Stream user writes with the RabbitMQ binder: a
 * {@code Consumer<Order>} function bound to an existing queue, and {@code StreamBridge} to
 * publish. Started with {@link SpringContexts#startStream}, so that Hare's auto-configuration
 * stays out of them.
 */
final class StreamApplications {

	/**
	 * The input binding of the {@code drain} and {@code retry} functions.
	 */
	static final String DRAIN_BINDING = "drain-in-0";

	static final String RETRY_BINDING = "retry-in-0";

	/**
	 * The output binding {@code StreamBridge} publishes to.
	 */
	static final String PUBLISH_BINDING = "publish-out-0";

	private StreamApplications() {
	}

	/**
	 * Return the properties that bind a function's input to an existing queue with the
	 * benchmarks' consumer settings: the binder's consumer on that queue alone (no exchange,
	 * no binding), its prefetch, consumers and ack mode, started by the round, not the context.
	 * @param binding the input binding
	 * @param queue the queue
	 * @param options the options
	 * @return the properties
	 */
	static Map<String, Object> consumer(String binding, String queue, BenchmarkOptions options) {
		Map<String, Object> properties = new LinkedHashMap<>();
		String function = binding.substring(0, binding.indexOf('-'));
		String common = "spring.cloud.stream.bindings." + binding;
		String rabbit = "spring.cloud.stream.rabbit.bindings." + binding + ".consumer";
		properties.put("spring.cloud.function.definition", function);
		properties.put(common + ".destination", queue);
		properties.put(common + ".group", queue);
		properties.put(common + ".consumer.concurrency", options.concurrency());
		properties.put(rabbit + ".max-concurrency", options.concurrency());
		properties.put(rabbit + ".prefetch", options.prefetch());
		properties.put(rabbit + ".acknowledge-mode", "AUTO");
		properties.put(rabbit + ".queue-name-group-only", true);
		properties.put(rabbit + ".bind-queue", false);
		properties.put(rabbit + ".declare-exchange", false);
		return properties;
	}

	/**
	 * Return the properties of the output binding {@code StreamBridge} publishes to: an existing
	 * exchange and a fixed routing key, persistent messages (not mandatory), and each confirm completing the
	 * {@code CorrelationData} in the message's header.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @return the properties
	 */
	static Map<String, Object> producer(String exchange, String routingKey) {
		Map<String, Object> properties = new LinkedHashMap<>();
		String rabbit = "spring.cloud.stream.rabbit.bindings." + PUBLISH_BINDING + ".producer";
		// Bound at start-up, not on the first send, as an application declares the bindings it uses.
		properties.put("spring.cloud.stream.output-bindings", PUBLISH_BINDING.substring(0, PUBLISH_BINDING.indexOf('-')));
		properties.put("spring.cloud.stream.bindings." + PUBLISH_BINDING + ".destination", exchange);
		properties.put("spring.cloud.stream.bindings." + PUBLISH_BINDING + ".content-type", "application/json");
		properties.put(rabbit + ".declare-exchange", false);
		properties.put(rabbit + ".routing-key-expression", "'" + routingKey + "'");
		properties.put(rabbit + ".delivery-mode", "PERSISTENT");
		properties.put(rabbit + ".use-confirm-header", true);
		// Not mandatory: the binder sets it only with the producer's error channel enabled, and binder
		// 5.0.4 then fails to unbind that channel when the context closes. Every message here routes.
		return properties;
	}

	/**
	 * Return a switch for a binding: each round starts it on a full queue and stops it.
	 * @param application the application
	 * @param binding the binding
	 * @return its lifecycle
	 */
	static Lifecycle binding(ApplicationContext application, String binding) {
		BindingsLifecycleController controller = application.getBean(BindingsLifecycleController.class);
		return new Lifecycle() {

			// The binding is bound with auto-startup off: the first round starts it.
			private volatile boolean running;

			@Override
			public void start() {
				controller.start(binding);
				this.running = true;
			}

			@Override
			public void stop() {
				controller.stop(binding);
				this.running = false;
			}

			@Override
			public boolean isRunning() {
				return this.running;
			}

		};
	}

	/**
	 * Consumes orders as the drain's other contenders do.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Drain {

		@Bean
		MessageProbe messageProbe() {
			return new MessageProbe();
		}

		@Bean
		Consumer<Order> drain(MessageProbe probe) {
			return probe::record;
		}

	}

	/**
	 * Fails each order a set number of times; the binder sends it through its dead-letter
	 * queue, whose TTL brings it back.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Retry {

		@Bean
		RetryProbe retryProbe() {
			return new RetryProbe();
		}

		@Bean
		Consumer<Order> retry(RetryProbe probe) {
			return probe::attempt;
		}

	}

	/**
	 * Publishes with {@code StreamBridge}; no function.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Publish {

	}

}
