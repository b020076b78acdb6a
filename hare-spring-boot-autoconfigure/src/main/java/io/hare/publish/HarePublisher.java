package io.hare.publish;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes messages to one exchange with publisher confirms, optionally dropping duplicates.
 * {@code publish} returns once the broker confirmed; {@code publishAsync} returns at once with
 * a future, so many messages can be in flight. Neither ever drops a message silently: a message
 * that was not confirmed ends in a {@link HarePublishException} naming the reason.
 * <p>
 * A payload that is a {@code String} or {@code byte[]} is sent as it is, anything else as JSON.
 * Messages are persistent and get a message id when they have none.
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
	 * {@link HarePublishException}
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

}
