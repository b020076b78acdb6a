package io.hare.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
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
 * The classic level queues of an earlier Hare give way to the quorum levels without losing or
 * doubling a message that waits in them.
 */
class DelayLevelMigrationIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final DelayLevelsFixture levels = new DelayLevelsFixture();

	private final BrokerFixture broker = this.levels.broker();

	private final DelayTopology topology = this.levels.topology();

	private final String queue = this.broker.queue("migrated");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareAutoConfiguration.class,
				HareDelayAutoConfiguration.class))
		.withPropertyValues(this.broker.broker().springProperties())
		.withPropertyValues(this.levels.prefixProperty(), "hare.delay.forwarder.enabled=false");

	@Test
	void messageWaitingInAClassicLevelArrivesOnceAndOnTimeAndTheEmptiedLevelIsDeletedLater() {
		declareClassicLevels();
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

	/**
	 * Declare the levels as Hare did before they became quorum queues: classic queues named
	 * after their exchange.
	 */
	private void declareClassicLevels() {
		List<Declarable> declarables = new ArrayList<>();
		for (Declarable declarable : this.topology.declarables().getDeclarables()) {
			boolean quorumLevel = (declarable instanceof Queue queue && this.topology.isLevelQueue(queue.getName()))
					|| (declarable instanceof Binding binding && this.topology.isLevelQueue(binding.getDestination())
							&& binding.isDestinationQueue());
			if (!quorumLevel) {
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

	private void publishDelayed(String body, long seconds) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
		this.broker.publish(this.topology.entryExchange(seconds), this.topology.routingKey(seconds, this.queue),
				new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	private List<String> classicQueues() {
		return IntStream.range(0, DelayTopology.LEVELS)
			.mapToObj(this.topology::classicLevelQueue)
			.filter((name) -> this.broker.depth(name) >= 0)
			.toList();
	}

}
