package io.hare.benchmarks;

/**
 * One contender's result in one round.
 *
 * @param scenario the scenario
 * @param contender who ran
 * @param round the round, from 1
 * @param messages the messages handled
 * @param seconds how long it took
 * @param p50Millis the median latency in milliseconds, {@code NaN} where none applies
 * @param p99Millis the 99th percentile latency in milliseconds, {@code NaN} where none applies
 */
public record Measurement(String scenario, String contender, int round, long messages, double seconds,
		double p50Millis, double p99Millis) {

	/**
	 * Create a measurement without latency.
	 * @param scenario the scenario
	 * @param contender who ran
	 * @param round the round
	 * @param messages the messages handled
	 * @param seconds how long it took
	 * @return the measurement
	 */
	public static Measurement throughput(String scenario, String contender, int round, long messages,
			double seconds) {
		return new Measurement(scenario, contender, round, messages, seconds, Double.NaN, Double.NaN);
	}

	/**
	 * Return the messages handled per second.
	 * @return the rate
	 */
	public double rate() {
		return this.messages / this.seconds;
	}

}
