package io.hare.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishRequest;
import io.hare.publish.PublishResult;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Delayed delivery through the delay levels against the real broker, through the publisher and
 * the sender: order of due time, lateness, long delays, headers, undeliverable messages and
 * re-declaration.
 */
class DelayedDeliveryIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final DelayLevelsFixture levels = new DelayLevelsFixture();

	private final BrokerFixture broker = this.levels.broker();

	private final String queue = this.broker.queue("reminders");

	private final String exchange = this.broker.exchange("reminders");

	private final ApplicationContextRunner runner = this.broker.contextRunner(HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class, HareDelayAutoConfiguration.class)
		.withPropertyValues(this.levels.prefixProperty(), "hare.publishers.reminders.exchange=" + this.exchange,
				"hare.publishers.reminders.routing-key=remind");

	private void declareDestination() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin().declareExchange(new DirectExchange(this.exchange));
		this.broker.admin()
			.declareBinding(new Binding(this.queue, DestinationType.QUEUE, this.exchange, "remind", null));
	}

	private static Message text(String body) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

	@Test
	void deliversInOrderOfDueTimeNotOfPublishTime() {
		declareDestination();
		this.runner.run((context) -> {
			HarePublisher reminders = context.getBean("reminders", HarePublisher.class);
			try (Arrivals arrivals = new Arrivals(this.queue)) {
				Map<String, Instant> due = new HashMap<>();
				for (int seconds : new int[] { 10, 3, 1, 0 }) {
					Instant sent = Instant.now();
					reminders.publish(String.valueOf(seconds), Duration.ofSeconds(seconds));
					due.put(String.valueOf(seconds), sent.plusSeconds(seconds));
				}
				await().atMost(TIMEOUT).until(() -> arrivals.count() == 4);
				assertThat(arrivals.bodies()).containsExactly("0", "1", "3", "10");
				assertThat(arrivals.all()).allSatisfy((arrival) -> assertThat(arrival.at())
					.isBetween(due.get(arrival.body()), due.get(arrival.body()).plusSeconds(1)));
			}
		});
	}

	@Test
	void deliversTwoHundredRandomDelaysWithLatenessP99UnderOneSecond() {
		declareDestination();
		this.runner.run((context) -> {
			HarePublisher reminders = context.getBean("reminders", HarePublisher.class);
			long seed = System.nanoTime();
			Random random = new Random(seed);
			try (Arrivals arrivals = new Arrivals(this.queue)) {
				Map<String, Instant> due = new HashMap<>();
				for (int i = 0; i < 200; i++) {
					int seconds = 1 + random.nextInt(20);
					Instant sent = Instant.now();
					reminders.publish(String.valueOf(i), Duration.ofSeconds(seconds));
					due.put(String.valueOf(i), sent.plusSeconds(seconds));
				}
				await().atMost(Duration.ofSeconds(45)).until(() -> arrivals.count() == 200);
				List<Long> lateness = arrivals.all()
					.stream()
					.map((arrival) -> Duration.between(due.get(arrival.body()), arrival.at()).toMillis())
					.sorted()
					.toList();
				long p50 = lateness.get(99);
				long p99 = lateness.get(197);
				System.out.printf("Delay lateness over 200 messages (seed %d): min %d ms, p50 %d ms, p99 %d ms, "
						+ "max %d ms%n", seed, lateness.get(0), p50, p99, lateness.get(199));
				assertThat(lateness.get(0)).as("no message arrives before it is due").isNotNegative();
				assertThat(p99).as("p99 lateness in ms").isLessThanOrEqualTo(1000);
				assertThat(arrivals.bodies()).doesNotHaveDuplicates();
			}
		});
	}

	@Test
	void acceptsADelayOfYearsAndRoutesItThroughEachLevelOfItsDigits() {
		declareDestination();
		this.runner.run((context) -> {
			HarePublisher reminders = context.getBean("reminders", HarePublisher.class);
			DelayTopology topology = this.levels.topology();
			Duration threeYears = Duration.ofDays(3 * 365);
			Message original = text("in three years");
			original.getMessageProperties().setExpiration("60000");
			Instant before = Instant.now();
			reminders.publish(original, threeYears);
			Instant after = Instant.now();
			long seconds = threeYears.getSeconds();
			List<String> route = topology.route(seconds);
			assertThat(route).as("levels of the binary digits of %d s", seconds)
				.startsWith(topology.levelQueue(26))
				.hasSize(Long.bitCount(seconds));
			assertThat(this.levels.nonEmptyQueues()).containsExactly(route.get(0));
			// Walk the rest of the route by doing by hand what each expiry does: dead-letter the
			// message, with its routing key, to the exchange of the next level down.
			for (int i = 0; i < route.size(); i++) {
				String current = route.get(i);
				Message waiting = this.broker.receive(current, Duration.ofSeconds(5));
				assertThat(waiting).as("message in %s", current).isNotNull();
				MessageProperties properties = waiting.getMessageProperties();
				assertThat(properties.getReceivedRoutingKey())
					.isEqualTo(topology.routingKey(seconds, topology.readyDestination()));
				assertThat(properties.getReceivedDeliveryMode()).as("persistent").isEqualTo(MessageDeliveryMode.PERSISTENT);
				assertThat(properties.getExpiration()).as("no per-message TTL while waiting").isNull();
				assertThat(properties.getHeaders()).containsEntry(DelayHeaders.DELAY, "PT26280H")
					.containsEntry(DelayHeaders.EXCHANGE, this.exchange)
					.containsEntry(DelayHeaders.ROUTING_KEY, "remind")
					.containsEntry(DelayHeaders.EXPIRATION, "60000");
				assertThat(DelayHeaders.due(properties)).hasValueSatisfying((due) -> assertThat(due)
					.isBetween(before.plus(threeYears), after.plus(threeYears).plusSeconds(1)));
				String next = topology.nextExchange(IntStream.range(0, DelayTopology.LEVELS)
					.filter((level) -> topology.levelQueue(level).equals(current))
					.findFirst()
					.getAsInt());
				properties.setDeliveryMode(properties.getReceivedDeliveryMode());
				this.broker.publish(next, properties.getReceivedRoutingKey(), waiting);
				String expected = (i + 1 < route.size()) ? route.get(i + 1) : null;
				if (expected != null) {
					await().atMost(TIMEOUT).until(() -> this.levels.nonEmptyQueues().equals(List.of(expected)));
				}
			}
			// Past level 0 the delivery exchange hands it to the ready queue, and the forwarder to
			// the destination, as the original with its expiration.
			Message delivered = this.broker.receive(this.queue, TIMEOUT);
			assertThat(delivered).isNotNull();
			assertThat(new String(delivered.getBody(), StandardCharsets.UTF_8)).isEqualTo("in three years");
			assertThat(delivered.getMessageProperties().getExpiration()).isEqualTo("60000");
			assertThat(this.levels.nonEmptyQueues()).isEmpty();
		});
	}

	@Test
	void movesAMessageForAMissingExchangeToTheUnroutedQueueWithTheReason() {
		this.runner.run((context) -> {
			HareDelayedSender sender = context.getBean(HareDelayedSender.class);
			sender.send("hare-test-missing-exchange", "remind", text("lost?"), Duration.ofSeconds(1));
			Message parked = this.broker.receive(this.levels.topology().unroutedQueue(), TIMEOUT);
			assertThat(parked).isNotNull();
			assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).isEqualTo("lost?");
			assertThat(parked.getMessageProperties().getHeaders().get(DelayHeaders.UNROUTABLE)).asString()
				.contains("hare-test-missing-exchange")
				.contains("does not exist");
		});
	}

	@Test
	void movesAMessageNoQueueIsBoundForToTheUnroutedQueue() {
		this.broker.admin().declareExchange(new DirectExchange(this.exchange));
		this.runner.run((context) -> {
			context.getBean(HareDelayedSender.class)
				.send(this.exchange, "nobody-listens", text("unrouted"), Duration.ZERO);
			Message parked = this.broker.receive(this.levels.topology().unroutedQueue(), TIMEOUT);
			assertThat(parked).isNotNull();
			assertThat(parked.getMessageProperties().getHeaders().get(DelayHeaders.UNROUTABLE)).asString()
				.contains("NO_ROUTE");
		});
	}

	@Test
	void sendsToAQueueThroughBindingsAlone() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.runner.withPropertyValues("hare.delay.forwarder.enabled=false").run((context) -> {
			HareDelayedSender sender = context.getBean(HareDelayedSender.class);
			Instant before = Instant.now();
			sender.sendToQueue(this.queue, text("direct"), Duration.ofSeconds(1));
			Message delivered = this.broker.receive(this.queue, TIMEOUT);
			assertThat(delivered).isNotNull();
			assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			assertThat(delivered.getMessageProperties().getHeaders()).containsEntry(DelayHeaders.EXCHANGE, "")
				.containsEntry(DelayHeaders.ROUTING_KEY, this.queue);
			assertThat(this.broker.depth(this.levels.topology().readyQueue())).isZero();
		});
	}

	@Test
	void declaresDurableLevelsWhoseTtlsDoubleAndDeadLetterDownwards() {
		this.runner.run((context) -> {
			String prefix = this.levels.topology().getPrefix();
			Map<String, String> queues = this.broker.broker()
				.ctl("list_queues", "name", "durable", "arguments")
				.lines()
				.filter((line) -> line.startsWith(prefix))
				.collect(Collectors.toMap((line) -> line.substring(0, line.indexOf('\t')), Function.identity()));
			assertThat(queues).hasSize(DelayTopology.LEVELS + 2);
			assertThat(queues.values()).allSatisfy((line) -> assertThat(line).contains("\ttrue\t"));
			assertThat(queues.get(prefix + ".level.27.quorum")).contains("134217728000")
				.contains(prefix + ".level.26")
				.contains("{\"x-queue-type\",\"quorum\"}")
				.contains("{\"x-dead-letter-strategy\",\"at-least-once\"}");
			assertThat(queues.get(prefix + ".level.00.quorum")).contains("{\"x-message-ttl\",1000}")
				.contains(prefix + ".delivery");
			assertThat(queues.get(prefix + ".ready.quorum")).as("ready queue, dead-lettering to unrouted")
				.contains("{\"x-queue-type\",\"quorum\"}")
				.contains("{\"x-dead-letter-exchange\",\"" + prefix + ".unrouted\"}")
				.contains("{\"x-dead-letter-strategy\",\"at-least-once\"}");
			assertThat(queues.get(prefix + ".unrouted.quorum")).contains("{\"x-queue-type\",\"quorum\"}");
		});
	}

	@Test
	void declaresTheLevelsAgainWhenTheConnectionIsReopened() {
		this.runner.run((context) -> {
			String level = this.levels.topology().levelQueue(3);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(level) == 0);
			this.broker.admin().deleteQueue(level);
			assertThat(this.broker.depth(level)).isEqualTo(-1);
			// The forwarder reconnects at once; the admin declares the levels on the new connection.
			context.getBean(CachingConnectionFactory.class).resetConnection();
			await().atMost(TIMEOUT).until(() -> this.broker.depth(level) == 0);
		});
	}

	@Test
	void publishesAtAGivenTimeAndWithoutWaiting() {
		declareDestination();
		this.runner.run((context) -> {
			HarePublisher reminders = context.getBean("reminders", HarePublisher.class);
			try (Arrivals arrivals = new Arrivals(this.queue)) {
				Instant at = Instant.now().plusSeconds(2);
				PublishResult result = reminders.publishAt("at", at);
				assertThat(result.status()).isEqualTo(PublishResult.Status.PUBLISHED);
				assertThat(result.exchange()).as("the destination, not a level").isEqualTo(this.exchange);
				Instant sent = Instant.now();
				reminders.publishAsync(PublishRequest.of("async").delay(Duration.ofSeconds(1))).get();
				await().atMost(TIMEOUT).until(() -> arrivals.count() == 2);
				assertThat(arrivals.bodies()).containsExactly("async", "at");
				assertThat(arrivals.all().get(0).at()).isAfterOrEqualTo(sent.plusSeconds(1));
				assertThat(arrivals.all().get(1).at()).isAfterOrEqualTo(at).isBefore(at.plusSeconds(2));
				assertThat(arrivals.all().get(1).message().getMessageProperties().getContentType())
					.isEqualTo(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
			}
		});
	}

	@Test
	void refusesToDelayWhenDelayedDeliveryIsOff() {
		this.runner.withPropertyValues("hare.delay.enabled=false").run((context) -> {
			HarePublisher reminders = context.getBean("reminders", HarePublisher.class);
			assertThatIllegalStateException().isThrownBy(() -> reminders.publish("later", Duration.ofSeconds(1)))
				.withMessageContaining("hare.delay.enabled=false");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> reminders.publish("too late", Duration.ofDays(10 * 365)));
		});
	}

	@Test
	void publishAsyncFailsTheFutureWhenDelayedDeliveryIsOff() {
		this.runner.withPropertyValues("hare.delay.enabled=false").run((context) -> {
			HarePublisher reminders = context.getBean("reminders", HarePublisher.class);
			CompletableFuture<PublishResult> result = reminders
				.publishAsync(PublishRequest.of("later").delay(Duration.ofSeconds(1)));
			assertThat(result).failsWithin(TIMEOUT)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("hare.delay.enabled=false");
		});
	}

	@Test
	void declaresTheLevelsAgainWhenOneWasDeletedWhileConnected() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.runner.run((context) -> {
			String level = this.levels.topology().levelExchange(1);
			this.broker.admin().deleteExchange(level);
			HareDelayedSender sender = context.getBean(HareDelayedSender.class);
			DelayedMessage sent = sender.sendToQueue(this.queue, text("after a deletion"), Duration.ofSeconds(2));
			assertThat(sent.exchange()).isEqualTo(level);
			Message delivered = this.broker.receive(this.queue, TIMEOUT);
			assertThat(delivered).isNotNull();
			assertThat(new String(delivered.getBody(), StandardCharsets.UTF_8)).isEqualTo("after a deletion");
		});
	}

}
