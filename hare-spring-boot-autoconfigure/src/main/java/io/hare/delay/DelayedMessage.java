package io.hare.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A message ready to be published into the delay levels: where to publish it, and a copy of
 * the original with the delay headers, persistent and without its own expiration.
 *
 * @param exchange the exchange to publish to, a level or the delivery exchange
 * @param routingKey the routing key that carries the delay and the destination queue
 * @param message the message to publish
 * @param delay the delay, rounded up to whole seconds
 * @param due when the message is due at its destination
 */
public record DelayedMessage(String exchange, String routingKey, Message message, Duration delay, Instant due) {

	private static final String X_DEATH = "x-death";

	/**
	 * Prepare a message for a queue: the delivery exchange hands it to the queue when due,
	 * through a binding, which {@link DelayInfrastructure#bindQueue(String)} declares.
	 * @param topology the delay levels
	 * @param queue the destination queue
	 * @param message the message, left unchanged
	 * @param delay the delay, rounded up to whole seconds
	 * @param clock the clock the due time is computed with
	 * @return the message to publish
	 */
	public static DelayedMessage toQueue(DelayTopology topology, String queue, Message message, Duration delay,
			Clock clock) {
		return prepare(topology, queue, "", queue, message, delay, clock);
	}

	/**
	 * Prepare a message for an exchange: when due, it reaches the ready queue, from which the
	 * {@link DelayForwarder} publishes it to the exchange with the routing key.
	 * @param topology the delay levels
	 * @param exchange the destination exchange, {@code ""} for the default exchange
	 * @param routingKey the routing key to publish with when due
	 * @param message the message, left unchanged
	 * @param delay the delay, rounded up to whole seconds
	 * @param clock the clock the due time is computed with
	 * @return the message to publish
	 */
	public static DelayedMessage toExchange(DelayTopology topology, String exchange, String routingKey,
			Message message, Duration delay, Clock clock) {
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(routingKey, "'routingKey' must not be null");
		return prepare(topology, topology.readyDestination(), exchange, routingKey, message, delay, clock);
	}

	private static DelayedMessage prepare(DelayTopology topology, String queue, String exchange, String routingKey,
			Message message, Duration delay, Clock clock) {
		Assert.notNull(message, "'message' must not be null");
		long seconds = DelayTopology.seconds(delay);
		Duration rounded = Duration.ofSeconds(seconds);
		Instant due = clock.instant().plus(rounded);
		Message copy = MessageBuilder.fromMessage(message).build();
		MessageProperties properties = copy.getMessageProperties();
		properties.setHeader(DelayHeaders.DELAY, rounded.toString());
		properties.setHeader(DelayHeaders.DUE, due.toString());
		properties.setHeader(DelayHeaders.EXCHANGE, exchange);
		properties.setHeader(DelayHeaders.ROUTING_KEY, routingKey);
		// A per-message TTL would expire the message out of a level before its time.
		if (StringUtils.hasText(properties.getExpiration())) {
			properties.setHeader(DelayHeaders.EXPIRATION, properties.getExpiration());
			properties.setExpiration(null);
		}
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		removeLevelDeaths(topology, properties);
		return new DelayedMessage(topology.entryExchange(seconds), topology.routingKey(seconds, queue), copy, rounded,
				due);
	}

	/**
	 * Remove the deaths the levels wrote on a message that went through them before, such as a
	 * retry that is retried again. The broker drops a message whose expiry would dead-letter it
	 * into a queue its {@code x-death} header already names, taking it for a cycle: without this,
	 * a second trip through a level would lose the message.
	 * @param topology the delay levels
	 * @param properties the properties of the message, changed in place
	 */
	static void removeLevelDeaths(DelayTopology topology, MessageProperties properties) {
		Map<String, @Nullable Object> headers = properties.getHeaders();
		if (headers.get(X_DEATH) instanceof List<?> deaths) {
			List<?> kept = deaths.stream()
				.filter((death) -> !(death instanceof Map<?, ?> entry && entry.get("queue") != null
						&& topology.isLevelQueue(entry.get("queue").toString())))
				.toList();
			if (kept.isEmpty()) {
				headers.remove(X_DEATH);
			}
			else {
				headers.put(X_DEATH, kept);
			}
		}
		for (String position : List.of("x-first-death-", "x-last-death-")) {
			Object queue = headers.get(position + "queue");
			if (queue != null && topology.isLevelQueue(queue.toString())) {
				headers.keySet().removeIf((name) -> name.startsWith(position));
			}
		}
	}

}
