package io.hare.scaling;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AutoScalingPolicy}.
 */
class AutoScalingPolicyTests {

	private final AutoScalingPolicy policy = new AutoScalingPolicy(2, 20, 100, Duration.ofSeconds(5),
			Duration.ofSeconds(10), false);

	@Test
	void targetIsTheDepthDividedByMessagesPerConsumerRoundedUp() {
		assertThat(this.policy.target(301, 0)).isEqualTo(4);
		assertThat(this.policy.target(300, 0)).isEqualTo(3);
		assertThat(this.policy.target(1_000, 0)).isEqualTo(10);
	}

	@Test
	void targetStaysWithinMinAndMax() {
		assertThat(this.policy.target(0, 0)).isEqualTo(2);
		assertThat(this.policy.target(1, 0)).isEqualTo(2);
		assertThat(this.policy.target(Long.MAX_VALUE, 0)).isEqualTo(20);
		assertThat(this.policy.target(-5, 0)).as("a negative depth counts as empty").isEqualTo(2);
		IntStream.rangeClosed(0, 5_000).forEach((depth) -> assertThat(this.policy.target(depth, depth % 7))
			.isBetween(2, 20));
	}

	@Test
	void otherConsumersCountOnlyWhenClusterAware() {
		AutoScalingPolicy clusterAware = new AutoScalingPolicy(1, 20, 100, Duration.ofSeconds(5),
				Duration.ofSeconds(10), true);
		assertThat(this.policy.target(800, 5)).isEqualTo(8);
		assertThat(clusterAware.target(800, 5)).isEqualTo(3);
		assertThat(clusterAware.target(800, 50)).isEqualTo(1);
		assertThat(clusterAware.target(800, -3)).isEqualTo(8);
	}

	@Test
	void defaultCooldownIsTwoCheckIntervals() {
		assertThat(AutoScalingPolicy.between(1, 4).scaleDownCooldown()).isEqualTo(Duration.ofSeconds(10));
		assertThat(AutoScalingPolicy.between(1, 4).checkInterval()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void validationNamesTheBadValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> AutoScalingPolicy.between(0, 4).validate())
			.withMessageContaining("minConsumers");
		assertThatIllegalArgumentException().isThrownBy(() -> AutoScalingPolicy.between(5, 4).validate())
			.withMessageContaining("maxConsumers");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AutoScalingPolicy(1, 4, 0, Duration.ofSeconds(1), Duration.ZERO, false).validate())
			.withMessageContaining("messagesPerConsumer");
	}

}
