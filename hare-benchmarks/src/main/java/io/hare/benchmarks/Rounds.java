package io.hare.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs contenders alternately, warm-up rounds first, each round in another order so that a
 * drift of the machine does not favour one of them.
 */
final class Rounds {

	private Rounds() {
	}

	/**
	 * Run the contenders.
	 * @param contenders the contenders
	 * @param warmup the rounds to run first and throw away
	 * @param rounds the rounds to measure
	 * @param log where progress goes
	 * @return each contender's measured rounds, by name, in the order given
	 */
	static Map<String, List<Measurement>> alternate(List<? extends Contender> contenders, int warmup, int rounds,
			PrintStream log) throws Exception {
		Map<String, List<Measurement>> results = new LinkedHashMap<>();
		contenders.forEach((contender) -> results.put(contender.name(), new ArrayList<>()));
		for (int round = 1 - warmup; round <= rounds; round++) {
			int offset = Math.floorMod(round, contenders.size());
			for (int i = 0; i < contenders.size(); i++) {
				Contender contender = contenders.get((i + offset) % contenders.size());
				Measurement measurement = contender.run(round);
				log.println(String.format(Locale.ROOT, "  %-16s %-8s %-40s %s%s%s", measurement.scenario(),
						(round <= 0) ? "warm-up" : "round " + round, contender.name(), contender.describe(measurement),
						Double.isNaN(measurement.cpuMicrosPerMessage()) ? ""
								: String.format(Locale.ROOT, "  CPU %.1f µs/msg", measurement.cpuMicrosPerMessage()),
						Double.isNaN(measurement.p99Millis()) ? ""
								: String.format(Locale.ROOT, "  p50 %.1f ms  p99 %.1f ms", measurement.p50Millis(),
										measurement.p99Millis())));
				if (round > 0) {
					results.get(contender.name()).add(measurement);
				}
			}
		}
		return results;
	}

}
