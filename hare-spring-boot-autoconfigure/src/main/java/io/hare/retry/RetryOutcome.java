package io.hare.retry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Where a failed message went.
 *
 * @param retried whether it went to a delay queue, from which it returns to the work queue for
 * another attempt; otherwise it went to the dead-letter queue, with the reason in its headers
 * @param delay how long it waits before that attempt, as chosen for this message (a jittered
 * backoff differs from message to message); {@code null} for a dead letter
 */
public record RetryOutcome(boolean retried, @Nullable Duration delay) {

	/**
	 * To the dead-letter queue.
	 */
	public static final RetryOutcome DEAD_LETTERED = new RetryOutcome(false, null);

	/**
	 * To a delay queue, for another attempt after the delay.
	 * @param delay the delay
	 * @return the outcome
	 */
	public static RetryOutcome retriedAfter(Duration delay) {
		return new RetryOutcome(true, delay);
	}

}
