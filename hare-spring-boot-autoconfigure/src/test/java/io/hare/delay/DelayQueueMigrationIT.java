package io.hare.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classic queues of an earlier Hare's delay levels (the levels, the ready queue and the
 * unrouted queue) give way to quorum queues without losing or doubling a message that waits in
 * them.
 */
class DelayQueueMigrationIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final DelayLevelsFixture levels = new DelayLevelsFixture();

	private final BrokerFixture broker = this.levels.broker();

	private final DelayTopology topology = this.levels.topology();

	private final String queue = this.broker.queue("migrated");

	private final ApplicationContextRunner withForwarder = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareDelayAutoConfiguration.class))
		.withPropertyValues(this.broker.broker().springProperties())
		.withPropertyValues(this.levels.prefixProperty());

	private final ApplicationContextRunner runner = this.withForwarder
		.withPropertyValues("hare.delay.forwarder.enabled=false");

	@Test
	void messageWaitingInAClassicLevelArrivesOnceAndOnTimeAndTheEmptiedLevelIsDeletedLater() {
		declareAsAnEarlierHare();
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin().declareBinding(this.topology.deliveryBinding(this.queue));
		// 12 s: 8 s in classic level 3 (longer than the start-up), then 4 s in quorum level 2.
		Instant sentBefore = Instant.now();
		publishDelayed("before", 12);
		String classicLevel3 = this.topology.classicLevelQueue(3);
		assertThat(this.broker.depth(classicLevel3)).isOne();
		try (Arrivals arrivals = new Arrivals(this.queue)) {
			this.runner.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(classicQueues()).as("classic levels left: the one still holding a message")
					.containsExactly(classicLevel3);
				// A message sent now waits in the quorum level 2 only: the classic one is unbound.
				Instant sentAfter = Instant.now();
				publishDelayed("after", 4);
				assertThat(this.broker.depth(this.topology.levelQueue(2))).isOne();
				assertThat(this.broker.depth(classicLevel3)).isOne();
				await().atMost(TIMEOUT).until(() -> arrivals.count() == 2);
				// Nothing arrives twice.
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> arrivals.count() == 2);
				assertThat(arrivals.bodies()).containsExactlyInAnyOrder("before", "after");
				assertThat(arrivals.all()).allSatisfy((arrival) -> assertThat(arrival.at())
					.isAfterOrEqualTo(arrival.body().equals("before") ? sentBefore.plusSeconds(12)
							: sentAfter.plusSeconds(4)));
				assertThat(this.broker.depth(classicLevel3)).isZero();
			});
		}
		// The next start deletes the emptied classic level.
		this.runner.run((context) -> assertThat(classicQueues()).isEmpty());
	}

	@Test
	void messagesInTheClassicReadyAndUnroutedQueuesAreMovedToTheQuorumOnesAndTheClassicOnesDeleted() {
		declareAsAnEarlierHare();
		String exchange = this.broker.exchange("migrated");
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		this.broker.admin().declareExchange(new DirectExchange(exchange));
		this.broker.admin().declareBinding(new Binding(this.queue, DestinationType.QUEUE, exchange, "key", null));
		// Due messages for an exchange, waiting for the forwarder in the classic ready queue.
		for (int i = 0; i < 150; i++) {
			publishForExchange("ready-" + i, 0, exchange);
		}
		// One still in a classic level: due after the upgrade, it names the classic ready queue.
		publishForExchange("level", 4, exchange);
		// Messages parked by an earlier forwarder.
		for (int i = 0; i < 3; i++) {
			this.broker.publish("", this.topology.classicUnroutedQueue(), text("parked-" + i));
		}
		assertThat(this.broker.depth(this.topology.classicReadyQueue())).isEqualTo(150);
		assertThat(this.broker.depth(this.topology.classicUnroutedQueue())).isEqualTo(3);
		try (Arrivals arrivals = new Arrivals(this.queue)) {
			this.withForwarder.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.broker.depth(this.topology.classicReadyQueue())).as("classic ready queue").isEqualTo(-1);
				assertThat(this.broker.depth(this.topology.classicUnroutedQueue())).as("classic unrouted queue")
					.isEqualTo(-1);
				await().atMost(TIMEOUT).until(() -> arrivals.count() == 151);
				// Nothing arrives twice.
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> arrivals.count() == 151);
				assertThat(arrivals.bodies()).doesNotHaveDuplicates().contains("ready-0", "ready-149", "level");
				List<String> parked = new ArrayList<>();
				Message message;
				while ((message = this.broker.receive(this.topology.unroutedQueue(), Duration.ofSeconds(1))) != null) {
					parked.add(new String(message.getBody(), StandardCharsets.UTF_8));
				}
				assertThat(parked).containsExactlyInAnyOrder("parked-0", "parked-1", "parked-2");
			});
		}
		// The classic level that held a message was emptied and goes at the next start.
		this.runner.run((context) -> assertThat(classicQueues()).isEmpty());
	}

	/**
	 * Declare the delay levels as Hare did before they became quorum queues: classic queues,
	 * each level's named after its exchange, and the classic ready and unrouted queues.
	 */
	private void declareAsAnEarlierHare() {
		List<Declarable> declarables = new ArrayList<>();
		for (Declarable declarable : this.topology.declarables().getDeclarables()) {
			if (declarable instanceof Exchange || (declarable instanceof Binding binding && !binding.isDestinationQueue())) {
				declarables.add(declarable);
			}
		}
		for (int level = 0; level < DelayTopology.LEVELS; level++) {
			declarables.add(QueueBuilder.durable(this.topology.classicLevelQueue(level))
				.withArgument("x-message-ttl", (1L << level) * 1000)
				.deadLetterExchange(this.topology.nextExchange(level))
				.build());
			declarables.add(this.topology.levelBinding(level, this.topology.classicLevelQueue(level)));
		}
		declarables.add(QueueBuilder.durable(this.topology.classicReadyQueue()).build());
		declarables.add(this.topology.readyBinding(this.topology.classicReadyQueue()));
		declarables.add(QueueBuilder.durable(this.topology.classicUnroutedQueue()).build());
		declarables.add(this.topology.unroutedBinding(this.topology.classicUnroutedQueue()));
		declarables.sort((a, b) -> Boolean.compare(a instanceof Binding, b instanceof Binding));
		for (Declarable declarable : declarables) {
			if (declarable instanceof Exchange exchange) {
				this.broker.admin().declareExchange(exchange);
			}
			else if (declarable instanceof Queue queue) {
				this.broker.admin().declareQueue(queue);
			}
			else {
				this.broker.admin().declareBinding((Binding) declarable);
			}
		}
	}

	/**
	 * Publish a message into the levels, for an exchange, as an earlier Hare's sender did.
	 */
	private void publishForExchange(String body, long seconds, String exchange) {
		Message message = text(body);
		message.getMessageProperties().setHeader(DelayHeaders.EXCHANGE, exchange);
		message.getMessageProperties().setHeader(DelayHeaders.ROUTING_KEY, "key");
		this.broker.publish(this.topology.entryExchange(seconds),
				this.topology.routingKey(seconds, this.topology.classicReadyQueue()), message);
	}

	private static Message text(String body) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

	private void publishDelayed(String body, long seconds) {
		this.broker.publish(this.topology.entryExchange(seconds), this.topology.routingKey(seconds, this.queue),
				text(body));
	}

	private List<String> classicQueues() {
		return Stream
			.concat(IntStream.range(0, DelayTopology.LEVELS).mapToObj(this.topology::classicLevelQueue),
					Stream.of(this.topology.classicReadyQueue(), this.topology.classicUnroutedQueue()))
			.filter((name) -> this.broker.depth(name) >= 0)
			.toList();
	}

}
