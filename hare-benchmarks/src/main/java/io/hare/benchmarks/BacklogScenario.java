package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hare.listener.HareListenerRegistry;

import org.springframework.amqp.core.MessageListenerContainer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How the drain rate holds as the backlog grows: Hare's listener drains backlogs of 10k, 100k
 * and 1M messages, each published before its round with confirms, and each rate is compared
 * with the rate of the smallest backlog in the same round.
 */
final class BacklogScenario implements Scenario {

	static final double GOAL = 0.80;

	@Override
	public String id() {
		return "backlog";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		Payloads payloads = new Payloads(options.payloadBytes());
		String queue = context.broker().newQueue("backlog");
		// The largest backlog takes minutes to publish: three rounds at most.
		int rounds = Math.min(options.rounds(), 3);
		try (ConfigurableApplicationContext application = SpringContexts.start(HareDrainApplication.class,
				context.broker().address(),
				Map.of("bench.queue", queue, "hare.listeners.drain.prefetch", options.prefetch(),
						"hare.listeners.drain.concurrency", options.concurrency()))) {
			MessageListenerContainer container = application.getBean(HareListenerRegistry.class)
				.getListener("drain")
				.orElseThrow()
				.getContainer();
			container.stop();
			MessageProbe probe = application.getBean(MessageProbe.class);
			List<Backlog> backlogs = options.backlogSizes()
				.stream()
				.map((size) -> new Backlog(size, context, payloads, queue, container, probe))
				.toList();
			Map<String, List<Measurement>> results = Rounds.alternate(backlogs, Math.min(options.warmup(), 1), rounds,
					context.log());
			results.values().forEach(context.report()::addMeasurements);
			List<Measurement> smallest = results.get(backlogs.get(0).name());
			List<ResultRow> rows = new ArrayList<>();
			List<SvgChart.Point> rates = new ArrayList<>();
			List<SvgChart.Point> cpu = new ArrayList<>();
			for (Backlog backlog : backlogs) {
				List<Measurement> measurements = results.get(backlog.name());
				ResultRow row = (backlog == backlogs.get(0)) ? ResultRow.of(measurements)
						: ResultRow.compared(measurements, smallest, GOAL);
				rows.add(row);
				rates.add(new SvgChart.Point(backlog.size, row.rate()));
				cpu.add(new SvgChart.Point(backlog.size, row.cpuMicros()));
			}
			context.report().add(rows);
			context.report()
				.file("backlog.svg", new SvgChart(String.format(Locale.ROOT,
						"Hare drain rate by backlog (median of %d rounds)", rounds), "backlog (messages)")
					.line("drain rate (msgs/s)", DrainScenario.HARE, rates)
					.line("client CPU per message (µs)", DrainScenario.HARE, cpu)
					.render());
		}
	}

	/**
	 * Publishes a backlog of one size, then times Hare's listener draining it.
	 */
	private static final class Backlog implements Contender {

		private final int size;

		private final DrainScenario.SpringContender drain;

		Backlog(int size, Context context, Payloads payloads, String queue, MessageListenerContainer container,
				MessageProbe probe) {
			this.size = size;
			this.drain = new DrainScenario.SpringContender("backlog", name(size), context, payloads, queue, null,
					container, probe, size);
		}

		private static String name(int size) {
			return String.format(Locale.ROOT, "%s, backlog %,d", DrainScenario.HARE, size);
		}

		@Override
		public String name() {
			return name(this.size);
		}

		@Override
		public Measurement run(int round) throws Exception {
			return this.drain.run(round);
		}

		@Override
		public void close() {
			this.drain.close();
		}

	}

}
