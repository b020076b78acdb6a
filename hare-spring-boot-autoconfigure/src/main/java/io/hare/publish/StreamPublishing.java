package io.hare.publish;

import java.time.Duration;

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
	 * @param confirmTimeout how long a message may wait for its confirm before it fails; the
	 * stream client takes 1 second at least
	 * @return the producer
	 */
	Producer createProducer(String publisherName, String stream, @Nullable String producerName,
			Duration confirmTimeout);

	/**
	 * Sends messages to one stream.
	 */
	interface Producer {

		/**
		 * Send a message without waiting: the callback is told once the broker answered, on
		 * the client's thread. No future per message: the publisher completes its own.
		 * @param message the message; its headers become application properties
		 * @param confirmation told {@code true} once the broker confirmed, {@code false} if
		 * it refused the message, or a {@link java.util.concurrent.TimeoutException} or the
		 * failure to send
		 */
		void send(Message message, Confirmation confirmation);

		/**
		 * Close the producer.
		 */
		void close();

	}

	/**
	 * Told the broker's answer to one message.
	 */
	@FunctionalInterface
	interface Confirmation {

		/**
		 * Receive the answer.
		 * @param confirmed whether the broker confirmed the message
		 * @param failure why there is no answer, or {@code null}
		 */
		void answered(boolean confirmed, @Nullable Throwable failure);

	}

}
