package io.hare.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultRowTests {

	private static Measurement round(String contender, int round, double seconds, long cpuNanos) {
		return new Measurement("drain", contender, round, 1000, seconds, Double.NaN, Double.NaN, cpuNanos);
	}

	@Test
	void comparesRateAndCpuPerMessageRoundByRound() {
		List<Measurement> hare = List.of(round("hare", 1, 1.0, 8_000_000), round("hare", 2, 1.0, 9_000_000),
				round("hare", 3, 2.0, 10_000_000));
		List<Measurement> plain = List.of(round("plain", 1, 1.25, 10_000_000), round("plain", 2, 1.0, 10_000_000),
				round("plain", 3, 2.0, 10_000_000));
		ResultRow row = ResultRow.compared(hare, plain, 1.15).withCpuGoal(0.90);
		assertThat(row.ratio().median()).isEqualTo(1.0);
		assertThat(row.ratio().min()).isEqualTo(1.0);
		assertThat(row.ratio().max()).isEqualTo(1.25);
		assertThat(row.ratio().spread()).isCloseTo(0.125, within(1e-9));
		assertThat(row.cpuMicros()).isEqualTo(9.0);
		assertThat(row.cpuRatio().median()).isCloseTo(0.9, within(1e-9));
		assertThat(row.goal()).isEqualTo("≥ 1.15, CPU ≤ 0.90");
		assertThat(row.met()).isFalse();
	}

	@Test
	void cpuGoalAloneDoesNotMeetARateGoalThatIsMissed() {
		List<Measurement> hare = List.of(round("hare", 1, 1.0, 5_000_000));
		List<Measurement> plain = List.of(round("plain", 1, 1.2, 10_000_000));
		assertThat(ResultRow.compared(hare, plain, 1.15).withCpuGoal(0.90).met()).isTrue();
		assertThat(ResultRow.compared(hare, plain, 1.25).withCpuGoal(0.90).met()).isFalse();
	}

	@Test
	void rowWithoutCpuHasNoCpuRatio() {
		List<Measurement> hare = List.of(round("hare", 1, 1.0, -1));
		List<Measurement> plain = List.of(round("plain", 1, 1.0, 10_000_000));
		ResultRow row = ResultRow.compared(hare, plain, 1.0);
		assertThat(row.cpuMicros()).isNaN();
		assertThat(row.cpuRatio()).isNull();
		assertThat(row.withCpuGoal(0.9).met()).isFalse();
	}

	@Test
	void cpuPerMessageIsInMicroseconds() {
		assertThat(round("hare", 1, 1.0, 2_500_000).cpuMicrosPerMessage()).isEqualTo(2.5);
		assertThat(round("hare", 1, 1.0, -1).cpuMicrosPerMessage()).isNaN();
	}

}
