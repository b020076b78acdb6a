package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

/**
 * One line of the report: a contender's median figures and, for Hare, how it compares with a
 * baseline and whether that meets the goal.
 *
 * @param scenario the scenario
 * @param contender who ran
 * @param rate the median messages per second across rounds, {@code NaN} where none applies
 * @param p50Millis the median of the rounds' median latencies, {@code NaN} where none applies
 * @param p99Millis the median of the rounds' 99th percentile latencies, {@code NaN} where none
 * applies
 * @param ratio how the contender compares with a baseline, if it is compared
 * @param goal the goal, such as {@code ≥ 1.00}, empty for a baseline
 * @param met whether the goal was met, {@code null} without a goal
 * @param note what else the reader needs
 * @param cpuMicros the median across rounds of the CPU time per message, in microseconds,
 * {@code NaN} where it was not measured
 * @param cpuRatio the contender's CPU per message divided by the baseline's, round by round,
 * if both were measured (lower is cheaper)
 */
public record ResultRow(String scenario, String contender, double rate, double p50Millis, double p99Millis,
		@Nullable Ratio ratio, String goal, @Nullable Boolean met, String note, double cpuMicros,
		@Nullable Ratio cpuRatio) {

	/**
	 * Create a row without CPU figures.
	 * @param scenario the scenario
	 * @param contender who ran
	 * @param rate the median messages per second, {@code NaN} where none applies
	 * @param p50Millis the median latency, {@code NaN} where none applies
	 * @param p99Millis the 99th percentile latency, {@code NaN} where none applies
	 * @param ratio how the contender compares with a baseline, if it is compared
	 * @param goal the goal, empty for none
	 * @param met whether the goal was met, {@code null} without a goal
	 * @param note what else the reader needs
	 */
	public ResultRow(String scenario, String contender, double rate, double p50Millis, double p99Millis,
			@Nullable Ratio ratio, String goal, @Nullable Boolean met, String note) {
		this(scenario, contender, rate, p50Millis, p99Millis, ratio, goal, met, note, Double.NaN, null);
	}

	/**
	 * Return the row of a contender that is not compared with anything.
	 * @param measurements its measurements
	 * @return the row
	 */
	public static ResultRow of(List<Measurement> measurements) {
		Measurement first = measurements.get(0);
		return new ResultRow(first.scenario(), first.contender(), medianRate(measurements),
				medianOf(measurements, Measurement::p50Millis), medianOf(measurements, Measurement::p99Millis), null,
				"", null, "", medianOf(measurements, Measurement::cpuMicrosPerMessage), null);
	}

	/**
	 * Return the row of a contender compared round by round with a baseline, by rate and, where
	 * both were measured, by CPU per message.
	 * @param measurements its measurements
	 * @param baseline the baseline's measurements in the same rounds
	 * @param goal the lowest median ratio that meets the goal
	 * @return the row
	 */
	public static ResultRow compared(List<Measurement> measurements, List<Measurement> baseline, double goal) {
		Ratio ratio = ratio(measurements, baseline, Measurement::rate);
		// The goal and the table show two decimals: a ratio judged on more would read 1.00 and fail ≥ 1.00.
		boolean met = Math.round(ratio.median() * 100) / 100.0 >= goal;
		ResultRow row = of(measurements).withRatio(ratio, String.format(Locale.ROOT, "≥ %.2f", goal), met);
		Ratio cpu = ratio(measurements, baseline, Measurement::cpuMicrosPerMessage);
		return Double.isNaN(cpu.median()) ? row : row.withCpuRatio(cpu);
	}

	/**
	 * Return a contender's figure divided by a baseline's, round by round, skipping rounds
	 * where either has none.
	 * @param measurements the contender's measurements
	 * @param baseline the baseline's measurements in the same rounds
	 * @param figure the figure to compare
	 * @return the ratio; its median is {@code NaN} where no round had both figures
	 */
	static Ratio ratio(List<Measurement> measurements, List<Measurement> baseline,
			ToDoubleFunction<Measurement> figure) {
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < Math.min(measurements.size(), baseline.size()); i++) {
			double ratio = figure.applyAsDouble(measurements.get(i)) / figure.applyAsDouble(baseline.get(i));
			if (!Double.isNaN(ratio) && !Double.isInfinite(ratio)) {
				ratios.add(ratio);
			}
		}
		String name = baseline.get(0).contender();
		return ratios.isEmpty() ? new Ratio(name, Double.NaN, Double.NaN, Double.NaN)
				: new Ratio(name, Stats.median(ratios), Stats.min(ratios), Stats.max(ratios));
	}

	/**
	 * Return this row with a comparison and a goal.
	 * @param ratio the comparison
	 * @param goal the goal
	 * @param met whether it was met
	 * @return the new row
	 */
	public ResultRow withRatio(Ratio ratio, String goal, boolean met) {
		return new ResultRow(this.scenario, this.contender, this.rate, this.p50Millis, this.p99Millis, ratio, goal,
				met, this.note, this.cpuMicros, this.cpuRatio);
	}

	/**
	 * Return this row without a goal, for a comparison that only informs.
	 * @return the new row
	 */
	public ResultRow withoutGoal() {
		return new ResultRow(this.scenario, this.contender, this.rate, this.p50Millis, this.p99Millis, this.ratio, "",
				null, this.note, this.cpuMicros, this.cpuRatio);
	}

	public ResultRow withGoal(String goal, boolean met) {
		return new ResultRow(this.scenario, this.contender, this.rate, this.p50Millis, this.p99Millis, this.ratio,
				goal, met, this.note, this.cpuMicros, this.cpuRatio);
	}

	public ResultRow withNote(String note) {
		return new ResultRow(this.scenario, this.contender, this.rate, this.p50Millis, this.p99Millis, this.ratio,
				this.goal, this.met, note, this.cpuMicros, this.cpuRatio);
	}

	/**
	 * Return this row with a second goal, on its CPU per message against the baseline's: met
	 * when both are.
	 * @param maxCpuRatio the highest median CPU ratio that meets the goal
	 * @return the new row
	 */
	public ResultRow withCpuGoal(double maxCpuRatio) {
		boolean cpuMet = this.cpuRatio != null && Math.round(this.cpuRatio.median() * 100) / 100.0 <= maxCpuRatio;
		return withGoal(this.goal + String.format(Locale.ROOT, ", CPU ≤ %.2f", maxCpuRatio),
				Boolean.TRUE.equals(this.met) && cpuMet);
	}

	/**
	 * Return this row with its CPU per message compared with a baseline's.
	 * @param cpuRatio the comparison, lower is cheaper
	 * @return the new row
	 */
	public ResultRow withCpuRatio(Ratio cpuRatio) {
		return new ResultRow(this.scenario, this.contender, this.rate, this.p50Millis, this.p99Millis, this.ratio,
				this.goal, this.met, this.note, this.cpuMicros, cpuRatio);
	}

	private static double medianRate(List<Measurement> measurements) {
		return Stats.median(measurements.stream().map(Measurement::rate).toList());
	}

	private static double medianOf(List<Measurement> measurements,
			ToDoubleFunction<Measurement> value) {
		List<Double> values = measurements.stream().map(value::applyAsDouble).filter((v) -> !v.isNaN()).toList();
		return values.isEmpty() ? Double.NaN : Stats.median(values);
	}

	/**
	 * A contender's figure divided by a baseline's, round by round.
	 *
	 * @param baseline the baseline
	 * @param median the median ratio across rounds
	 * @param min the smallest ratio in a round
	 * @param max the largest ratio in a round
	 */
	public record Ratio(String baseline, double median, double min, double max) {

		/**
		 * Return how far the rounds spread around the median: half the min–max range, as a
		 * fraction of the median.
		 * @return the spread, such as 0.05 for ±5%
		 */
		public double spread() {
			return (this.max - this.min) / 2 / this.median;
		}

	}

}
