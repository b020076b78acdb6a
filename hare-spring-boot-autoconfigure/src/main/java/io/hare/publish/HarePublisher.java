package io.hare.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes messages to one exchange with publisher confirms, optionally dropping duplicates.
 * {@code publish} returns once the broker confirmed; {@code publishAsync} returns at once with
 * a future, so many messages can be in flight. Neither ever drops a message silently: a message
 * that was not confirmed ends in a {@link HarePublishException} naming the reason.
 * <p>
 * A payload that is a {@code String} or {@code byte[]} is sent as it is, anything else as JSON.
 * Messages are persistent and get a message id when they have none. {@code publish(payload,
 * Duration)} and {@code publishAt(payload, Instant)} deliver them later, through Hare's delay
 * levels.
 */
public interface HarePublisher {

	/**
	 * Return this publisher's name, its key under {@code hare.publishers}.
	 * @return the name
	 */
	String getName();

	/**
	 * Return the exchange this publisher sends to by default.
	 * @return the exchange, empty for the default exchange
	 */
	String getExchange();

	/**
	 * Return the routing key this publisher sends with by default.
	 * @return the routing key
	 */
	String getRoutingKey();

	/**
	 * Publish a payload to this publisher's exchange and routing key and wait for the confirm.
	 * @param payload the payload, or a {@link PublishRequest}
	 * @return {@link PublishResult.Status#PUBLISHED PUBLISHED} or
	 * {@link PublishResult.Status#DUPLICATE DUPLICATE}
	 * @throws HarePublishException if the message was not confirmed
	 * @throws IllegalStateException for a delayed request while delayed delivery is off
	 * ({@code hare.delay.enabled})
	 */
	PublishResult publish(Object payload);

	/**
	 * Publish a payload to the given exchange and routing key and wait for the confirm.
	 * @param exchange the exchange, not declared by the publisher
	 * @param routingKey the routing key
	 * @param payload the payload
	 * @return the result
	 * @throws HarePublishException if the message was not confirmed
	 */
	default PublishResult publish(String exchange, String routingKey, Object payload) {
		return publish(PublishRequest.of(payload).exchange(exchange).routingKey(routingKey));
	}

	/**
	 * Publish a payload to this publisher's exchange and routing key without waiting.
	 * @param payload the payload, or a {@link PublishRequest}
	 * @return a future that completes with the result once the broker confirmed, or with a
	 * {@link HarePublishException}; with an {@link IllegalStateException} for a delayed
	 * request while delayed delivery is off ({@code hare.delay.enabled})
	 */
	CompletableFuture<PublishResult> publishAsync(Object payload);

	/**
	 * Publish a payload to the given exchange and routing key without waiting.
	 * @param exchange the exchange, not declared by the publisher
	 * @param routingKey the routing key
	 * @param payload the payload
	 * @return a future that completes with the result, or with a {@link HarePublishException}
	 */
	default CompletableFuture<PublishResult> publishAsync(String exchange, String routingKey, Object payload) {
		return publishAsync(PublishRequest.of(payload).exchange(exchange).routingKey(routingKey));
	}

	/**
	 * Publish a payload that reaches this publisher's exchange and routing key after a delay,
	 * and wait for the broker's confirm that it is held, durable and persistent, in Hare's
	 * delay levels. Delays have 1-second resolution, rounded up so that a message is never
	 * early, up to about 8.5 years; messages with different delays never wait behind each
	 * other. For an exchange or routing key of its own, or without waiting, use a
	 * {@link PublishRequest#delay(Duration) PublishRequest}.
	 * @param payload the payload, or a {@link PublishRequest}
	 * @param delay the delay, at most {@link io.hare.delay.DelayTopology#MAX_DELAY}
	 * @return {@link PublishResult.Status#PUBLISHED PUBLISHED} or
	 * {@link PublishResult.Status#DUPLICATE DUPLICATE}
	 * @throws HarePublishException if the message was not confirmed
	 * @throws IllegalStateException if delayed delivery is off ({@code hare.delay.enabled})
	 */
	default PublishResult publish(Object payload, Duration delay) {
		return publish(request(payload).delay(delay));
	}

	/**
	 * Publish a payload that reaches this publisher's exchange and routing key at a given
	 * time, as {@link #publish(Object, Duration)} does after a delay.
	 * @param payload the payload, or a {@link PublishRequest}
	 * @param deliverAt when to deliver it; a time in the past means now
	 * @return {@link PublishResult.Status#PUBLISHED PUBLISHED} or
	 * {@link PublishResult.Status#DUPLICATE DUPLICATE}
	 * @throws HarePublishException if the message was not confirmed
	 * @throws IllegalStateException if delayed delivery is off ({@code hare.delay.enabled})
	 */
	default PublishResult publishAt(Object payload, Instant deliverAt) {
		return publish(request(payload).deliverAt(deliverAt));
	}

	private static PublishRequest request(Object payload) {
		return (payload instanceof PublishRequest request) ? request : PublishRequest.of(payload);
	}

}
