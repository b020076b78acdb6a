package io.hare.benchmarks;

import java.io.PrintStream;

/**
 * One benchmark of the suite.
 */
interface Scenario {

	/**
	 * Return the id that {@code --scenarios} selects it by.
	 * @return the id
	 */
	String id();

	/**
	 * Run the scenario and add its rows, rounds and files to the report.
	 * @param context the options, the broker and the report
	 * @throws Exception if it could not run
	 */
	void run(Context context) throws Exception;

	/**
	 * What a scenario runs with.
	 *
	 * @param options the options
	 * @param broker the broker
	 * @param report the report to add to
	 * @param log where progress goes
	 */
	record Context(BenchmarkOptions options, BenchBroker broker, Report report, PrintStream log) {
	}

}
