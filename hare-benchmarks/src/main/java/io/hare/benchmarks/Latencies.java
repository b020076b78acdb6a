package io.hare.benchmarks;

import java.util.Arrays;

/**
 * Records the latency of each operation of a round, cheaply, and gives its percentiles.
 */
final class Latencies {

	private final long[] nanos;

	private int count;

	Latencies(int capacity) {
		this.nanos = new long[capacity];
	}

	/**
	 * Record one latency; one thread records, or calls are otherwise ordered.
	 * @param nanos the latency in nanoseconds
	 */
	void record(long nanos) {
		if (this.count < this.nanos.length) {
			this.nanos[this.count++] = nanos;
		}
	}

	/**
	 * Return a percentile of what was recorded, in milliseconds.
	 * @param percentile the percentile, in (0, 100]
	 * @return the percentile, {@code NaN} if nothing was recorded
	 */
	double percentileMillis(double percentile) {
		if (this.count == 0) {
			return Double.NaN;
		}
		double[] sorted = Arrays.stream(this.nanos, 0, this.count).mapToDouble((value) -> value / 1e6).sorted().toArray();
		return Stats.percentileOfSorted(sorted, percentile);
	}

}
