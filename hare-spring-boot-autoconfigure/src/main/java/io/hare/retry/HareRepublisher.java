package io.hare.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecovererWithConfirms;

/**
 * Republishes a failed message through the default exchange to one of a listener's retry or
 * dead-letter queues, adds Hare's reason headers, and returns only once the broker confirmed
 * it, so the original can be acked without risk of loss.
 */
public class HareRepublisher extends RepublishMessageRecovererWithConfirms {

	static final int MAX_EXCEPTION_MESSAGE_LENGTH = 1_000;

	private final String listenerId;

	/**
	 * Create a republisher.
	 * @param template a template on a connection factory with the given confirm type
	 * @param confirmType the publisher confirm type of the template's connection factory
	 * @param confirmTimeout how long to wait for the broker's confirm
	 * @param queue the queue to republish to
	 * @param listenerId the listener, written in {@link HareHeaders#LISTENER}
	 */
	public HareRepublisher(RabbitTemplate template, ConfirmType confirmType, Duration confirmTimeout, String queue,
			String listenerId) {
		super(template, "", queue, confirmType);
		setConfirmTimeout(confirmTimeout.toMillis());
		this.listenerId = listenerId;
	}

	@Override
	protected Map<? extends String, ?> additionalHeaders(Message message, @Nullable Throwable cause) {
		MessageProperties properties = message.getMessageProperties();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		if (cause != null) {
			headers.put(HareHeaders.EXCEPTION, cause.getClass().getName());
			headers.put(HareHeaders.EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())));
		}
		headers.put(HareHeaders.FAILED_AT, Instant.now().toString());
		headers.put(HareHeaders.LISTENER, this.listenerId);
		// A retried message comes back through the default exchange: keep where it came from first.
		Object exchange = firstNonNull(properties.getHeader(HareHeaders.ORIGINAL_EXCHANGE),
				properties.getReceivedExchange());
		Object routingKey = firstNonNull(properties.getHeader(HareHeaders.ORIGINAL_ROUTING_KEY),
				properties.getReceivedRoutingKey());
		headers.put(HareHeaders.ORIGINAL_EXCHANGE, exchange);
		headers.put(HareHeaders.ORIGINAL_ROUTING_KEY, routingKey);
		headers.put(X_ORIGINAL_EXCHANGE, exchange);
		headers.put(X_ORIGINAL_ROUTING_KEY, routingKey);
		return headers;
	}

	private static @Nullable Object firstNonNull(@Nullable Object first, @Nullable Object second) {
		return (first != null) ? first : second;
	}

	private static String truncate(String message) {
		return (message.length() <= MAX_EXCEPTION_MESSAGE_LENGTH) ? message
				: message.substring(0, MAX_EXCEPTION_MESSAGE_LENGTH) + "...";
	}

}
