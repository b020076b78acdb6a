package io.hare.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.springframework.util.Assert;

/**
 * A retry delay that grows by a factor with each failed attempt up to a maximum:
 * {@code min(initial * multiplier^(attempt - 1), max)}, spread by a random jitter so that
 * messages that failed together do not all come back together.
 *
 * @param initial the delay after the first failed attempt
 * @param multiplier the factor each further attempt multiplies the delay by, at least 1
 * @param max the longest delay, jitter included
 * @param jitter how far, as a fraction from 0 to 1, the delay may randomly move either way:
 * 0.1 gives a delay between 90% and 110% of the computed one
 */
public record ExponentialBackoff(Duration initial, double multiplier, Duration max, double jitter) {

	public ExponentialBackoff {
		Assert.notNull(initial, "'initial' must not be null");
		Assert.notNull(max, "'max' must not be null");
		Assert.isTrue(!initial.isNegative() && !initial.isZero(), "'initial' must be positive");
		Assert.isTrue(multiplier >= 1 && Double.isFinite(multiplier), "'multiplier' must be at least 1");
		Assert.isTrue(max.compareTo(initial) >= 0, "'max' must not be shorter than 'initial'");
		Assert.isTrue(jitter >= 0 && jitter <= 1, "'jitter' must be between 0 and 1");
	}

	/**
	 * Return the delay before the retry that follows a failed attempt.
	 * @param failedAttempt the 1-based attempt that failed
	 * @return the delay
	 */
	public Duration delayAfter(int failedAttempt) {
		return delayAfter(failedAttempt, ThreadLocalRandom.current());
	}

	/**
	 * Return the delay before the retry that follows a failed attempt.
	 * @param failedAttempt the 1-based attempt that failed
	 * @param random the source of the jitter
	 * @return the delay
	 */
	public Duration delayAfter(int failedAttempt, RandomGenerator random) {
		double maxMillis = this.max.toMillis();
		// Infinity once the power overflows, which the minimum turns into max.
		double millis = Math.min(this.initial.toMillis() * Math.pow(this.multiplier, Math.max(failedAttempt, 1) - 1),
				maxMillis);
		if (this.jitter > 0) {
			millis = millis * (1 + this.jitter * (2 * random.nextDouble() - 1));
		}
		return Duration.ofMillis(Math.round(Math.min(millis, maxMillis)));
	}

}
