package io.hare.listener;

import org.jspecify.annotations.Nullable;

import io.hare.topology.StreamOffset;

/**
 * A consumer of a stream over RabbitMQ's stream protocol that stores its offset on the
 * broker. Implemented by Hare; not for users.
 */
public interface StreamProtocolConsumer {

	/**
	 * Subscribe: after the offset stored under the consumer name, or at the configured
	 * offset when none is stored.
	 */
	void start();

	/**
	 * Store the offset of the last handled message and unsubscribe.
	 */
	void stop();

	/**
	 * Whether the consumer is subscribed.
	 * @return whether it runs
	 */
	boolean isRunning();

	/**
	 * Return the name the broker stores the offset under.
	 * @return the consumer name
	 */
	String getName();

	/**
	 * Return the offset stored on the broker.
	 * @return the offset of the last message stored as handled, or {@code null} if none is
	 * stored or the broker cannot be asked
	 */
	@Nullable Long getStoredOffset();

	/**
	 * Read from the given offset on, whatever is stored, and store from there: the consumer
	 * is subscribed again if it runs, else the offset applies to its next start.
	 * @param offset where to read from
	 */
	void resetOffset(StreamOffset offset);

}
