package io.hare.listener;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * When a listener's circuit breaker stops it consuming, and how it tries again.
 *
 * @param failureRateThreshold the percentage of failed messages, among the last
 * {@code slidingWindowSize}, that opens the breaker
 * @param slidingWindowSize how many of the last messages count
 * @param minimumNumberOfCalls how many messages must have been handled before the rate counts
 * @param waitInOpenState how long the listener stays stopped before a trial
 * @param permittedCallsInHalfOpenState how many messages the trial handles
 */
public record CircuitBreakerSettings(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
		Duration waitInOpenState, int permittedCallsInHalfOpenState) {

	public CircuitBreakerSettings {
		Assert.isTrue(failureRateThreshold > 0 && failureRateThreshold <= 100,
				"'failureRateThreshold' must be above 0 and at most 100");
		Assert.isTrue(slidingWindowSize >= 1, "'slidingWindowSize' must be at least 1");
		Assert.isTrue(minimumNumberOfCalls >= 1, "'minimumNumberOfCalls' must be at least 1");
		Assert.isTrue(waitInOpenState != null && waitInOpenState.toMillis() > 0, "'waitInOpenState' must be positive");
		Assert.isTrue(permittedCallsInHalfOpenState >= 1, "'permittedCallsInHalfOpenState' must be at least 1");
	}

}
