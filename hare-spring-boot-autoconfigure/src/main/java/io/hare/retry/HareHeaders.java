package io.hare.retry;

import org.springframework.amqp.core.MessageProperties;

/**
 * The headers Hare writes on retried and dead-lettered messages.
 */
public final class HareHeaders {

	/**
	 * The 1-based attempt that failed.
	 */
	public static final String ATTEMPT = "x-hare-attempt";

	/**
	 * The class of the exception that made the attempt fail.
	 */
	public static final String EXCEPTION = "x-hare-exception";

	/**
	 * The number of immediate retries made in place before the attempt was given up.
	 */
	public static final String IMMEDIATE_RETRIES = "x-hare-immediate-retries";

	/**
	 * The message of that exception.
	 */
	public static final String EXCEPTION_MESSAGE = "x-hare-exception-message";

	/**
	 * When the attempt failed, ISO-8601.
	 */
	public static final String FAILED_AT = "x-hare-failed-at";

	/**
	 * The id of the listener the attempt was made by.
	 */
	public static final String LISTENER = "x-hare-listener";

	/**
	 * The exchange the message was first published to.
	 */
	public static final String ORIGINAL_EXCHANGE = "x-hare-original-exchange";

	/**
	 * The routing key the message was first published with.
	 */
	public static final String ORIGINAL_ROUTING_KEY = "x-hare-original-routing-key";

	private HareHeaders() {
	}

	/**
	 * Return the number of attempts that already failed, from the {@link #ATTEMPT} header. A
	 * header that is missing, negative or not a whole number counts as zero: a tampered header
	 * never stops a message from being consumed.
	 * @param properties the message properties
	 * @return the failed attempts, zero or more
	 */
	public static int failedAttempts(MessageProperties properties) {
		Object value = properties.getHeaders().get(ATTEMPT);
		long attempts;
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			attempts = ((Number) value).longValue();
		}
		else if (value != null) {
			try {
				attempts = Long.parseLong(value.toString().trim());
			}
			catch (NumberFormatException ex) {
				attempts = 0;
			}
		}
		else {
			attempts = 0;
		}
		return (int) Math.max(0, Math.min(attempts, Integer.MAX_VALUE - 1));
	}

}
