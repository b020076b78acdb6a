package io.hare.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link HareListener} against the real broker: acks, retries through delay queues,
 * dead letters with their reasons, and the topology it declares.
 */
class HareListenerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("orders");

	private final String exchange = this.broker.exchange("shop");

	private ApplicationContextRunner runner(Class<?> listenerConfiguration) {
		return this.broker.contextRunner()
			.withPropertyValues("test.queue=" + this.queue, "test.exchange=" + this.exchange)
			.withUserConfiguration(listenerConfiguration);
	}

	private void publishOrder(int id, int failures) {
		this.broker.publishJson(this.exchange, "order.created", orderJson(id, failures));
	}

	private static String orderJson(int id, int failures) {
		return "{\"id\":" + id + ",\"failures\":" + failures + "}";
	}

	@Test
	void acksWhenTheHandlerReturns() {
		runner(FixedDelayConfiguration.class).run((context) -> {
			publishOrder(1, 0);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			assertThat(invocations.payloads()).containsExactly(new Order(1, 0));
			await().atMost(TIMEOUT).until(() -> unacked(this.queue) == 0);
			assertThat(this.broker.depth(this.queue)).isZero();
			assertThat(this.broker.depth(this.queue + ".dead")).isZero();
			assertThat(invocations.count()).isEqualTo(1);
		});
	}

	@Test
	void retriesAfterTheFixedDelayThenSucceeds() {
		runner(FixedDelayConfiguration.class).run((context) -> {
			publishOrder(2, 2);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 3);
			assertThat(invocations.gaps()).allSatisfy((gap) -> assertThat(gap).isBetween(Duration.ofMillis(180),
					Duration.ofMillis(200).plusSeconds(2)));
			await().atMost(TIMEOUT).until(() -> unacked(this.queue) == 0);
			assertThat(this.broker.depth(this.queue + ".delay")).isZero();
			assertThat(this.broker.depth(this.queue + ".dead")).isZero();
		});
	}

	@Test
	void cascadeWaitsEachDelayInTurn() {
		runner(CascadeConfiguration.class).run((context) -> {
			publishOrder(3, 4);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 5);
			List<Duration> gaps = invocations.gaps();
			// delays = {200ms, 1s, 2s}: the fourth retry reuses the last delay.
			List<Duration> expected = List.of(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2),
					Duration.ofSeconds(2));
			for (int i = 0; i < expected.size(); i++) {
				Duration delay = expected.get(i);
				assertThat(gaps.get(i)).as("gap before retry %d", i + 1)
					.isBetween(delay.multipliedBy(9).dividedBy(10), delay.plusMillis(900));
			}
			assertThat(this.broker.depth(this.queue + ".delay.1")).isZero();
			assertThat(this.broker.depth(this.queue + ".delay.3")).isZero();
			assertThat(this.broker.depth(this.queue + ".delay")).as("no fixed-delay queue for a cascade").isEqualTo(-1);
		});
	}

	@Test
	void deadLettersAfterRetryLimitWithReasonHeadersAndTheOriginalBody() {
		runner(FixedDelayConfiguration.class).run((context) -> {
			Instant before = Instant.now();
			publishOrder(4, 99);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(new String(dead.getBody())).isEqualTo(orderJson(4, 99));
			Map<String, Object> headers = dead.getMessageProperties().getHeaders();
			assertThat(headers).containsEntry(HareHeaders.ATTEMPT, 3)
				.containsEntry(HareHeaders.EXCEPTION, IllegalStateException.class.getName())
				.containsEntry(HareHeaders.EXCEPTION_MESSAGE, "boom 4")
				.containsEntry(HareHeaders.LISTENER, "orders")
				.containsEntry(HareHeaders.ORIGINAL_EXCHANGE, this.exchange)
				.containsEntry(HareHeaders.ORIGINAL_ROUTING_KEY, "order.created");
			assertThat(Instant.parse(headers.get(HareHeaders.FAILED_AT).toString())).isAfter(before);
			Invocations invocations = context.getBean(Invocations.class);
			assertThat(invocations.count()).as("the first attempt and two retries").isEqualTo(3);
			assertThat(this.broker.depth(this.queue)).isZero();
			assertThat(this.broker.depth(this.queue + ".delay")).isZero();
		});
	}

	@Test
	void deadLettersUndecodableJsonAtOnceWithoutCallingTheHandler() {
		runner(FixedDelayConfiguration.class).run((context) -> {
			this.broker.publishJson(this.exchange, "order.created", "{not json");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(new String(dead.getBody())).isEqualTo("{not json");
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 1)
				.containsEntry(HareHeaders.EXCEPTION,
						org.springframework.amqp.support.converter.MessageConversionException.class.getName());
			assertThat(context.getBean(Invocations.class).count()).isZero();
			publishOrder(5, 0);
			await().atMost(TIMEOUT).until(() -> context.getBean(Invocations.class).count() == 1);
		});
	}

	@Test
	void deadLettersANonRetryableExceptionAtOnce() {
		runner(FixedDelayConfiguration.class).run((context) -> {
			publishOrder(6, -1);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 1)
				.containsEntry(HareHeaders.EXCEPTION, IllegalArgumentException.class.getName());
			assertThat(context.getBean(Invocations.class).count()).isEqualTo(1);
		});
	}

	@Test
	void retryOnATopicExchangeDoesNotReachAnotherQueueBoundToIt() {
		String bystander = this.broker.queue("bystander");
		runner(TopicConfiguration.class).run((context) -> {
			this.broker.admin().declareQueue(QueueBuilder.durable(bystander).build());
			this.broker.admin()
				.declareBinding(new org.springframework.amqp.core.Binding(bystander,
						org.springframework.amqp.core.Binding.DestinationType.QUEUE, this.exchange, "#", null));
			publishOrder(7, 2);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 3);
			await().atMost(TIMEOUT).until(() -> unacked(this.queue) == 0);
			assertThat(this.broker.depth(bystander)).as("only the original reached the other queue").isEqualTo(1);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "-5", "not-a-number", "2.5" })
	void countsATamperedAttemptHeaderAsZero(String tampered) {
		runner(FixedDelayConfiguration.class).run((context) -> {
			Object value = tampered.equals("-5") ? (Object) (-5) : tampered;
			this.broker.publishJson(this.exchange, "order.created", orderJson(8, 99),
					Map.of(HareHeaders.ATTEMPT, value));
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 3);
			assertThat(context.getBean(Invocations.class).count()).isEqualTo(3);
		});
	}

	@Test
	void failsStartupNamingTheQueueAndArgumentOfADeclarationConflict() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).ttl(60_000).build());
		runner(FixedDelayConfiguration.class).withPropertyValues("hare.listeners.orders.queue.message-ttl=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isNotNull();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("'" + this.queue + "'")
					.hasStackTraceContaining("x-message-ttl");
			});
	}

	@Test
	void declaresTheWorkQueueWithItsQueueArguments() {
		runner(FixedDelayConfiguration.class)
			.withPropertyValues("hare.listeners.orders.queue.max-length=2", "hare.listeners.orders.queue.overflow=reject-publish",
					"hare.listeners.orders.queue.max-priority=5", "hare.listeners.orders.queue.arguments.x-queue-mode=lazy")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.broker.broker().ctl("list_queues", "name", "arguments"))
					.containsPattern(this.queue + "\\s+.*x-max-length\",2")
					.containsPattern(this.queue + "\\s+.*x-overflow\",\"reject-publish\"")
					.containsPattern(this.queue + "\\s+.*x-max-priority\",5")
					.containsPattern(this.queue + "\\s+.*x-queue-mode\",\"lazy\"");
			});
	}

	@Test
	void declaresAQuorumWorkQueueItsDeadLetterAndDelayQueuesWithTheirInitialGroupSize() {
		runner(FixedDelayConfiguration.class)
			.withPropertyValues("hare.listeners.orders.queue.type=quorum", "hare.listeners.orders.queue.initial-group-size=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String queues = this.broker.broker().ctl("list_queues", "name", "arguments");
				for (String queue : List.of(this.queue, this.queue + ".dead", this.queue + ".delay")) {
					assertThat(queues).containsPattern("(?m)^" + Pattern.quote(queue) + "\\s+.*x-quorum-initial-group-size\",1");
				}
			});
	}

	@Test
	void startsOnAConflictWhenToldToIgnoreIt() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).ttl(60_000).build());
		runner(FixedDelayConfiguration.class)
			.withPropertyValues("hare.listeners.orders.queue.message-ttl=5s", "hare.topology.ignore-declaration-conflicts=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				publishOrder(9, 0);
				await().atMost(TIMEOUT).until(() -> context.getBean(Invocations.class).count() == 1);
			});
	}

	@Test
	void propertiesOverrideTheAnnotation() {
		runner(FixedDelayConfiguration.class)
			.withPropertyValues("hare.listeners.orders.retry.limit=0", "hare.listeners.orders.concurrency=3")
			.run((context) -> {
				HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
					.getListener("orders")
					.orElseThrow();
				await().atMost(TIMEOUT).until(() -> listener.getContainer().getActiveConsumerCount() == 3);
				publishOrder(10, 5);
				Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
				assertThat(dead).isNotNull();
				assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 1);
				assertThat(context.getBean(Invocations.class).count()).isEqualTo(1);
			});
	}

	@Test
	void declaresQuorumQueuesAndRetriesThroughThem() {
		runner(QuorumConfiguration.class).run((context) -> {
			String types = this.broker.broker().ctl("list_queues", "name", "type");
			assertThat(types).containsPattern(this.queue + "\\s+quorum")
				.containsPattern(this.queue + "\\.delay\\s+quorum")
				.containsPattern(this.queue + "\\.dead\\s+quorum");
			publishOrder(11, 1);
			await().atMost(TIMEOUT).until(() -> context.getBean(Invocations.class).count() == 2);
		});
	}

	@Test
	void resumesConsumingAfterTheBrokerClosesAllConnections() {
		runner(FixedDelayConfiguration.class).run((context) -> {
			Invocations invocations = context.getBean(Invocations.class);
			publishOrder(12, 0);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			this.broker.broker().ctl("close_all_connections", "hare connection test");
			await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
				publishOrder(13, 0);
				assertThat(invocations.payloads()).contains(new Order(13, 0));
			});
		});
	}

	private int unacked(String queue) {
		String line = this.broker.broker()
			.ctl("list_queues", "name", "messages_unacknowledged")
			.lines()
			.filter((candidate) -> candidate.startsWith(queue + "\t"))
			.findFirst()
			.orElseThrow();
		return Integer.parseInt(line.substring(line.indexOf('\t') + 1).trim());
	}

	/**
	 * An order that makes the handler throw {@code failures} times before it succeeds, or
	 * throw a non-retryable exception when {@code failures} is -1.
	 */
	record Order(int id, int failures) {
	}

	static class OrderHandler {

		private final Invocations invocations;

		private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

		OrderHandler(Invocations invocations) {
			this.invocations = invocations;
		}

		void handle(Order order) {
			this.invocations.record(order);
			if (order.failures() == -1) {
				throw new IllegalArgumentException("invalid order " + order.id());
			}
			if (this.attempts.computeIfAbsent(order.id(), (id) -> new AtomicInteger()).incrementAndGet() <= order
				.failures()) {
				throw new IllegalStateException("boom " + order.id());
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InvocationsConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(InvocationsConfiguration.class)
	static class FixedDelayConfiguration {

		@Bean
		FixedDelayListener fixedDelayListener(Invocations invocations) {
			return new FixedDelayListener(invocations);
		}

	}

	static class FixedDelayListener extends OrderHandler {

		FixedDelayListener(Invocations invocations) {
			super(invocations);
		}

		@HareListener(id = "orders", queue = "${test.queue}", exchange = "${test.exchange}",
				routingKey = "order.created", retryLimit = 2, delay = "200ms",
				nonRetryable = IllegalArgumentException.class)
		void onOrder(Order order) {
			handle(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(InvocationsConfiguration.class)
	static class CascadeConfiguration {

		@Bean
		CascadeListener cascadeListener(Invocations invocations) {
			return new CascadeListener(invocations);
		}

	}

	static class CascadeListener extends OrderHandler {

		CascadeListener(Invocations invocations) {
			super(invocations);
		}

		@HareListener(queue = "${test.queue}", exchange = "${test.exchange}", routingKey = "order.created",
				retryLimit = 5, delays = { "200ms", "1s", "2s" })
		void onOrder(Order order) {
			handle(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(InvocationsConfiguration.class)
	static class TopicConfiguration {

		@Bean
		TopicListener topicListener(Invocations invocations) {
			return new TopicListener(invocations);
		}

	}

	static class TopicListener extends OrderHandler {

		TopicListener(Invocations invocations) {
			super(invocations);
		}

		@HareListener(queue = "${test.queue}", exchange = "${test.exchange}", exchangeType = "topic",
				routingKey = "order.*", delay = "200ms")
		void onOrder(Order order) {
			handle(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(InvocationsConfiguration.class)
	static class QuorumConfiguration {

		@Bean
		QuorumListener quorumListener(Invocations invocations) {
			return new QuorumListener(invocations);
		}

	}

	static class QuorumListener extends OrderHandler {

		QuorumListener(Invocations invocations) {
			super(invocations);
		}

		@HareListener(queue = "${test.queue}", exchange = "${test.exchange}", routingKey = "order.created",
				queueType = QueueType.QUORUM, delay = "200ms")
		void onOrder(Order order) {
			handle(order);
		}

	}

}
