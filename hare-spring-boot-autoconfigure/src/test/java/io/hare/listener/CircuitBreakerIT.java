package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.actuate.HareEndpoint;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.event.HareCircuitBreakerEvent;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kill switch against the real broker: during an outage downstream the listener stops
 * consuming instead of running every message into the dead-letter queue, tries a few after its
 * wait, and consumes again once the handler recovers.
 */
class CircuitBreakerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("shipping");

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue, "hare.listeners.shipping.retry.limit=1",
				"hare.listeners.shipping.retry.delay=100ms",
				"hare.listeners.shipping.circuit-breaker.minimum-number-of-calls=4",
				"hare.listeners.shipping.circuit-breaker.sliding-window-size=4",
				"hare.listeners.shipping.circuit-breaker.permitted-calls-in-half-open-state=2")
		.withUserConfiguration(ShippingConfiguration.class);

	@Test
	void opensDuringAnOutageSoThatMessagesWaitInTheQueueThenClosesWhenTheHandlerRecovers() {
		publish(30);
		this.runner.withPropertyValues("hare.listeners.shipping.circuit-breaker.wait-in-open-state=2s")
			.run((context) -> {
				Shipping shipping = context.getBean(Shipping.class);
				HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
					.getListener("shipping")
					.orElseThrow();
				await().atMost(TIMEOUT).until(listener::isTripped);
				assertThat(listener.getCircuitBreakerState()).contains("open");
				await().atMost(TIMEOUT).until(() -> !listener.getContainer().isRunning());
				long waiting = this.broker.depth(this.queue);
				assertThat(waiting).as("the rest wait in the queue").isGreaterThan(10);
				assertThat(this.broker.depth(this.queue + ".dead")).as("nothing dead-lettered for the outage").isZero();
				shipping.down = false;
				await().atMost(TIMEOUT).until(() -> listener.getCircuitBreakerState().orElseThrow().equals("closed"));
				await().atMost(TIMEOUT).until(() -> shipping.shipped.get() == 30);
				assertThat(context.getBean(Transitions.class).transitions).containsSubsequence("closed>open",
						"open>half_open", "half_open>closed");
			});
	}

	@Test
	void aResetThroughTheRegistryConsumesAgainAtOnce() {
		publish(10);
		this.runner.withPropertyValues("hare.listeners.shipping.circuit-breaker.wait-in-open-state=10m")
			.run((context) -> {
				Shipping shipping = context.getBean(Shipping.class);
				HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
				HareListenerContainer listener = registry.getListener("shipping").orElseThrow();
				await().atMost(TIMEOUT).until(listener::isTripped);
				shipping.down = false;
				registry.resetCircuitBreaker("shipping");
				await().atMost(TIMEOUT).until(() -> shipping.shipped.get() == 10);
				assertThat(listener.isTripped()).isFalse();
			});
	}

	@Test
	void theEndpointShowsTheBreakerAndResetsIt() {
		publish(10);
		this.runner.withConfiguration(AutoConfigurations.of(HareOperationsAutoConfiguration.class,
				EndpointAutoConfiguration.class, HareEndpointAutoConfiguration.class))
			.withPropertyValues("hare.listeners.shipping.circuit-breaker.wait-in-open-state=10m",
					"management.endpoint.hare.access=UNRESTRICTED", "management.endpoints.web.exposure.include=hare")
			.run((context) -> {
				HareEndpoint endpoint = context.getBean(HareEndpoint.class);
				await().atMost(TIMEOUT).until(() -> "open".equals(endpoint.listener("shipping").circuitBreaker()));
				assertThat(endpoint.listener("shipping").state()).isEqualTo("circuit-open");
				context.getBean(Shipping.class).down = false;
				HareEndpoint.ListenerDescriptor reset = (HareEndpoint.ListenerDescriptor) endpoint.operate("shipping",
						"reset-circuit-breaker", null, null, null, null, null, null);
				assertThat(reset.circuitBreaker()).isEqualTo("closed");
				await().atMost(TIMEOUT).until(() -> context.getBean(Shipping.class).shipped.get() == 10);
			});
	}

	private void publish(int count) {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		for (int i = 0; i < count; i++) {
			this.broker.publishJson("", this.queue, "\"parcel " + i + "\"");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ShippingConfiguration {

		@Bean
		Shipping shipping() {
			return new Shipping();
		}

		@Bean
		Transitions transitions() {
			return new Transitions();
		}

	}

	static class Transitions implements ApplicationListener<HareCircuitBreakerEvent> {

		final List<String> transitions = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(HareCircuitBreakerEvent event) {
			this.transitions.add(event.getFrom() + ">" + event.getTo());
		}

	}

	static class Shipping {

		volatile boolean down = true;

		final AtomicInteger shipped = new AtomicInteger();

		@HareListener(id = "shipping", queue = "${test.queue}", prefetch = 1)
		void onParcel(String parcel) {
			if (this.down) {
				throw new IllegalStateException("carrier API unavailable");
			}
			this.shipped.incrementAndGet();
		}

	}

}
