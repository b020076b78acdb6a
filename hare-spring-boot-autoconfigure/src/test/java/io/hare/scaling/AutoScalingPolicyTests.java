package io.hare.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

	private final AutoScalingPolicy clusterAware = new AutoScalingPolicy(1, 20, 100, Duration.ofSeconds(5),
			Duration.ofSeconds(10), true);

	@Test
	void targetIsTheDepthDividedByMessagesPerConsumerRoundedUp() {
		assertThat(this.policy.target(301, 1, 0)).isEqualTo(4);
		assertThat(this.policy.target(300, 1, 0)).isEqualTo(3);
		assertThat(this.policy.target(1_000, 1, 0)).isEqualTo(10);
	}

	@Test
	void targetStaysWithinMinAndMax() {
		assertThat(this.policy.target(0, 1, 0)).isEqualTo(2);
		assertThat(this.policy.target(1, 1, 0)).isEqualTo(2);
		assertThat(this.policy.target(Long.MAX_VALUE, 1, 0)).isEqualTo(20);
		assertThat(this.policy.target(-5, 1, 0)).as("a negative depth counts as empty").isEqualTo(2);
		IntStream.rangeClosed(0, 5_000).forEach((depth) -> assertThat(this.policy.target(depth, depth % 5, depth % 7))
			.isBetween(2, 20));
	}

	@Test
	void otherConsumersCountOnlyWhenClusterAware() {
		assertThat(this.policy.target(800, 1, 5)).isEqualTo(8);
		assertThat(this.clusterAware.target(800, 1, 0)).isEqualTo(8);
		assertThat(this.clusterAware.target(800, 3, 5)).as("its share: ceil(8 * 3 / 8)").isEqualTo(3);
		assertThat(this.clusterAware.target(800, 1, 5)).as("its share: ceil(8 * 1 / 6)").isEqualTo(2);
		assertThat(this.clusterAware.target(800, 1, 50)).isEqualTo(1);
		assertThat(this.clusterAware.target(Long.MAX_VALUE, 4, 4)).isEqualTo(20);
	}

	@Test
	void clusterAwareSettlesAtTheTargetMinusTheOthersConsumers() {
		// Five consumers of some other application stay on the queue; 800 ready need 8 in all.
		int own = 1;
		for (int check = 0; check < 10; check++) {
			own = this.clusterAware.target(800, own, 5);
		}
		assertThat(own).isEqualTo(3);
	}

	@Test
	void clusterAwareInstancesCheckingAtTheSameMomentTogetherReachTheTargetWithoutFlapping() {
		// Three instances read the same counts each time: 1 200 ready need 12 consumers in all.
		int[] instances = { 1, 1, 1 };
		List<Integer> totals = new ArrayList<>();
		for (int check = 0; check < 10; check++) {
			int all = instances[0] + instances[1] + instances[2];
			int[] next = new int[3];
			for (int i = 0; i < 3; i++) {
				next[i] = this.clusterAware.target(1_200, instances[i], all - instances[i]);
			}
			instances = next;
			totals.add(instances[0] + instances[1] + instances[2]);
		}
		assertThat(totals).containsOnly(12);
		// Subtracting the others' consumers, each would go 1 -> 10 -> 1 -> 10 ...
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
