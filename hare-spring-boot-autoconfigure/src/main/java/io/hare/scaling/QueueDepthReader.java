package io.hare.scaling;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;

/**
 * Reads how many messages are ready in a queue and how many consumers it has; usually
 * {@link AmqpAdmin#getQueueInfo(String)}, a passive declare.
 */
@FunctionalInterface
public interface QueueDepthReader {

	/**
	 * Read a queue's ready messages and consumers.
	 * @param queue the queue
	 * @return the information, or {@code null} if the queue does not exist
	 * @throws org.springframework.amqp.AmqpException if the broker cannot be asked
	 */
	@Nullable QueueInformation read(String queue);

	/**
	 * Return a reader that asks the broker through an admin.
	 * @param admin the admin
	 * @return the reader
	 */
	static QueueDepthReader of(AmqpAdmin admin) {
		return admin::getQueueInfo;
	}

}
