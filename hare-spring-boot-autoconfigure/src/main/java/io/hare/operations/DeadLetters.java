package io.hare.operations;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Reads dead letters taken with {@code basic.get} and returns the ones not acked to their
 * queue, for the {@link DeadLetterRedriver}.
 */
final class DeadLetters {

	private static final Log logger = LogFactory.getLog(DeadLetters.class);

	private static final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	private DeadLetters() {
	}

	static Message toMessage(GetResponse response) {
		MessageProperties properties = propertiesConverter.toMessageProperties(response.getProps(),
				response.getEnvelope(), "UTF-8");
		properties.setMessageCount(response.getMessageCount());
		return new Message(response.getBody(), properties);
	}

	/**
	 * Return a dead letter taken on the channel and not acked; a channel that closed has
	 * already returned it.
	 * @param channel the channel it was taken on
	 * @param tag its delivery tag, negative for none
	 */
	static void requeue(Channel channel, long tag) {
		nack(channel, tag, false);
	}

	/**
	 * Return every dead letter taken on the channel and not acked, up to the given tag; a
	 * channel that closed has already returned them.
	 * @param channel the channel they were taken on
	 * @param lastTag the delivery tag of the last one, negative for none
	 */
	static void requeueUpTo(Channel channel, long lastTag) {
		nack(channel, lastTag, true);
	}

	private static void nack(Channel channel, long tag, boolean multiple) {
		if (tag < 0 || !channel.isOpen()) {
			return;
		}
		try {
			channel.basicNack(tag, multiple, true);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not requeue dead letters; the broker requeues them when the channel closes", ex);
		}
	}

}
