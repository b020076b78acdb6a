package io.hare.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The test-only time scale multiplies delays to the nanosecond and accepts only factors in
 * (0, 1].
 */
class TimeScaleTests {

	@Test
	void multipliesDelaysToTheNanosecond() {
		TimeScale scale = new TimeScale(0.01);
		assertThat(scale.scale(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(10));
		assertThat(scale.scale(Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(600));
		assertThat(scale.scale(Duration.ofNanos(149))).isEqualTo(Duration.ofNanos(1));
		assertThat(scale.scale(Duration.ofDays(3000))).isEqualTo(Duration.ofDays(30));
		assertThat(scale.scale(Duration.ZERO)).isZero();
	}

	@Test
	void noneLeavesDelaysAsTheyAre() {
		assertThat(TimeScale.NONE.isScaling()).isFalse();
		assertThat(TimeScale.NONE.scale(Duration.ofMillis(1234))).isEqualTo(Duration.ofMillis(1234));
	}

	@Test
	void refusesFactorsOutsideZeroToOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TimeScale(0));
		assertThatIllegalArgumentException().isThrownBy(() -> new TimeScale(1.5));
		assertThatIllegalArgumentException().isThrownBy(() -> new TimeScale(Double.NaN));
	}

}
