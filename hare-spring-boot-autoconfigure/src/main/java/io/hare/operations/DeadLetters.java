package io.hare.operations;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

	private static final Duration REQUEUE_WAIT = Duration.ofSeconds(2);

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
	 * Return every dead letter taken on the channel and not acked, up to the given tag, and
	 * wait a while until the queue counts them again; a channel that closed has already
	 * returned them.
	 * @param channel the channel they were taken on
	 * @param queue the queue they were taken from
	 * @param lastTag the delivery tag of the last one, negative for none
	 * @param expectedReady how many messages the queue holds once they are back: those left
	 * in it after the last {@code basic.get} and those returned
	 */
	static void requeueUpTo(Channel channel, String queue, long lastTag, long expectedReady) {
		if (nack(channel, lastTag, true)) {
			awaitReady(channel, queue, expectedReady);
		}
	}

	private static boolean nack(Channel channel, long tag, boolean multiple) {
		if (tag < 0 || !channel.isOpen()) {
			return false;
		}
		try {
			channel.basicNack(tag, multiple, true);
			return true;
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not requeue dead letters; the broker requeues them when the channel closes", ex);
			return false;
		}
	}

	/**
	 * A nack has no reply and the queue takes the messages back on its own time, a thousand
	 * of them in tens of milliseconds: whoever reads or counts the queue next, such as a
	 * grouping followed by a page of a group, or a redrive that looks at as many messages as the
	 * queue holds, should find them in place. A consumer elsewhere may keep the count lower, so
	 * the wait is short.
	 */
	private static void awaitReady(Channel channel, String queue, long expectedReady) {
		long deadline = System.nanoTime() + REQUEUE_WAIT.toNanos();
		try {
			while (channel.queueDeclarePassive(queue).getMessageCount() < expectedReady
					&& System.nanoTime() < deadline) {
				TimeUnit.MILLISECONDS.sleep(10);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not count the dead letters of '" + queue + "' after requeueing them", ex);
		}
	}

}
