package io.hare.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class StatsTests {

	@Test
	void medianOfAnOddCountIsTheMiddleValue() {
		assertThat(Stats.median(List.of(9, 1, 5))).isEqualTo(5);
	}

	@Test
	void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
		assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 10.0))).isEqualTo(3.5);
	}

	@Test
	void percentileIsTheNearestRank() {
		List<Integer> values = List.of(100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
		assertThat(Stats.percentile(values, 50)).isEqualTo(10);
		assertThat(Stats.percentile(values, 95)).isEqualTo(19);
		assertThat(Stats.percentile(values, 99)).isEqualTo(100);
		assertThat(Stats.percentile(values, 100)).isEqualTo(100);
		assertThat(Stats.percentile(List.of(7), 1)).isEqualTo(7);
	}

	@Test
	void percentileOutsideItsRangeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Stats.percentile(List.of(1), 0));
		assertThatIllegalArgumentException().isThrownBy(() -> Stats.percentile(List.of(1), 101));
	}

	@Test
	void noValuesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Stats.median(List.of()));
	}

	@Test
	void minAndMaxIgnoreOrder() {
		assertThat(Stats.min(List.of(3, -2, 8))).isEqualTo(-2);
		assertThat(Stats.max(List.of(3, -2, 8))).isEqualTo(8);
	}

	@Test
	void comparedRowDividesRoundByRoundAndKeepsTheRange() {
		List<Measurement> hare = List.of(Measurement.throughput("drain", "hare", 1, 1000, 1.0),
				Measurement.throughput("drain", "hare", 2, 1000, 0.5),
				Measurement.throughput("drain", "hare", 3, 1000, 0.8));
		List<Measurement> plain = List.of(Measurement.throughput("drain", "plain", 1, 1000, 0.5),
				Measurement.throughput("drain", "plain", 2, 1000, 0.5),
				Measurement.throughput("drain", "plain", 3, 1000, 1.0));
		ResultRow row = ResultRow.compared(hare, plain, 1.00);
		assertThat(row.rate()).isEqualTo(1250);
		assertThat(row.ratio()).isNotNull();
		assertThat(row.ratio().baseline()).isEqualTo("plain");
		assertThat(row.ratio().median()).isEqualTo(1.0);
		assertThat(row.ratio().min()).isEqualTo(0.5);
		assertThat(row.ratio().max()).isCloseTo(1.25, within(1e-9));
		assertThat(row.goal()).isEqualTo("≥ 1.00");
		assertThat(row.met()).isTrue();
	}

	@Test
	void comparedRowBelowItsGoalIsNotMet() {
		List<Measurement> hare = List.of(Measurement.throughput("drain", "hare", 1, 700, 1.0));
		List<Measurement> perfTest = List.of(Measurement.throughput("drain", "perf-test", 1, 1000, 1.0));
		assertThat(ResultRow.compared(hare, perfTest, 0.80).met()).isFalse();
	}

	@Test
	void comparedRowIsJudgedOnTheTwoDecimalsItShows() {
		List<Measurement> hare = List.of(Measurement.throughput("drain", "hare", 1, 996, 1.0));
		List<Measurement> plain = List.of(Measurement.throughput("drain", "plain", 1, 1000, 1.0));
		assertThat(ResultRow.compared(hare, plain, 1.00).met()).isTrue();
		List<Measurement> slower = List.of(Measurement.throughput("drain", "hare", 1, 994, 1.0));
		assertThat(ResultRow.compared(slower, plain, 1.00).met()).isFalse();
	}

}
