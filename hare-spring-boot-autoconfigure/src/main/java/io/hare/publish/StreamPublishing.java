package io.hare.publish;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * RabbitMQ's stream protocol, for publishers that send to a stream with its confirms.
 * Implemented by Hare when the stream client is on the classpath; not for users.
 */
public interface StreamPublishing {

	/**
	 * Create a producer for a stream; it connects on its first send.
	 * @param publisherName the publisher's name, for messages
	 * @param stream the stream to publish to
	 * @param producerName the name under which the broker drops a message whose publishing id
	 * it already stored, or {@code null} for no deduplication by the broker
	 * @return the producer
	 */
	Producer createProducer(String publisherName, String stream, @Nullable String producerName);

	/**
	 * Sends messages to one stream.
	 */
	interface Producer {

		/**
		 * Send a message.
		 * @param message the message; its headers become application properties
		 * @return a future that completes with {@code true} once the broker confirmed,
		 * {@code false} if it refused the message, or exceptionally with a
		 * {@link java.util.concurrent.TimeoutException} or the failure to send
		 */
		CompletableFuture<Boolean> send(Message message);

		/**
		 * Close the producer.
		 */
		void close();

	}

}
