package io.hare.delay;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.amqp.core.MessageProperties;

/**
 * The headers Hare writes on a delayed message, so that anyone looking at it in a queue can
 * tell how long it waits, when it is due and where it goes.
 */
public final class DelayHeaders {

	/**
	 * The whole delay, rounded up to whole seconds, as an ISO-8601 duration such as
	 * {@code PT10S}.
	 */
	public static final String DELAY = "x-hare-delay";

	/**
	 * When the message is due at its destination, as an ISO-8601 instant; the delay it still
	 * has is this minus now.
	 */
	public static final String DUE = "x-hare-delay-due";

	/**
	 * The exchange the message goes to when it is due; the default exchange, {@code ""}, for a
	 * message that goes straight to the queue named by {@link #ROUTING_KEY}.
	 */
	public static final String EXCHANGE = "x-hare-delay-exchange";

	/**
	 * The routing key the message is published with when it is due, or its destination queue.
	 */
	public static final String ROUTING_KEY = "x-hare-delay-routing-key";

	/**
	 * The message's own {@code expiration}, kept here while it waits, so that it does not cut
	 * the wait short, and restored when it is forwarded.
	 */
	public static final String EXPIRATION = "x-hare-delay-expiration";

	/**
	 * Why the forwarder could not deliver a message it moved to the unrouted queue.
	 */
	public static final String UNROUTABLE = "x-hare-delay-unroutable";

	private DelayHeaders() {
	}

	/**
	 * Return when a delayed message is due.
	 * @param properties the message's properties
	 * @return the due time, if the message has a readable {@link #DUE} header
	 */
	public static Optional<Instant> due(MessageProperties properties) {
		Object value = properties.getHeaders().get(DUE);
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(Instant.parse(value.toString()));
		}
		catch (DateTimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Return the delay a message still has.
	 * @param properties the message's properties
	 * @param clock the clock that says what time it is
	 * @return the remaining delay, zero once due, if the message has a readable {@link #DUE}
	 * header
	 */
	public static Optional<Duration> remaining(MessageProperties properties, Clock clock) {
		return due(properties).map((due) -> {
			Duration remaining = Duration.between(clock.instant(), due);
			return remaining.isNegative() ? Duration.ZERO : remaining;
		});
	}

}
