package io.hare.retry;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.util.Assert;

/**
 * How often and after which delays a failed message is retried.
 *
 * @param limit the number of retries after the first attempt; zero dead-letters at the first
 * failure
 * @param delays the delay before each retry: retry {@code i} (0-based) waits
 * {@code delays[min(i, n - 1)]}; one delay is a fixed delay, several a cascade
 * @param nonRetryable the exceptions that dead-letter a message at once, anywhere in the cause
 * chain
 * @param backoff the exponential backoff that computes each delay instead, through Hare's
 * delay levels, or {@code null} to wait the {@code delays}
 * @param retryable the only exceptions that are retried, anywhere in the cause chain; empty
 * for all but the {@code nonRetryable}
 */
public record RetryPolicy(int limit, List<Duration> delays, List<Class<? extends Throwable>> nonRetryable,
		@Nullable ExponentialBackoff backoff, List<Class<? extends Throwable>> retryable) {

	public RetryPolicy {
		Assert.isTrue(limit >= 0, "'limit' must not be negative");
		Assert.notNull(delays, "'delays' must not be null");
		Assert.isTrue(backoff != null || !delays.isEmpty(), "'delays' must not be empty without a backoff");
		delays = List.copyOf(delays);
		nonRetryable = List.copyOf(nonRetryable);
		retryable = List.copyOf(retryable);
	}

	/**
	 * Create a policy that retries every exception but the non-retryable ones.
	 * @param limit the number of retries after the first attempt
	 * @param delays the delay before each retry
	 * @param nonRetryable the exceptions that dead-letter a message at once
	 * @param backoff the exponential backoff, or {@code null} to wait the {@code delays}
	 */
	public RetryPolicy(int limit, List<Duration> delays, List<Class<? extends Throwable>> nonRetryable,
			@Nullable ExponentialBackoff backoff) {
		this(limit, delays, nonRetryable, backoff, List.of());
	}

	/**
	 * Create a policy that waits a fixed delay or a cascade of delays.
	 * @param limit the number of retries after the first attempt
	 * @param delays the delay before each retry, at least one
	 * @param nonRetryable the exceptions that dead-letter a message at once
	 */
	public RetryPolicy(int limit, List<Duration> delays, List<Class<? extends Throwable>> nonRetryable) {
		this(limit, delays, nonRetryable, null);
	}

	/**
	 * Create a policy that waits an exponential backoff.
	 * @param limit the number of retries after the first attempt
	 * @param backoff the backoff
	 * @param nonRetryable the exceptions that dead-letter a message at once
	 * @return the policy
	 */
	public static RetryPolicy exponential(int limit, ExponentialBackoff backoff,
			List<Class<? extends Throwable>> nonRetryable) {
		Assert.notNull(backoff, "'backoff' must not be null");
		return new RetryPolicy(limit, List.of(), nonRetryable, backoff);
	}

	/**
	 * Whether each delay is computed by an {@link ExponentialBackoff} and waited through Hare's
	 * delay levels rather than in the listener's own delay queues.
	 * @return whether the backoff is exponential
	 */
	public boolean isExponential() {
		return this.backoff != null;
	}

	/**
	 * Whether a message whose given attempt failed may be tried again.
	 * @param failedAttempt the 1-based attempt that failed
	 * @return whether a retry is left
	 */
	public boolean hasRetryLeft(int failedAttempt) {
		return failedAttempt <= this.limit;
	}

	/**
	 * Return the delay before the retry that follows the given failed attempt.
	 * @param failedAttempt the 1-based attempt that failed
	 * @return the delay
	 */
	public Duration delayAfter(int failedAttempt) {
		if (this.backoff != null) {
			return this.backoff.delayAfter(failedAttempt);
		}
		int index = Math.min(Math.max(failedAttempt, 1) - 1, this.delays.size() - 1);
		return this.delays.get(index);
	}

	/**
	 * Return a policy like this one that retries only the given exceptions.
	 * @param retryable the only exceptions to retry, anywhere in the cause chain
	 * @return the policy
	 */
	public RetryPolicy retryingOnly(List<Class<? extends Throwable>> retryable) {
		return new RetryPolicy(this.limit, this.delays, this.nonRetryable, this.backoff, retryable);
	}

	/**
	 * Whether a failure may be retried: nothing in its cause chain is one of the
	 * {@link #nonRetryable()} exceptions or Spring AMQP's
	 * {@link AmqpRejectAndDontRequeueException}, which says the same, and, when
	 * {@link #retryable()} is set, something in it is one of those.
	 * @param failure what the handler threw
	 * @return whether the failure is worth a retry
	 */
	public boolean isRetryable(Throwable failure) {
		if (inCauseChain(failure, List.of(AmqpRejectAndDontRequeueException.class))
				|| inCauseChain(failure, this.nonRetryable)) {
			return false;
		}
		return this.retryable.isEmpty() || inCauseChain(failure, this.retryable);
	}

	private static boolean inCauseChain(Throwable failure, List<Class<? extends Throwable>> types) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			Throwable current = cause;
			if (types.stream().anyMatch((type) -> type.isInstance(current))) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
