package io.hare.benchmarks;

import java.util.Locale;

/**
 * One way of doing a scenario's work (Hare, plain Spring AMQP, PerfTest), set up once and run
 * round after round.
 */
interface Contender extends AutoCloseable {

	/**
	 * Return the name the report shows.
	 * @return the name
	 */
	String name();

	/**
	 * Do the scenario's work once and measure it.
	 * @param round the round, from 1; zero or less for a warm-up round
	 * @return the measurement
	 * @throws Exception if the round failed
	 */
	Measurement run(int round) throws Exception;

	/**
	 * Describe a measurement for the progress log.
	 * @param measurement the measurement
	 * @return such as {@code 18,000 msgs/s}
	 */
	default String describe(Measurement measurement) {
		return String.format(Locale.ROOT, "%,12.0f msgs/s", measurement.rate());
	}

	@Override
	default void close() throws Exception {
	}

}
