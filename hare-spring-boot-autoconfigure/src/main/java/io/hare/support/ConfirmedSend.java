package io.hare.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/**
 * Publishes one message and waits for the broker's confirm, as Spring AMQP's
 * {@code RepublishMessageRecovererWithConfirms} does, but hands back what happened instead of
 * throwing, so that a caller can tell a missing exchange from a broker that did not answer.
 * Hare's delayed sender, delay forwarder and dead-letter redriver send through it, and its
 * publishers check a destination exchange with {@link #exchangeMissing}. Internal to Hare.
 */
public final class ConfirmedSend {

	private ConfirmedSend() {
	}

	/**
	 * Publish and wait for the confirm.
	 * @param template a mandatory template
	 * @param confirmType the confirm type of the template's connection factory
	 * @param timeout how long to wait for the confirm
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message
	 * @return the outcome
	 * @throws org.springframework.amqp.AmqpException if the confirm did not come in time
	 */
	public static Outcome send(RabbitTemplate template, ConfirmType confirmType, Duration timeout, String exchange,
			String routingKey, Message message) {
		if (confirmType == ConfirmType.SIMPLE) {
			// Simple confirms cannot tell a returned message apart: a caller that must know
			// uses correlated confirms. The delay levels route every key they are given.
			template.invoke((operations) -> {
				operations.send(exchange, routingKey, message);
				operations.waitForConfirmsOrDie(timeout.toMillis());
				return null;
			});
			return new Outcome(true, null, null);
		}
		CorrelationData correlation = new CorrelationData();
		template.send(exchange, routingKey, message, correlation);
		try {
			CorrelationData.Confirm confirm = correlation.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return new Outcome(confirm.ack(), correlation.getReturned(), confirm.reason());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex);
		}
		catch (ExecutionException ex) {
			throw RabbitExceptionTranslator.convertRabbitAccessException(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AmqpException("The broker did not confirm a message to exchange '" + exchange
					+ "' with routing key '" + routingKey + "' within " + timeout, ex);
		}
	}

	/**
	 * Whether an exchange does not exist, asked of the broker with a passive declare: the
	 * confirm of a publish to a missing exchange may say only that the channel closed.
	 * @param template the template to ask through
	 * @param exchange the exchange
	 * @return whether the broker answered 404
	 */
	public static boolean exchangeMissing(RabbitTemplate template, String exchange) {
		if (exchange.isEmpty()) {
			return false;
		}
		try {
			template.execute((channel) -> channel.exchangeDeclarePassive(exchange));
			return false;
		}
		catch (AmqpException ex) {
			return ChannelCloses.of(ex).filter((close) -> close.getReplyCode() == ChannelCloses.NOT_FOUND).isPresent();
		}
	}

	/**
	 * What the broker said about a published message.
	 *
	 * @param ack whether it confirmed the message
	 * @param returned the message as returned, if it could not be routed
	 * @param reason the reason of a negative confirm
	 */
	public record Outcome(boolean ack, @Nullable ReturnedMessage returned, @Nullable String reason) {

		/**
		 * Whether the broker confirmed the message and did not return it.
		 * @return whether it was confirmed
		 */
		public boolean confirmed() {
			return this.ack && this.returned == null;
		}

		/**
		 * Whether the exchange does not exist: the broker closed the channel with 404.
		 * @return whether the exchange does not exist
		 */
		public boolean noSuchExchange() {
			return !this.ack && this.reason != null && this.reason.contains("reply-code=404");
		}

		/**
		 * Describe the outcome for a log line or an exception.
		 * @return what the broker said
		 */
		public String describe() {
			if (this.returned != null) {
				return "returned by the broker: " + this.returned.getReplyCode() + " " + this.returned.getReplyText();
			}
			return this.ack ? "confirmed" : "not confirmed: " + this.reason;
		}

	}

}
