package io.hare.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark scenarios against the local broker, prints a table and writes it as
 * Markdown and CSV.
 * <p>
 * {@code java -jar hare-benchmarks/target/hare-benchmarks.jar [--quick] [--scenarios=drain,retry]
 * [--messages=100000] [--rounds=5] ...}; see {@link BenchmarkOptions} for every option.
 */
public final class HareBenchmarks {

	private HareBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (List.of(args).contains("--help")) {
			System.out.println("Usage: java -jar hare-benchmarks.jar [--quick] [--name=value ...]; scenarios: "
					+ BenchmarkOptions.ALL_SCENARIOS);
			return;
		}
		BenchmarkOptions options;
		try {
			options = BenchmarkOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		System.exit(run(options, System.out));
	}

	/**
	 * Run the selected scenarios.
	 * @param options what to run
	 * @param log where progress and the table go
	 * @return the exit status: 0, or 1 if a scenario failed to run
	 */
	static int run(BenchmarkOptions options, PrintStream log) throws Exception {
		Map<String, Scenario> available = scenarios();
		int status = 0;
		try (BenchBroker broker = new BenchBroker(options.broker())) {
			Report report = new Report(options, broker.serverVersion());
			log.println("Hare benchmarks against " + options.broker().masked() + " (" + broker.serverVersion()
					+ "): " + options.scenarios() + (options.small() ? ", small sizes: not representative" : ""));
			for (String id : options.scenarios()) {
				Scenario scenario = available.get(id);
				log.println("Scenario " + id);
				double loadBefore = CpuTime.loadAverage();
				try {
					scenario.run(new Scenario.Context(options, broker, report, log));
				}
				catch (Exception ex) {
					status = 1;
					report.note(id, "FAILED: " + ex);
					ex.printStackTrace(log);
				}
				report.load(id, loadBefore, CpuTime.loadAverage());
			}
			report.print(log);
			Path results = options.results();
			report.write(results).forEach((path) -> log.println("Wrote " + path));
		}
		return status;
	}

	private static Map<String, Scenario> scenarios() {
		Map<String, Scenario> scenarios = new LinkedHashMap<>();
		List.of(new DrainScenario(), new HotPathScenario(), new RetryLatenessScenario(), new PublishAsyncScenario(),
				new PublishBlockingScenario(), new DedupScenario(), new AutoScalerScenario(), new MemoryScenario(),
				new OutboxScenario(), new BatchScenario(), new StreamScenario(), new ListenersScenario(),
				new DelaysScenario(), new BacklogScenario(), new ClusterScenario())
			.forEach((scenario) -> scenarios.put(scenario.id(), scenario));
		return scenarios;
	}

}
