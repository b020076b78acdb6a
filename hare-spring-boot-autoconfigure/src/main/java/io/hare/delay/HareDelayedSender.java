package io.hare.delay;

import java.time.Duration;
import java.time.Instant;

import io.hare.support.ConfirmedSend;

import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.AmqpNackReceivedException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.util.Assert;

/**
 * Sends messages that reach their exchange or queue after a delay, through the delay levels of
 * one connection, and returns once the broker confirmed them: from then on they survive broker
 * restarts and reach their destination at least once.
 */
public class HareDelayedSender {

	private final DelayInfrastructure infrastructure;

	private final RabbitTemplate template;

	private final ConfirmType confirmType;

	private final Duration confirmTimeout;

	/**
	 * Create a sender.
	 * @param infrastructure the delay levels of the connection
	 * @param template a template on the connection
	 * @param confirmType the confirm type of the connection, simple or correlated
	 * @param confirmTimeout how long to wait for the broker's confirm
	 */
	public HareDelayedSender(DelayInfrastructure infrastructure, RabbitTemplate template, ConfirmType confirmType,
			Duration confirmTimeout) {
		Assert.notNull(infrastructure, "'infrastructure' must not be null");
		Assert.notNull(template, "'template' must not be null");
		Assert.isTrue(confirmType != ConfirmType.NONE, "'confirmType' must be simple or correlated");
		Assert.notNull(confirmTimeout, "'confirmTimeout' must not be null");
		this.infrastructure = infrastructure;
		this.template = template;
		this.confirmType = confirmType;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Publish a message to an exchange after a delay; the delay forwarder publishes it when
	 * it is due.
	 * @param exchange the exchange, {@code ""} for the default exchange
	 * @param routingKey the routing key
	 * @param message the message, left unchanged
	 * @param delay the delay, rounded up to whole seconds, at most {@link DelayTopology#MAX_DELAY}
	 * @return what was sent, with its due time
	 * @throws org.springframework.amqp.AmqpException if the broker did not confirm it
	 */
	public DelayedMessage send(String exchange, String routingKey, Message message, Duration delay) {
		return publish(this.infrastructure.toExchange(exchange, routingKey, message, delay));
	}

	/**
	 * Publish a message to an exchange at a given time; a time in the past means now.
	 * @param exchange the exchange, {@code ""} for the default exchange
	 * @param routingKey the routing key
	 * @param message the message, left unchanged
	 * @param due when to publish it, rounded up to whole seconds from now
	 * @return what was sent, with its due time
	 * @throws org.springframework.amqp.AmqpException if the broker did not confirm it
	 */
	public DelayedMessage sendAt(String exchange, String routingKey, Message message, Instant due) {
		return publish(this.infrastructure.toExchangeAt(exchange, routingKey, message, due));
	}

	/**
	 * Put a message in a queue after a delay, through bindings only, with no forwarder.
	 * @param queue the queue, which must exist
	 * @param message the message, left unchanged
	 * @param delay the delay, rounded up to whole seconds, at most {@link DelayTopology#MAX_DELAY}
	 * @return what was sent, with its due time
	 * @throws org.springframework.amqp.AmqpException if the broker did not confirm it
	 */
	public DelayedMessage sendToQueue(String queue, Message message, Duration delay) {
		return publish(this.infrastructure.toQueue(queue, message, delay));
	}

	/**
	 * Publish a prepared message and wait for its confirm. A level exchange that was deleted
	 * while the connection stayed open is declared again and the message sent once more.
	 * @param delayed the message, from {@link DelayInfrastructure}
	 * @return the message
	 * @throws org.springframework.amqp.AmqpException if the broker did not confirm it
	 */
	public DelayedMessage publish(DelayedMessage delayed) {
		ConfirmedSend.Outcome outcome = send(delayed);
		if (outcome.noSuchExchange()
				|| (!outcome.ack() && ConfirmedSend.exchangeMissing(this.template, delayed.exchange()))) {
			this.infrastructure.redeclare();
			outcome = send(delayed);
		}
		if (outcome.returned() != null) {
			throw new AmqpMessageReturnedException("Delayed message " + outcome.describe(), outcome.returned());
		}
		if (!outcome.ack()) {
			throw new AmqpNackReceivedException("Delayed message " + outcome.describe(), delayed.message());
		}
		return delayed;
	}

	private ConfirmedSend.Outcome send(DelayedMessage delayed) {
		return ConfirmedSend.send(this.template, this.confirmType, this.confirmTimeout, delayed.exchange(),
				delayed.routingKey(), delayed.message());
	}

	public DelayInfrastructure getInfrastructure() {
		return this.infrastructure;
	}

}
