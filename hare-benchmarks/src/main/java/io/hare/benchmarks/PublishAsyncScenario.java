package io.hare.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Publishes persistent JSON messages with publisher confirms, a bounded number of them
 * unconfirmed at a time, to a durable direct exchange bound to a queue: Hare's
 * {@code publishAsync} against PerfTest's producer with the same confirm window.
 */
final class PublishAsyncScenario implements Scenario {

	static final String HARE = "Hare publishAsync";

	static final String PERF_TEST = "PerfTest producer";

	@Override
	public String id() {
		return "publish-async";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		String queue = context.broker().newQueue("publish");
		context.broker().declareQueue(queue);
		String exchange = context.broker().newExchange("publish", queue);
		Path body = Files.createTempFile("hare-bench-order", ".json");
		try {
			Files.write(body, new Payloads(options.payloadBytes()).body(1));
			List<Contender> contenders = new ArrayList<>();
			contenders.add(new PerfTestProducer(context, queue, exchange, body));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, options.warmup(), options.rounds(),
					context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report().add(List.of(ResultRow.of(results.get(PERF_TEST))));
			context.report()
				.note(id(), "Hare's side (publishAsync, " + options.inFlight()
						+ " in flight, goal ≥ 0.90 of PerfTest) needs io.hare.publish, not in this build");
		}
		finally {
			Files.deleteIfExists(body);
		}
	}

	/**
	 * PerfTest's producer: one channel, persistent messages of the same JSON body, confirms
	 * with the same window.
	 */
	private static final class PerfTestProducer implements Contender {

		private final Context context;

		private final String queue;

		private final String exchange;

		private final Path body;

		PerfTestProducer(Context context, String queue, String exchange, Path body) {
			this.context = context;
			this.queue = queue;
			this.exchange = exchange;
			this.body = body;
		}

		@Override
		public String name() {
			return PERF_TEST;
		}

		@Override
		public Measurement run(int round) throws Exception {
			BenchmarkOptions options = this.context.options();
			long messages = options.messages();
			PerfTestRunner.Summary summary = PerfTestRunner.run(this.context.broker().address(), "--producers", "1",
					"--consumers", "0", "--pmessages", Long.toString(messages), "--confirm",
					Integer.toString(options.inFlight()), "--flag", "persistent", "--exchange", this.exchange,
					"--type", "direct", "--routing-key", this.queue, "--queue", this.queue, "--predeclared", "--body",
					this.body.toString(), "--body-content-type", "application/json", "--id", "hare-bench-publish");
			this.context.broker().purge(this.queue);
			return new Measurement("publish-async", PERF_TEST, round, messages, messages / summary.sendingRate(),
					orNaN(summary.confirmP50Millis()), orNaN(summary.confirmP99Millis()));
		}

		private static double orNaN(Double value) {
			return (value != null) ? value : Double.NaN;
		}

	}

}
