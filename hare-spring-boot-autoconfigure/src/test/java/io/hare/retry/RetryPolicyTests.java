package io.hare.retry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RetryPolicy}.
 */
class RetryPolicyTests {

	private final RetryPolicy cascade = new RetryPolicy(5,
			List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)),
			List.of(IllegalArgumentException.class));

	@Test
	void cascadeUsesEachDelayThenKeepsTheLast() {
		assertThat(List.of(1, 2, 3, 4, 5).stream().map(this.cascade::delayAfter)).containsExactly(
				Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(1),
				Duration.ofMinutes(1));
	}

	@Test
	void allowsLimitRetriesAfterTheFirstAttempt() {
		assertThat(this.cascade.hasRetryLeft(5)).isTrue();
		assertThat(this.cascade.hasRetryLeft(6)).isFalse();
		assertThat(new RetryPolicy(0, List.of(Duration.ofSeconds(1)), List.of()).hasRetryLeft(1)).isFalse();
	}

	@Test
	void doesNotRetryNonRetryableExceptionsOrSpringsRejectSignal() {
		assertThat(this.cascade.isRetryable(new IllegalStateException())).isTrue();
		assertThat(this.cascade.isRetryable(new NumberFormatException())).as("a subclass").isFalse();
		assertThat(this.cascade.isRetryable(new AmqpRejectAndDontRequeueException("no"))).isFalse();
	}

	@Test
	void rejectsANegativeLimit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(-1, List.of(Duration.ofSeconds(1)), List.of()));
	}

	@Test
	void aNonRetryableExceptionAnywhereInTheCauseChainDeadLetters() {
		RetryPolicy policy = new RetryPolicy(3, List.of(Duration.ofSeconds(1)), List.of(IllegalArgumentException.class));
		assertThat(policy.isRetryable(new RuntimeException("wrapped", new IllegalArgumentException("bad")))).isFalse();
		assertThat(policy.isRetryable(new RuntimeException("wrapped", new IllegalStateException("busy")))).isTrue();
	}

	@Test
	void aRetryableListRetriesOnlyThoseExceptionsFoundInTheCauseChain() {
		RetryPolicy policy = new RetryPolicy(3, List.of(Duration.ofSeconds(1)), List.of(), null,
				List.of(IOException.class));
		assertThat(policy.isRetryable(new RuntimeException("wrapped", new IOException("reset")))).isTrue();
		assertThat(policy.isRetryable(new IllegalStateException("bug"))).isFalse();
	}

}
