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
	 */
	static void requeue(Channel channel, long tag) {
		if (tag < 0 || !channel.isOpen()) {
			return;
		}
		try {
			channel.basicNack(tag, false, true);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not requeue a dead letter; the broker requeues it when the channel closes", ex);
		}
	}

	/**
	 * Return every message taken on the channel and not acked, up to the given tag; a channel
	 * that closed has already returned them.
	 */
	static void requeueUpTo(Channel channel, long lastTag) {
		if (lastTag < 0 || !channel.isOpen()) {
			return;
		}
		try {
			channel.basicNack(lastTag, true, true);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not requeue peeked dead letters; the broker requeues them when the channel closes",
					ex);
		}
	}

}
