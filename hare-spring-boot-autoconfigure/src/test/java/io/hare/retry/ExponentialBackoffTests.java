package io.hare.retry;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ExponentialBackoff} and exponential {@link RetryPolicy retry policies}.
 */
class ExponentialBackoffTests {

	private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(10),
			0);

	@Test
	void multipliesTheDelayWithEachAttemptUpToTheMaximum() {
		assertThat(IntStream.rangeClosed(1, 6).mapToObj(this.backoff::delayAfter)).containsExactly(
				Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
				Duration.ofSeconds(10), Duration.ofSeconds(10));
	}

	@Test
	void staysAtTheMaximumWhenThePowerOverflows() {
		assertThat(this.backoff.delayAfter(5_000)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.backoff.delayAfter(0)).as("a missing attempt counts as the first").isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void jitterMovesTheDelayEitherWayButNeverBeyondTheMaximum() {
		ExponentialBackoff jittered = new ExponentialBackoff(Duration.ofSeconds(4), 2, Duration.ofSeconds(10), 0.25);
		assertThat(jittered.delayAfter(1, fixed(0.0))).isEqualTo(Duration.ofSeconds(3));
		assertThat(jittered.delayAfter(1, fixed(0.5))).isEqualTo(Duration.ofSeconds(4));
		assertThat(jittered.delayAfter(1, fixed(0.999999))).isEqualTo(Duration.ofSeconds(5));
		assertThat(jittered.delayAfter(3, fixed(0.999999))).as("16s capped, then jitter capped")
			.isEqualTo(Duration.ofSeconds(10));
		assertThat(jittered.delayAfter(3, fixed(0.0))).isEqualTo(Duration.ofMillis(7500));
		List<Duration> random = IntStream.range(0, 200).mapToObj((i) -> jittered.delayAfter(1)).toList();
		assertThat(random).allSatisfy(
				(delay) -> assertThat(delay).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5)));
		assertThat(random.stream().distinct().count()).as("spread, not one value").isGreaterThan(10);
	}

	@Test
	void rejectsSettingsThatCannotMakeABackoff() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ExponentialBackoff(Duration.ZERO, 2, Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1.5));
	}

	@Test
	void exponentialPolicyComputesEachDelayAndHasNoDelayQueues() {
		RetryPolicy policy = RetryPolicy.exponential(3, this.backoff, List.of());
		assertThat(policy.isExponential()).isTrue();
		assertThat(policy.delays()).isEmpty();
		assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(policy.hasRetryLeft(3)).isTrue();
		assertThat(policy.hasRetryLeft(4)).isFalse();
		assertThat(new RetryPolicy(1, List.of(Duration.ofSeconds(1)), List.of()).isExponential()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(1, List.of(), List.of()));
	}

	private static RandomGenerator fixed(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				throw new UnsupportedOperationException();
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
