package io.hare.support;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Argument checks of durations that Hare's outbox and inbox share. Internal to Hare.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Check that a duration is positive.
	 * @param duration the duration
	 * @param name the argument's name, for the message
	 * @return the duration
	 * @throws IllegalArgumentException if it is {@code null}, zero or negative
	 */
	public static Duration positive(Duration duration, String name) {
		Assert.isTrue(duration != null && !duration.isNegative() && !duration.isZero(),
				() -> "'" + name + "' must be positive");
		return duration;
	}

}
