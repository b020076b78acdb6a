package io.hare.delay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link DelayTopology}.
 */
class DelayTopologyTests {

	private final DelayTopology topology = new DelayTopology("hare.delay");

	@Test
	void roundsDelaysUpToWholeSecondsSoThatNothingIsEarly() {
		assertThat(DelayTopology.seconds(Duration.ZERO)).isZero();
		assertThat(DelayTopology.seconds(Duration.ofSeconds(-3))).isZero();
		assertThat(DelayTopology.seconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(DelayTopology.seconds(Duration.ofMillis(1500))).isEqualTo(2);
		assertThat(DelayTopology.seconds(Duration.ofSeconds(7))).isEqualTo(7);
		assertThat(DelayTopology.seconds(DelayTopology.MAX_DELAY)).isEqualTo((1L << 28) - 1);
	}

	@Test
	void rejectsADelayLongerThanTheLevelsHold() {
		assertThat(DelayTopology.MAX_DELAY).isGreaterThan(Duration.ofDays(8 * 365));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DelayTopology.seconds(DelayTopology.MAX_DELAY.plusMillis(1)))
			.withMessageContaining("longer than the longest");
	}

	@Test
	void routingKeyHoldsTheBinaryDigitsMostSignificantFirstThenTheQueue() {
		assertThat(this.topology.routingKey(5, "orders.retry")).isEqualTo("0.".repeat(25) + "1.0.1.orders.retry");
		assertThat(this.topology.routingKey(0, "q")).isEqualTo("0.".repeat(28) + "q");
		assertThat(this.topology.routingKey((1L << 28) - 1, "q")).isEqualTo("1.".repeat(28) + "q");
	}

	@Test
	void entersAtTheLevelOfTheHighestDigit() {
		assertThat(this.topology.entryExchange(0)).isEqualTo("hare.delay.delivery");
		assertThat(this.topology.entryExchange(1)).isEqualTo("hare.delay.level.00");
		assertThat(this.topology.entryExchange(5)).isEqualTo("hare.delay.level.02");
		assertThat(this.topology.entryExchange((1L << 28) - 1)).isEqualTo("hare.delay.level.27");
	}

	@Test
	void routeWaitsInTheLevelOfEachDigitThatIsOne() {
		assertThat(this.topology.route(0)).isEmpty();
		assertThat(this.topology.route(5)).containsExactly("hare.delay.level.02.quorum", "hare.delay.level.00.quorum");
		assertThat(this.topology.route(20)).containsExactly("hare.delay.level.04.quorum", "hare.delay.level.02.quorum");
	}

	@Test
	void levelQueuesExpireAfterTwoToTheLevelSecondsIntoTheNextLevelDown() {
		Map<String, Queue> queues = queues();
		assertThat(queues).hasSize(28 + 2).containsKeys("hare.delay.ready.quorum", "hare.delay.unrouted.quorum");
		assertThat(queues.values()).allSatisfy((queue) -> assertThat(queue.isDurable()).isTrue());
		assertThat(queues.get("hare.delay.level.00.quorum").getArguments()).containsEntry("x-message-ttl", 1000L)
			.containsEntry("x-dead-letter-exchange", "hare.delay.delivery")
			.doesNotContainKey("x-dead-letter-routing-key");
		assertThat(queues.get("hare.delay.level.10.quorum").getArguments())
			.containsEntry("x-message-ttl", 1_024_000L)
			.containsEntry("x-dead-letter-exchange", "hare.delay.level.09");
		assertThat(queues.get("hare.delay.level.27.quorum").getArguments())
			.containsEntry("x-message-ttl", 134_217_728_000L);
	}

	@Test
	void levelQueuesAreQuorumQueuesThatDeadLetterAtLeastOnce() {
		assertThat(queues().values()).filteredOn((queue) -> this.topology.isLevelQueue(queue.getName()))
			.hasSize(28)
			.allSatisfy((queue) -> assertThat(queue.getArguments()).containsEntry("x-queue-type", "quorum")
				.containsEntry("x-dead-letter-strategy", "at-least-once")
				.containsEntry("x-overflow", "reject-publish"));
	}

	@Test
	void readyAndUnroutedQueuesAreQuorumQueuesAndTheReadyQueueDeadLettersAtLeastOnceToUnrouted() {
		Map<String, Queue> queues = queues();
		assertThat(queues.get("hare.delay.ready.quorum").getArguments()).containsEntry("x-queue-type", "quorum")
			.containsEntry("x-dead-letter-exchange", "hare.delay.unrouted")
			.containsEntry("x-dead-letter-strategy", "at-least-once")
			.containsEntry("x-overflow", "reject-publish");
		assertThat(queues.get("hare.delay.unrouted.quorum").getArguments()).containsEntry("x-queue-type", "quorum")
			.doesNotContainKey("x-dead-letter-exchange");
		assertThat(this.topology.declarables().getDeclarablesByType(Binding.class))
			.filteredOn((binding) -> binding.getExchange().equals("hare.delay.unrouted"))
			.extracting(Binding::getDestination)
			.containsExactly("hare.delay.unrouted.quorum");
	}

	@Test
	void readyAndUnroutedQueuesHaveNamesOfTheirOwnBesideTheClassicQueuesOfEarlierVersions() {
		assertThat(this.topology.readyQueue()).isEqualTo("hare.delay.ready.quorum");
		assertThat(this.topology.classicReadyQueue()).isEqualTo("hare.delay.ready");
		assertThat(this.topology.unroutedQueue()).isEqualTo("hare.delay.unrouted.quorum");
		assertThat(this.topology.classicUnroutedQueue()).isEqualTo("hare.delay.unrouted")
			.isEqualTo(this.topology.unrouted());
		// Messages that entered the levels before an upgrade name the classic ready queue in
		// their routing key: the binding to the quorum one matches them.
		assertThat(this.topology.readyBinding(this.topology.readyQueue()).getRoutingKey())
			.isEqualTo(this.topology.readyBinding(this.topology.classicReadyQueue()).getRoutingKey())
			.isEqualTo("*.".repeat(28) + "hare.delay.ready");
	}

	@Test
	void levelQueuesHaveNamesOfTheirOwnBesideTheClassicQueuesOfEarlierVersions() {
		assertThat(this.topology.levelQueue(5)).isEqualTo("hare.delay.level.05.quorum");
		assertThat(this.topology.classicLevelQueue(5)).isEqualTo("hare.delay.level.05")
			.isEqualTo(this.topology.levelExchange(5));
		assertThat(this.topology.levelBinding(5, this.topology.classicLevelQueue(5)).getRoutingKey())
			.isEqualTo(this.topology.levelBinding(5, this.topology.levelQueue(5)).getRoutingKey())
			.isEqualTo("*.".repeat(22) + "1.#");
	}

	@Test
	void eachLevelExchangeSendsDigitOneToItsQueueAndDigitZeroToTheNextExchange() {
		List<Binding> bindings = this.topology.declarables().getDeclarablesByType(Binding.class);
		assertThat(bindings).filteredOn((binding) -> binding.getExchange().equals("hare.delay.level.27"))
			.extracting(Binding::getRoutingKey, Binding::getDestination, Binding::isDestinationQueue)
			.containsExactlyInAnyOrder(tuple("1.#", "hare.delay.level.27.quorum", true),
					tuple("0.#", "hare.delay.level.26", false));
		assertThat(bindings).filteredOn((binding) -> binding.getExchange().equals("hare.delay.level.00"))
			.extracting(Binding::getRoutingKey, Binding::getDestination)
			.containsExactlyInAnyOrder(tuple("*.".repeat(27) + "1.#", "hare.delay.level.00.quorum"),
					tuple("*.".repeat(27) + "0.#", "hare.delay.delivery"));
		assertThat(bindings).filteredOn((binding) -> binding.getExchange().equals("hare.delay.delivery"))
			.singleElement()
			.satisfies((binding) -> assertThat(binding).extracting(Binding::getRoutingKey, Binding::getDestination)
				.containsExactly("*.".repeat(28) + "hare.delay.ready", "hare.delay.ready.quorum"));
	}

	@Test
	void keepsWhatNoBindingRoutesInTheUnroutedQueue() {
		List<Exchange> exchanges = this.topology.declarables().getDeclarablesByType(Exchange.class);
		assertThat(exchanges).hasSize(28 + 2);
		assertThat(exchanges).filteredOn((exchange) -> !exchange.getName().equals("hare.delay.unrouted"))
			.allSatisfy((exchange) -> assertThat(exchange.getArguments()).containsEntry("alternate-exchange",
					"hare.delay.unrouted"));
	}

	@Test
	void deliveryBindingMatchesTheWholeQueueNameAfterTheDigits() {
		assertThat(this.topology.deliveryBinding("orders.retry").getRoutingKey())
			.isEqualTo("*.".repeat(28) + "orders.retry");
	}

	@Test
	void rejectsDestinationsABindingCouldNotMatchAlone() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.topology.routingKey(1, "orders.*"))
			.withMessageContaining("'*' or '#'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.topology.deliveryBinding("#"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.topology.routingKey(1, "q".repeat(200)))
			.withMessageContaining("longer than 199 bytes");
		assertThat(this.topology.routingKey(1, "a*b.c#")).endsWith(".a*b.c#");
		assertThatIllegalArgumentException().isThrownBy(() -> new DelayTopology("*"));
	}

	@Test
	void tellsItsLevelQueuesFromOthers() {
		assertThat(this.topology.isLevelQueue("hare.delay.level.05.quorum")).isTrue();
		assertThat(this.topology.isLevelQueue("hare.delay.level.05")).isTrue();
		assertThat(this.topology.isLevelQueue("hare.delay.ready")).isFalse();
		assertThat(this.topology.isLevelQueue("hare.delay.ready.quorum")).isFalse();
		assertThat(this.topology.isLevelQueue("orders")).isFalse();
	}

	private Map<String, Queue> queues() {
		return this.topology.declarables()
			.getDeclarablesByType(Queue.class)
			.stream()
			.collect(Collectors.toMap(Queue::getName, (queue) -> queue));
	}

}
