package io.hare.listener;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.hare.topology.StreamOffset;

import org.springframework.amqp.core.Message;

/**
 * RabbitMQ's stream protocol, for stream listeners that read over it instead of AMQP 0-9-1.
 * Implemented by Hare when the stream client is on the classpath; not for users.
 */
public interface StreamProtocol {

	/**
	 * Whether the broker offers the stream protocol; the first call connects, later ones
	 * answer from memory.
	 * @return whether stream listeners can read over the stream protocol
	 */
	boolean isAvailable();

	/**
	 * Return why the broker could not be reached over the stream protocol, for log messages.
	 * @return the client's error, credentials masked, or {@code null} if it is available or
	 * was not tried yet
	 */
	@Nullable String unavailableReason();

	/**
	 * Describe where the stream protocol connects, without credentials, for log messages.
	 * @return a description such as {@code 127.0.0.1:5552}
	 */
	String describe();

	/**
	 * Create a consumer, not started.
	 * @param listenerId the listener's id, for log messages
	 * @param stream the stream to read
	 * @param consumerName the name the broker stores the offset under
	 * @param offset where to start when the broker has no offset stored under that name
	 * @param tracking how often to store the offset
	 * @param handler handles each message, with its offset in the {@code x-stream-offset}
	 * header; it must not throw
	 * @return the consumer
	 */
	StreamProtocolConsumer createConsumer(String listenerId, String stream, String consumerName, StreamOffset offset,
			StreamTracking tracking, Consumer<Message> handler);

}
