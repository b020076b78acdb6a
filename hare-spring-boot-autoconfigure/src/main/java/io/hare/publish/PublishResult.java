package io.hare.publish;

import org.jspecify.annotations.Nullable;

/**
 * What became of a message handed to a {@link HarePublisher}: confirmed by the broker, dropped
 * on purpose as a duplicate, or stored in the transactional outbox to be sent after the commit.
 * A failure is a {@link HarePublishException} instead.
 *
 * @param status whether it was published or a duplicate
 * @param messageId the message id it was (or would have been) sent with
 * @param exchange the exchange
 * @param routingKey the routing key
 * @param dedupKey its deduplication key, {@code null} when the publisher does not deduplicate or
 * the message was stored in the outbox (it is claimed when the outbox sends it)
 */
public record PublishResult(Status status, String messageId, String exchange, String routingKey,
		@Nullable String dedupKey) {

	public boolean isPublished() {
		return this.status == Status.PUBLISHED;
	}

	public boolean isDuplicate() {
		return this.status == Status.DUPLICATE;
	}

	public boolean isStored() {
		return this.status == Status.STORED;
	}

	/**
	 * Whether a message was published.
	 */
	public enum Status {

		/**
		 * The broker confirmed the message: it was routed to at least one queue.
		 */
		PUBLISHED,

		/**
		 * The message was not sent: one with the same deduplication key was published within
		 * the time-to-live.
		 */
		DUPLICATE,

		/**
		 * The message was written to the transactional outbox in the current database
		 * transaction ({@code hare.outbox.enabled}); it is sent, with confirms and deduplication,
		 * once the transaction committed, and never if it rolls back.
		 */
		STORED

	}

}
