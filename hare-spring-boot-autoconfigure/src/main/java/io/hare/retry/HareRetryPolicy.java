package io.hare.retry;

/**
 * Decides in code whether a failure is retried, for the one bean of this type; it sees what
 * the listener's settings ({@code retry.non-retryable}, {@code retry.retryable}) decided and
 * returns the final word.
 */
@FunctionalInterface
public interface HareRetryPolicy {

	/**
	 * Decide whether a failure of a listener's handler is retried.
	 * @param listenerId the listener id
	 * @param failure what the handler threw
	 * @param retryableBySettings what the listener's settings decided
	 * @return whether to retry (immediately, then through the delay path); {@code false}
	 * dead-letters the message at once
	 */
	boolean isRetryable(String listenerId, Throwable failure, boolean retryableBySettings);

}
