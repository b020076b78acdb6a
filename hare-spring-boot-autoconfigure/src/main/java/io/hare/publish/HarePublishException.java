package io.hare.publish;

import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;

import org.springframework.amqp.AmqpException;

/**
 * Thrown, or given through the future, when a message could not be published; its
 * {@link #getReason() reason} says why. A message that raised this may still have reached the
 * broker (a confirm that timed out, a connection lost before the confirm); a retry can
 * therefore deliver it twice.
 */
public class HarePublishException extends AmqpException {

	private final Reason reason;

	private final String publisher;

	private final String exchange;

	private final String routingKey;

	private final @Nullable String messageId;

	/**
	 * Create an exception.
	 * @param reason why the message was not published
	 * @param publisher the publisher's name
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param messageId the message id, if the message got that far
	 * @param detail what happened, without credentials
	 * @param cause the cause, if any
	 */
	public HarePublishException(Reason reason, String publisher, String exchange, String routingKey,
			@Nullable String messageId, String detail, @Nullable Throwable cause) {
		super(message(reason, publisher, exchange, routingKey, messageId, detail), cause);
		this.reason = reason;
		this.publisher = publisher;
		this.exchange = exchange;
		this.routingKey = routingKey;
		this.messageId = messageId;
	}

	private static String message(Reason reason, String publisher, String exchange, String routingKey,
			@Nullable String messageId, String detail) {
		String id = (messageId != null) ? " " + messageId : "";
		return CredentialMasker.mask("Hare publisher '" + publisher + "' could not publish message" + id
				+ " to exchange '" + exchange + "' with routing key '" + routingKey + "' [" + reason + "]: " + detail);
	}

	public Reason getReason() {
		return this.reason;
	}

	public String getPublisher() {
		return this.publisher;
	}

	public String getExchange() {
		return this.exchange;
	}

	public String getRoutingKey() {
		return this.routingKey;
	}

	public @Nullable String getMessageId() {
		return this.messageId;
	}

	/**
	 * Why a message was not published.
	 */
	public enum Reason {

		/**
		 * The broker refused the message (negative acknowledgement), for example because a queue
		 * is full and rejects publishes.
		 */
		NACKED,

		/**
		 * The broker did not confirm the message within the confirm timeout; it may still arrive.
		 */
		TIMED_OUT,

		/**
		 * The message reached no queue: no binding matched its routing key (it was returned),
		 * or the exchange does not exist.
		 */
		UNROUTABLE,

		/**
		 * The connection or channel failed before the broker confirmed the message; it may
		 * have arrived.
		 */
		CONNECTION_FAILED,

		/**
		 * The payload could not be encoded.
		 */
		ENCODING_FAILED,

		/**
		 * The deduplication store could not be reached, and the publisher is not set to
		 * publish without it.
		 */
		DEDUP_STORE_UNAVAILABLE,

		/**
		 * The message lacks a value its deduplication key is made of.
		 */
		DEDUP_KEY_MISSING,

		/**
		 * The publishing thread was interrupted while it waited for the confirm; the message
		 * may still arrive.
		 */
		INTERRUPTED

	}

}
