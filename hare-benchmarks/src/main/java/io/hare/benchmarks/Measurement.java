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
 * @param cpuNanos the CPU time the JVM used over the round's timed window, -1 where it was not
 * measured
 */
public record Measurement(String scenario, String contender, int round, long messages, double seconds,
		double p50Millis, double p99Millis, long cpuNanos) {

	/**
	 * Create a measurement without CPU time.
	 * @param scenario the scenario
	 * @param contender who ran
	 * @param round the round
	 * @param messages the messages handled
	 * @param seconds how long it took
	 * @param p50Millis the median latency in milliseconds, {@code NaN} where none applies
	 * @param p99Millis the 99th percentile latency in milliseconds, {@code NaN} where none
	 * applies
	 */
	public Measurement(String scenario, String contender, int round, long messages, double seconds,
			double p50Millis, double p99Millis) {
		this(scenario, contender, round, messages, seconds, p50Millis, p99Millis, -1);
	}

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
	 * Return this measurement with the CPU time of its window.
	 * @param cpuNanos the CPU time, -1 where the JVM cannot tell
	 * @return the new measurement
	 */
	public Measurement withCpu(long cpuNanos) {
		return new Measurement(this.scenario, this.contender, this.round, this.messages, this.seconds, this.p50Millis,
				this.p99Millis, cpuNanos);
	}

	/**
	 * Return the messages handled per second.
	 * @return the rate
	 */
	public double rate() {
		return this.messages / this.seconds;
	}

	/**
	 * Return the CPU time per message handled.
	 * @return microseconds, {@code NaN} where the CPU was not measured
	 */
	public double cpuMicrosPerMessage() {
		return (this.cpuNanos < 0 || this.messages == 0) ? Double.NaN : this.cpuNanos / 1e3 / this.messages;
	}

}
