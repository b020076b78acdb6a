package io.hare.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.autoconfigure.actuate.HareHealthContributorAutoConfiguration;
import io.hare.autoconfigure.actuate.HareMetricsAutoConfiguration;
import io.hare.event.HareEvent;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;

import org.springframework.amqp.core.Message;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.convert.support.ConfigurableConversionService;

/**
 * A context with one {@code orders} listener on the real broker, every operations part
 * configured, and the handler, events and meters a test needs to look at.
 */
final class HareOperationsTestSupport {

	private HareOperationsTestSupport() {
	}

	static ApplicationContextRunner runner(BrokerFixture broker, String queue, String exchange) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
					HareOperationsAutoConfiguration.class, EndpointAutoConfiguration.class,
					HareEndpointAutoConfiguration.class, HareHealthContributorAutoConfiguration.class,
					HareMetricsAutoConfiguration.class))
			// As in a SpringApplication, so that "read-only" binds to Access.READ_ONLY.
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
			.withPropertyValues(broker.broker().springProperties())
			.withPropertyValues("test.queue=" + queue, "test.exchange=" + exchange,
					"management.endpoints.web.exposure.include=hare", "management.endpoint.hare.access=unrestricted",
					"hare.redrive.rate=0")
			.withUserConfiguration(OrdersConfiguration.class);
	}

	static String orderJson(int id, int failures) {
		return "{\"id\":" + id + ",\"failures\":" + failures + "}";
	}

	/**
	 * An order that makes the handler throw {@code failures} times before it succeeds, or throw
	 * a non-retryable exception while {@link OrdersListener#rejectInvalid} is set when
	 * {@code failures} is -1.
	 */
	record Order(int id, int failures) {
	}

	static class OrdersListener {

		final Invocations invocations = new Invocations();

		final List<Message> messages = new CopyOnWriteArrayList<>();

		volatile boolean rejectInvalid = true;

		private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

		@HareListener(id = "orders", queue = "${test.queue}", exchange = "${test.exchange}",
				routingKey = "order.created", retryLimit = 1, delay = "200ms",
				nonRetryable = IllegalArgumentException.class)
		void onOrder(Order order, Message message) {
			this.invocations.record(order);
			this.messages.add(message);
			if (order.failures() == -1 && this.rejectInvalid) {
				throw new IllegalArgumentException("invalid order " + order.id());
			}
			if (this.attempts.computeIfAbsent(order.id(), (id) -> new AtomicInteger()).incrementAndGet() <= order
				.failures()) {
				throw new IllegalStateException("boom " + order.id());
			}
		}

	}

	static class Events {

		final List<HareEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(HareEvent event) {
			this.events.add(event);
		}

		<E extends HareEvent> List<E> of(Class<E> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersConfiguration {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
