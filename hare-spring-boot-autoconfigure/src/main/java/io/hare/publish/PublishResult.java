package io.hare.publish;

import org.jspecify.annotations.Nullable;

/**
 * What became of a message handed to a {@link HarePublisher}: confirmed by the broker, or
 * dropped on purpose as a duplicate. A failure is a {@link HarePublishException} instead.
 *
 * @param status whether it was published or a duplicate
 * @param messageId the message id it was (or would have been) sent with
 * @param exchange the exchange
 * @param routingKey the routing key
 * @param dedupKey its deduplication key, {@code null} when the publisher does not deduplicate
 */
public record PublishResult(Status status, String messageId, String exchange, String routingKey,
		@Nullable String dedupKey) {

	public boolean isPublished() {
		return this.status == Status.PUBLISHED;
	}

	public boolean isDuplicate() {
		return this.status == Status.DUPLICATE;
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
		DUPLICATE

	}

}
