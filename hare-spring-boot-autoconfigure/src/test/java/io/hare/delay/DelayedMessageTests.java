package io.hare.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DelayedMessage} and {@link DelayHeaders}.
 */
class DelayedMessageTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private final DelayTopology topology = new DelayTopology("hare.delay");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void forAnExchangeGoesToTheReadyQueueWithTheDestinationInHeaders() {
		Message original = message();
		DelayedMessage delayed = DelayedMessage.toExchange(this.topology, "shop", "order.remind", original,
				Duration.ofMillis(4200), this.clock);
		assertThat(delayed.exchange()).isEqualTo("hare.delay.level.02");
		assertThat(delayed.routingKey()).isEqualTo(this.topology.routingKey(5, "hare.delay.ready"));
		assertThat(delayed.delay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(delayed.due()).isEqualTo(NOW.plusSeconds(5));
		MessageProperties properties = delayed.message().getMessageProperties();
		assertThat(properties.getHeaders()).containsEntry(DelayHeaders.DELAY, "PT5S")
			.containsEntry(DelayHeaders.DUE, "2030-01-01T00:00:05Z")
			.containsEntry(DelayHeaders.EXCHANGE, "shop")
			.containsEntry(DelayHeaders.ROUTING_KEY, "order.remind")
			.containsEntry(DelayHeaders.EXPIRATION, "30000")
			.containsEntry("app", "kept");
		assertThat(properties.getExpiration()).isNull();
		assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
		assertThat(delayed.message().getBody()).isSameAs(original.getBody());
		assertThat(original.getMessageProperties().getExpiration()).as("the original is unchanged").isEqualTo("30000");
		assertThat(original.getMessageProperties().getHeaders()).doesNotContainKey(DelayHeaders.DELAY);
	}

	@Test
	void forAQueueGoesStraightToItThroughTheDefaultExchangeSemantics() {
		DelayedMessage delayed = DelayedMessage.toQueue(this.topology, "orders", message(), Duration.ZERO, this.clock);
		assertThat(delayed.exchange()).isEqualTo("hare.delay.delivery");
		assertThat(delayed.routingKey()).isEqualTo(this.topology.routingKey(0, "orders"));
		assertThat(delayed.message().getMessageProperties().getHeaders()).containsEntry(DelayHeaders.EXCHANGE, "")
			.containsEntry(DelayHeaders.ROUTING_KEY, "orders");
	}

	@Test
	void removesOnlyTheDeathsOfTheLevelsSoThatTheBrokerSeesNoCycle() {
		Message original = message();
		Map<String, Object> level = Map.of("queue", "hare.delay.level.00", "reason", "expired", "count", 1L);
		Map<String, Object> users = Map.of("queue", "orders.parking", "reason", "rejected", "count", 1L);
		MessageProperties properties = original.getMessageProperties();
		properties.setHeader("x-death", List.of(level, users));
		properties.setHeader("x-first-death-queue", "orders.parking");
		properties.setHeader("x-first-death-reason", "rejected");
		properties.setHeader("x-last-death-queue", "hare.delay.level.00");
		properties.setHeader("x-last-death-reason", "expired");
		MessageProperties delayed = DelayedMessage
			.toQueue(this.topology, "orders", original, Duration.ofSeconds(1), this.clock)
			.message()
			.getMessageProperties();
		assertThat(delayed.getHeaders()).containsEntry("x-death", List.of(users))
			.containsEntry("x-first-death-queue", "orders.parking")
			.containsEntry("x-first-death-reason", "rejected")
			.doesNotContainKeys("x-last-death-queue", "x-last-death-reason");
		properties.setHeader("x-death", List.of(level));
		assertThat(DelayedMessage.toQueue(this.topology, "orders", original, Duration.ofSeconds(1), this.clock)
			.message()
			.getMessageProperties()
			.getHeaders()).doesNotContainKey("x-death");
	}

	@Test
	void headersTellTheRemainingDelay() {
		MessageProperties properties = DelayedMessage
			.toExchange(this.topology, "shop", "k", message(), Duration.ofSeconds(42), this.clock)
			.message()
			.getMessageProperties();
		assertThat(DelayHeaders.due(properties)).contains(NOW.plusSeconds(42));
		assertThat(DelayHeaders.remaining(properties, Clock.offset(this.clock, Duration.ofSeconds(40))))
			.contains(Duration.ofSeconds(2));
		assertThat(DelayHeaders.remaining(properties, Clock.offset(this.clock, Duration.ofMinutes(1))))
			.contains(Duration.ZERO);
		MessageProperties unreadable = new MessageProperties();
		unreadable.setHeader(DelayHeaders.DUE, "tomorrow");
		assertThat(DelayHeaders.remaining(unreadable, this.clock)).isEmpty();
		assertThat(DelayHeaders.remaining(new MessageProperties(), this.clock)).isEmpty();
	}

	private static Message message() {
		MessageProperties properties = new MessageProperties();
		properties.setExpiration("30000");
		properties.setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
		properties.setHeader("app", "kept");
		return new Message("{}".getBytes(), properties);
	}

}
