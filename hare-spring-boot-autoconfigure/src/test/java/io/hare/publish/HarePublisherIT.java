package io.hare.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.publish.HarePublishException.Reason;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;
import io.hare.test.TcpProxy;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link HarePublisher} against the real broker: confirms, payload encoding, and each way a
 * publish can fail.
 */
class HarePublisherIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("published");

	private final String exchange = this.broker.exchange("shop");

	private ApplicationContextRunner runner() {
		return this.broker.contextRunner(HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class)
			.withPropertyValues("hare.publishers.orders.exchange=" + this.exchange,
					"hare.publishers.orders.routing-key=order.created", "test.queue=" + this.queue,
					"test.exchange=" + this.exchange);
	}

	private void bindQueue(String routingKey) {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin()
			.declareBinding(new Binding(this.queue, Binding.DestinationType.QUEUE, this.exchange, routingKey, null));
	}

	@Test
	void confirmedPublishArrivesPersistentWithAMessageId() {
		runner().run((context) -> {
			bindQueue("order.created");
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			PublishResult result = orders.publish(new OrderCreated(42, "ada", List.of("book")));
			assertThat(result.status()).isEqualTo(PublishResult.Status.PUBLISHED);
			assertThat(result.exchange()).isEqualTo(this.exchange);
			assertThat(result.routingKey()).isEqualTo("order.created");
			// Confirmed means enqueued: no waiting needed.
			assertThat(this.broker.depth(this.queue)).isEqualTo(1);
			Message message = this.broker.receive(this.queue, TIMEOUT);
			MessageProperties properties = message.getMessageProperties();
			assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
			assertThat(properties.getMessageId()).isEqualTo(result.messageId()).isNotBlank();
			assertThat(properties.getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_JSON);
			assertThat(properties.getTimestamp()).isNotNull();
			assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
				.isEqualTo("{\"id\":42,\"customer\":\"ada\",\"items\":[\"book\"]}");
		});
	}

	@Test
	void declaresTheExchangeDurableWhenThePublisherStarts() {
		runner().withPropertyValues("hare.publishers.orders.exchange-type=topic").run((context) -> {
			assertThat(context).hasNotFailed();
			String exchanges = this.broker.broker().ctl("list_exchanges", "name", "type", "durable");
			assertThat(exchanges).containsPattern(this.exchange + "\\s+topic\\s+true");
		});
	}

	@Test
	void jsonRoundTripsIntoAHareListener() {
		runner().withUserConfiguration(ListenerConfiguration.class).run((context) -> {
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			OrderCreated order = new OrderCreated(7, "grace", List.of("pen", "ink"));
			orders.publish(order);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			assertThat(invocations.payloads()).containsExactly(order);
		});
	}

	@Test
	void bytesStringsAndMessagesGoUntouched() {
		runner().run((context) -> {
			bindQueue("order.created");
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			byte[] bytes = { 0, (byte) 0xff, 0x7b, 0x22, 10 };
			orders.publish(bytes);
			orders.publish("{\"not\": \"re-encoded\"}");
			MessageProperties given = new MessageProperties();
			given.setContentType("application/xml");
			given.setMessageId("given-id");
			orders.publish(new Message("<order/>".getBytes(StandardCharsets.UTF_8), given));
			Message raw = this.broker.receive(this.queue, TIMEOUT);
			assertThat(raw.getBody()).isEqualTo(bytes);
			assertThat(raw.getMessageProperties().getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_BYTES);
			Message text = this.broker.receive(this.queue, TIMEOUT);
			assertThat(new String(text.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"not\": \"re-encoded\"}");
			assertThat(text.getMessageProperties().getContentType())
				.isEqualTo(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
			Message message = this.broker.receive(this.queue, TIMEOUT);
			assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("<order/>");
			assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/xml");
			assertThat(message.getMessageProperties().getMessageId()).isEqualTo("given-id");
		});
	}

	@Test
	void publishesToAnExchangeAndRoutingKeyGivenPerCallWithHeaders() {
		String other = this.broker.exchange("other");
		runner().run((context) -> {
			this.broker.admin().declareExchange(new org.springframework.amqp.core.DirectExchange(other));
			this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
			this.broker.admin()
				.declareBinding(new Binding(this.queue, Binding.DestinationType.QUEUE, other, "audit", null));
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			orders.publish(PublishRequest.of("audited")
				.exchange(other)
				.routingKey("audit")
				.messageId("audit-1")
				.header("x-source", "test")
				.properties((properties) -> properties.setPriority(3)));
			Message message = this.broker.receive(this.queue, TIMEOUT);
			assertThat(message.getMessageProperties().getMessageId()).isEqualTo("audit-1");
			assertThat(message.getMessageProperties().<String>getHeader("x-source")).isEqualTo("test");
			assertThat(message.getMessageProperties().getPriority()).isEqualTo(3);
			assertThat(message.getMessageProperties().getReceivedExchange()).isEqualTo(other);
		});
	}

	@Test
	void unroutableMessageRaisesUnroutableSyncAndAsync() {
		runner().run((context) -> {
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> orders.publish("nobody listens"))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNROUTABLE))
				.withMessageContaining(this.exchange)
				.withMessageContaining("NO_ROUTE");
			CompletableFuture<PublishResult> future = orders.publishAsync("nobody listens either");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(HarePublishException.class,
						(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNROUTABLE));
		});
	}

	@Test
	void publishToAMissingExchangeRaisesUnroutable() {
		String missing = this.broker.exchange("missing");
		runner().run((context) -> {
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThatExceptionOfType(HarePublishException.class)
				.isThrownBy(() -> orders.publish(missing, "any", "lost?"))
				.satisfies((ex) -> assertThat(ex.getReason()).as(ex.getMessage()).isEqualTo(Reason.UNROUTABLE))
				.withMessageContaining("does not exist");
			bindQueue("order.created");
			assertThat(orders.publish("the channel recovered").isPublished()).isTrue();
		});
	}

	@Test
	void brokerNackRaisesNacked() {
		runner().run((context) -> {
			this.broker.admin()
				.declareQueue(QueueBuilder.durable(this.queue).maxLength(1).overflow(QueueBuilder.Overflow.rejectPublish)
					.build());
			this.broker.admin()
				.declareBinding(new Binding(this.queue, Binding.DestinationType.QUEUE, this.exchange, "order.created",
						null));
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThat(orders.publish("fits").isPublished()).isTrue();
			assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> orders.publish("queue is full"))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.NACKED));
		});
	}

	@Test
	void unencodablePayloadRaisesEncodingFailed() {
		runner().run((context) -> {
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> orders.publish(new Unencodable()))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.ENCODING_FAILED))
				.withMessageContaining(Unencodable.class.getName());
		});
	}

	@Test
	void confirmNotInTimeRaisesTimedOutAndReleasesTheDedupClaim() {
		try (TcpProxy proxy = new TcpProxy(this.broker.broker().host(), this.broker.broker().port())) {
			// The publisher goes through a proxy that can hold the broker's confirms back.
			runner().withPropertyValues("hare.connections.slow.host=127.0.0.1",
					"hare.connections.slow.port=" + proxy.port(),
					"hare.connections.slow.username=" + this.broker.broker().username(),
					"hare.connections.slow.password=" + this.broker.broker().password(),
					"hare.connections.slow.virtual-host=" + this.broker.broker().virtualHost(),
					"hare.publishers.orders.connection=slow", "hare.publishers.orders.confirm-timeout=300ms",
					"hare.publishers.orders.dedup.ttl=10m")
				.run((context) -> {
					bindQueue("order.created");
					HarePublisher orders = context.getBean("orders", HarePublisher.class);
					assertThat(orders.publish("before").isPublished()).isTrue();
					proxy.holdConfirms();
					assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> orders.publish("held back"))
						.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.TIMED_OUT))
						.withMessageContaining("may still arrive");
					await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 2);
					proxy.releaseConfirms();
					assertThat(orders.publish("held back").isPublished()).as("the claim was released").isTrue();
					assertThat(this.broker.depth(this.queue)).as("delivered twice, as documented").isEqualTo(3);
				});
		}
	}

	@Test
	void manyAsyncPublishesInFlightAllArrive() {
		runner().run((context) -> {
			bindQueue("order.created");
			HarePublisher orders = context.getBean("orders", HarePublisher.class);
			List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
			for (int i = 0; i < 500; i++) {
				futures.add(orders.publishAsync(new OrderCreated(i, "bulk", List.of())));
			}
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			assertThat(futures).allSatisfy((future) -> assertThat(future.join().isPublished()).isTrue());
			assertThat(this.broker.depth(this.queue)).isEqualTo(500);
		});
	}

	@Test
	void injectsConfiguredPublishersByQualifierAndThroughTheRegistry() {
		runner().withPropertyValues("hare.publishers.audit.exchange=" + this.exchange)
			.withUserConfiguration(InjectionConfiguration.class)
			.run((context) -> {
				Injected injected = context.getBean(Injected.class);
				assertThat(injected.orders().getName()).isEqualTo("orders");
				assertThat(injected.audit().getName()).isEqualTo("audit");
				assertThat(context.getBean(InjectedByParameterName.class).audit().getName()).isEqualTo("audit");
				HarePublishers publishers = context.getBean(HarePublishers.class);
				assertThat(publishers.get("orders")).isSameAs(injected.orders());
				assertThat(publishers.getPublishers()).hasSize(2);
			});
	}

	@Test
	void builderMakesAPublisherInCodeThatIsRegistered() {
		runner().run((context) -> {
			bindQueue("built");
			HarePublishers publishers = context.getBean(HarePublishers.class);
			HarePublisher built = publishers.builder("built")
				.exchange(this.exchange)
				.routingKey("built")
				.confirmTimeout(Duration.ofSeconds(5))
				.build();
			assertThat(built.publish("from code").isPublished()).isTrue();
			assertThat(publishers.find("built")).containsSame(built);
			assertThat(this.broker.depth(this.queue)).isEqualTo(1);
		});
	}

	@Test
	void failsStartupNamingTheExchangeWhenItExistsWithAnotherType() {
		this.broker.admin().declareExchange(new org.springframework.amqp.core.TopicExchange(this.exchange));
		runner().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("'" + this.exchange + "'")
				.hasStackTraceContaining("orders")
				.hasStackTraceContaining("type");
		});
	}

	record OrderCreated(long id, String customer, List<String> items) {
	}

	/**
	 * A bean whose only property cannot be read.
	 */
	static class Unencodable {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

	record Injected(HarePublisher orders, HarePublisher audit) {
	}

	record InjectedByParameterName(HarePublisher audit) {
	}

	@Configuration(proxyBeanMethods = false)
	static class InjectionConfiguration {

		@Bean
		InjectedByParameterName injectedByParameterName(HarePublisher audit) {
			return new InjectedByParameterName(audit);
		}

		@Bean
		Injected injected(@Qualifier("orders") HarePublisher first, @Qualifier("audit") HarePublisher second) {
			return new Injected(first, second);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

		@Bean
		OrderListener orderListener(Invocations invocations) {
			return new OrderListener(invocations);
		}

	}

	static class OrderListener {

		private final Invocations invocations;

		OrderListener(Invocations invocations) {
			this.invocations = invocations;
		}

		@HareListener(queue = "${test.queue}", exchange = "${test.exchange}", routingKey = "order.created")
		void onOrder(OrderCreated order) {
			this.invocations.record(order);
		}

	}

}
