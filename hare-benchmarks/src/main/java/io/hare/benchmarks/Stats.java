package io.hare.benchmarks;

import java.util.Arrays;
import java.util.Collection;

import org.springframework.util.Assert;

/**
 * The few statistics the reports need: median, percentiles (nearest rank) and ranges.
 */
public final class Stats {

	private Stats() {
	}

	/**
	 * Return the median: the middle value, or the mean of the two middle values.
	 * @param values the values, at least one
	 * @return the median
	 */
	public static double median(Collection<? extends Number> values) {
		double[] sorted = sorted(values);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * Return a percentile by the nearest-rank method: the smallest value that at least
	 * {@code percentile} percent of the values do not exceed.
	 * @param values the values, at least one
	 * @param percentile the percentile, in (0, 100]
	 * @return the percentile
	 */
	public static double percentile(Collection<? extends Number> values, double percentile) {
		Assert.isTrue(percentile > 0 && percentile <= 100, "'percentile' must be in (0, 100]");
		return percentileOfSorted(sorted(values), percentile);
	}

	/**
	 * Return a percentile of values that are already sorted, by the nearest-rank method.
	 * @param sorted the values in ascending order, at least one
	 * @param percentile the percentile, in (0, 100]
	 * @return the percentile
	 */
	public static double percentileOfSorted(double[] sorted, double percentile) {
		Assert.isTrue(sorted.length > 0, "'sorted' must not be empty");
		int rank = (int) Math.ceil(percentile / 100 * sorted.length);
		return sorted[Math.max(rank, 1) - 1];
	}

	public static double min(Collection<? extends Number> values) {
		return sorted(values)[0];
	}

	public static double max(Collection<? extends Number> values) {
		double[] sorted = sorted(values);
		return sorted[sorted.length - 1];
	}

	private static double[] sorted(Collection<? extends Number> values) {
		Assert.notEmpty(values, "'values' must not be empty");
		double[] sorted = values.stream().mapToDouble(Number::doubleValue).toArray();
		Arrays.sort(sorted);
		return sorted;
	}

}
