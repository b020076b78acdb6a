package io.hare.retry;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import io.hare.delay.DelayHeaders;
import io.hare.delay.DelayInfrastructure;
import io.hare.delay.DelayTopology;
import io.hare.delay.DelayedMessage;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.AmqpNackReceivedException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.util.Assert;

/**
 * Republishes a failed message through Hare's delay levels back to its own queue, after a
 * delay computed for that message, with Hare's reason headers, and returns only once the
 * broker confirmed it.
 */
public class HareDelayedRepublisher extends HareRepublisher implements DelayedRecoverer {

	private final DelayInfrastructure delays;

	private final String queue;

	/**
	 * Create a republisher.
	 * @param template a template on a connection factory with the given confirm type
	 * @param confirmType the publisher confirm type of the template's connection factory
	 * @param confirmTimeout how long to wait for the broker's confirm
	 * @param queue the listener's queue, where a retried message comes back to
	 * @param listenerId the listener, written in {@link HareHeaders#LISTENER}
	 * @param delays the delay levels of the template's connection
	 */
	public HareDelayedRepublisher(RabbitTemplate template, ConfirmType confirmType, Duration confirmTimeout,
			String queue, String listenerId, DelayInfrastructure delays) {
		super(template, confirmType, confirmTimeout, queue, listenerId);
		Assert.notNull(delays, "'delays' must not be null");
		DelayTopology.checkDestination(queue);
		this.delays = delays;
		this.queue = queue;
	}

	@Override
	public void recover(Message message, Throwable cause, Duration delay) {
		// The delay travels in its header, which the delayed copy shows anyway: one recoverer
		// serves concurrent consumers, so it cannot be kept in a field. It goes on a copy: the
		// message is the one the handler received.
		recover(MessageBuilder.fromMessage(message)
			.setHeader(DelayHeaders.DELAY, Duration.ofSeconds(DelayTopology.seconds(delay)).toString())
			.build(), cause);
	}

	@Override
	protected void doSend(@Nullable String exchange, String routingKey, Message message) {
		DelayedMessage delayed = this.delays.toQueue(this.queue, message, delayOf(message));
		try {
			super.doSend(delayed.exchange(), delayed.routingKey(), delayed.message());
		}
		catch (AmqpNackReceivedException ex) {
			// A level deleted while the connection stayed open closes the channel: declare the
			// levels again and try once more rather than requeue the original into a loop.
			this.delays.redeclare();
			super.doSend(delayed.exchange(), delayed.routingKey(), delayed.message());
		}
	}

	private static Duration delayOf(Message message) {
		Object value = message.getMessageProperties().getHeader(DelayHeaders.DELAY);
		Assert.state(value != null, "A delayed retry needs its " + DelayHeaders.DELAY + " header");
		try {
			return Duration.parse(value.toString());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalStateException("Unreadable " + DelayHeaders.DELAY + " header: " + value, ex);
		}
	}

}
