package io.hare.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ListenerTopology}.
 */
class ListenerTopologyTests {

	@Test
	void fixedDelayHasOneDelayQueueReturningThroughTheDefaultExchange() {
		ListenerTopology topology = new ListenerTopology("orders", "shop", "topic", List.of("order.*"),
				QueueType.CLASSIC, null, List.of(Duration.ofSeconds(10)), Map.of());
		assertThat(queues(topology)).containsOnlyKeys("orders", "orders.delay", "orders.dead");
		Queue delay = queues(topology).get("orders.delay");
		assertThat(delay.getArguments()).containsEntry("x-message-ttl", 10_000)
			.containsEntry("x-dead-letter-exchange", "")
			.containsEntry("x-dead-letter-routing-key", "orders")
			.as("a retry survives a broker stop").containsEntry("x-queue-type", "quorum")
			.containsEntry("x-dead-letter-strategy", "at-least-once");
		assertThat(queues(topology).get("orders").getArguments()).isEmpty();
		assertThat(topology.declarables().getDeclarablesByType(Binding.class)).singleElement()
			.satisfies((binding) -> assertThat(binding.getRoutingKey()).isEqualTo("order.*"));
	}

	@Test
	void cascadeHasOneQueuePerDistinctDelay() {
		ListenerTopology topology = new ListenerTopology("orders", null, "direct", List.of(), QueueType.QUORUM,
				Duration.ofHours(1), List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1)),
				Map.of());
		assertThat(queues(topology)).containsOnlyKeys("orders", "orders.delay.1", "orders.delay.2", "orders.dead");
		assertThat(topology.delayQueue(Duration.ofSeconds(5))).isEqualTo("orders.delay.2");
		assertThat(queues(topology).values()).allSatisfy(
				(queue) -> assertThat(queue.getArguments()).containsEntry("x-queue-type", "quorum"));
		assertThat(queues(topology).get("orders").getArguments()).containsEntry("x-message-ttl", 3_600_000L);
		assertThat(queues(topology).get("orders.delay.1").getArguments()).as("at-least-once dead-lettering")
			.containsEntry("x-dead-letter-strategy", "at-least-once")
			.containsEntry("x-overflow", "reject-publish");
		assertThat(topology.declarables().getDeclarablesByType(Binding.class)).as("no exchange, no binding")
			.isEmpty();
	}

	@Test
	void bindsWithTheQueueNameWhenNoRoutingKeyIsGiven() {
		ListenerTopology topology = new ListenerTopology("orders", "shop", "direct", List.of(), QueueType.CLASSIC,
				null, List.of(Duration.ofSeconds(1)), Map.of());
		assertThat(topology.declarables().getDeclarablesByType(Binding.class)).singleElement()
			.satisfies((binding) -> assertThat(binding.getRoutingKey()).isEqualTo("orders"));
	}

	@Test
	void streamHasNoRetryOrDeadLetterQueue() {
		ListenerTopology topology = new ListenerTopology("events", null, "direct", List.of(), QueueType.STREAM,
				null, List.of(Duration.ofSeconds(1)), Map.of());
		assertThat(queues(topology)).containsOnlyKeys("events");
		assertThat(topology.hasRetryQueues()).isFalse();
	}

	private static Map<String, Queue> queues(ListenerTopology topology) {
		return topology.declarables()
			.getDeclarablesByType(Queue.class)
			.stream()
			.collect(Collectors.toMap(Queue::getName, (queue) -> queue));
	}

}
