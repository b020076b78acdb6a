package io.hare.retry;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How often a failed message is tried again at once, in place, before it takes the delayed
 * path: a transient blip then costs no trip through the broker.
 *
 * @param attempts the number of immediate retries, zero for none
 * @param delay how long to wait before each, holding the message
 */
public record ImmediateRetries(int attempts, Duration delay) {

	/**
	 * No immediate retries.
	 */
	public static final ImmediateRetries NONE = new ImmediateRetries(0, Duration.ZERO);

	public ImmediateRetries {
		Assert.isTrue(attempts >= 0, "'attempts' must not be negative");
		Assert.isTrue(delay != null && !delay.isNegative(), "'delay' must not be negative");
	}

}
