package io.hare.publish;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * Where a {@link HarePublisher} puts a message published inside a database transaction instead
 * of sending it: Hare's transactional outbox ({@code hare.outbox.enabled}), which sends it once
 * the transaction committed. An SPI between the publisher and the outbox, not for applications.
 */
public interface PublishOutbox {

	/**
	 * Decide whether a message published now, on the calling thread, goes into the outbox.
	 * @param publisher the publisher's name
	 * @return whether to store the message instead of sending it
	 * @throws IllegalStateException if the outbox requires a transaction and none is active
	 */
	boolean intercepts(String publisher);

	/**
	 * Write a message into the outbox in the current transaction; a failure is thrown, so that
	 * the transaction rolls back rather than commit without its message.
	 * @param entry the message and where it goes
	 */
	void store(Entry entry);

	/**
	 * A message to send once the transaction committed.
	 *
	 * @param publisher the name of the publisher that sends it
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the encoded message, with its message id
	 * @param deliverAt when to deliver it through the delay levels, {@code null} at once
	 */
	record Entry(String publisher, String exchange, String routingKey, Message message, @Nullable Instant deliverAt) {
	}

}
