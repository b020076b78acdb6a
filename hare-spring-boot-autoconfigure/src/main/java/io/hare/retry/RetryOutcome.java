package io.hare.retry;

/**
 * Where a failed message went.
 */
public enum RetryOutcome {

	/**
	 * To a delay queue, from which it returns to the work queue for another attempt.
	 */
	RETRIED,

	/**
	 * To the dead-letter queue, with the reason in its headers.
	 */
	DEAD_LETTERED

}
