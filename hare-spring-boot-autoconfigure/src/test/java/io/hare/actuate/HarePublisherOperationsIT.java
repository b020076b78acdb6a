package io.hare.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.actuate.HareEndpoint.PublisherDescriptor;
import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.autoconfigure.actuate.HareMetricsAutoConfiguration;
import io.hare.event.HarePublishFailedEvent;
import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.publish.PublishResult;
import io.hare.test.BrokerFixture;
import io.hare.test.ObservedNames;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the endpoint, the metrics and the events say about a deduplicating publisher after
 * real publishes to the real broker.
 */
class HarePublisherOperationsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("receipts");

	private final String exchange = this.broker.exchange("receipts");

	private ApplicationContextRunner runner() {
		return this.broker.contextRunner(HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class, HareOperationsAutoConfiguration.class, EndpointAutoConfiguration.class, HareEndpointAutoConfiguration.class, HareMetricsAutoConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=hare",
					"hare.publishers.receipts.exchange=" + this.exchange,
					"hare.publishers.receipts.routing-key=receipt.issued", "hare.publishers.receipts.dedup.ttl=1m",
					"hare.publishers.receipts.dedup.keys=orderId")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(FailedEvents.class, FailedEvents::new);
	}

	private HarePublisher receipts(ApplicationContext context) {
		HarePublisher publisher = context.getBean(HarePublishers.class).get("receipts");
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin()
			.declareBinding(new Binding(this.queue, DestinationType.QUEUE, this.exchange, "receipt.issued", null));
		return publisher;
	}

	@Test
	void endpointMetricsAndEventsCountPublishedDuplicateAndReturnedMessages() {
		runner().run((context) -> {
			HarePublisher publisher = receipts(context);
			assertThat(publisher.publish(Map.of("orderId", 1)).status()).isEqualTo(PublishResult.Status.PUBLISHED);
			assertThat(publisher.publish(Map.of("orderId", 1)).status()).isEqualTo(PublishResult.Status.DUPLICATE);
			assertThat(publisher.publish(Map.of("orderId", 2)).status()).isEqualTo(PublishResult.Status.PUBLISHED);
			assertThatExceptionOfType(HarePublishException.class)
				.isThrownBy(() -> publisher.publish(this.exchange, "nowhere", Map.of("orderId", 3)))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(HarePublishException.Reason.UNROUTABLE));
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 2);

			PublisherDescriptor described = context.getBean(HareEndpoint.class).hare().publishers().get("receipts");
			assertThat(described.exchange()).isEqualTo(this.exchange);
			assertThat(described.routingKey()).isEqualTo("receipt.issued");
			assertThat(described.connection()).isEqualTo("default");
			assertThat(described.dedup()).isNotNull();
			assertThat(described.dedup().ttl()).isEqualTo("PT1M");
			assertThat(described.dedup().keys()).contains("orderId");
			assertThat(described.counts().published()).isEqualTo(2);
			assertThat(described.counts().duplicate()).isEqualTo(1);
			assertThat(described.counts().returned()).isEqualTo(1);
			assertThat(described.counts().failed()).isZero();

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("hare.messages.published")
				.tags("publisher", "receipts", "exchange", this.exchange, "outcome", "published", "reason", "none")
				.counter()
				.count()).isEqualTo(2);
			assertThat(registry.get("hare.messages.published").tags("outcome", "duplicate").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("hare.messages.published")
				.tags("outcome", "returned", "reason", "unroutable")
				.counter()
				.count()).isEqualTo(1);

			assertThat(context.getBean(FailedEvents.class).events).singleElement().satisfies((event) -> {
				assertThat(event.getPublisherName()).isEqualTo("receipts");
				assertThat(event.getReason()).isEqualTo(HarePublishException.Reason.UNROUTABLE);
				assertThat(event.getRoutingKey()).isEqualTo("nowhere");
			});
		});
	}

	@Test
	void observesEveryPublishWhenObservationIsEnabled() {
		ObservedNames handler = new ObservedNames();
		runner().withPropertyValues("hare.observation.enabled=true").withBean(ObservationRegistry.class, () -> {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(handler);
			return registry;
		}).run((context) -> {
			HarePublisher publisher = receipts(context);
			publisher.publish(Map.of("orderId", 7));
			assertThat(handler.names).contains("spring.rabbit.template");
		});
	}

	static class FailedEvents {

		final List<HarePublishFailedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(HarePublishFailedEvent event) {
			this.events.add(event);
		}

	}

}
