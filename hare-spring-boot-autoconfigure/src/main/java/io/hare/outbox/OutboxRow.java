package io.hare.outbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * A message claimed from the outbox table by a relay.
 *
 * @param id the row's id, its order in the table
 * @param publisher the name of the publisher that sends it
 * @param exchange the exchange
 * @param routingKey the routing key
 * @param message the message as it was published
 * @param deliverAt when to deliver it through the delay levels, {@code null} at once
 * @param createdAt when the transaction that stored it started, by the database's clock
 * @param attempts how many times a relay claimed it, this time included
 */
record OutboxRow(long id, String publisher, String exchange, String routingKey, Message message,
		@Nullable Instant deliverAt, Instant createdAt, int attempts) {
}
