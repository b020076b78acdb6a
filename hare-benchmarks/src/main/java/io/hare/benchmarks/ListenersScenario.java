package io.hare.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * How the cost of start-up grows with the number of listeners: an application with 10, 100 and
 * 500 idle Hare listeners against one with as many plain {@code @RabbitListener}s: the time
 * from start to every listener consuming, the heap the started context holds (after a GC), and
 * the queues each listener declares and the broker round trips it costs (methods that wait for a reply:
 * declarations, channel opens, consumes), which, unlike time, do not depend on the machine's load.
 */
final class ListenersScenario implements Scenario {

	static final String HARE = "Hare listeners";

	static final String PLAIN = "plain @RabbitListeners";

	static final double GOAL = 1.5;

	@Override
	public String id() {
		return "listeners";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		RabbitCtl ctl = new RabbitCtl(context.broker().address().virtualHost());
		int rounds = Math.min(options.rounds(), 3);
		List<ResultRow> rows = new ArrayList<>();
		Map<String, List<SvgChart.Point>> startUp = new LinkedHashMap<>();
		Map<String, List<SvgChart.Point>> heap = new LinkedHashMap<>();
		int largest = options.listenerCounts().get(options.listenerCounts().size() - 1);
		for (int count : options.listenerCounts()) {
			Fleet hare = new Fleet(HARE, ListenerFleets.Hare.class, count, context, ctl);
			Fleet plain = new Fleet(PLAIN, ListenerFleets.Plain.class, count, context, ctl);
			Map<String, List<Measurement>> results = Rounds.alternate(List.of(hare, plain),
					Math.min(options.warmup(), 1), rounds, context.log());
			results.values().forEach(context.report()::addMeasurements);
			ResultRow.Ratio time = ResultRow.ratio(results.get(hare.name()), results.get(plain.name()),
					Measurement::seconds);
			boolean met = Math.round(time.median() * 100) / 100.0 <= GOAL;
			rows.add(row(plain, count, null, null, "", null));
			// The goal is on the largest count; the smaller ones show how the cost grows.
			boolean judged = count == largest;
			rows.add(row(hare, count, plain, time, judged ? String.format(Locale.ROOT, "start-up ≤ %.2f", GOAL) : "",
					judged ? met : null));
			for (Fleet fleet : List.of(hare, plain)) {
				startUp.computeIfAbsent(fleet.name, (key) -> new ArrayList<>())
					.add(new SvgChart.Point(count, Stats.median(fleet.millis)));
				heap.computeIfAbsent(fleet.name, (key) -> new ArrayList<>())
					.add(new SvgChart.Point(count, Stats.median(fleet.heapMegabytes)));
			}
		}
		context.report().add(rows);
		SvgChart chart = new SvgChart("Start-up and heap by number of listeners (median of " + rounds + " starts)",
				"listeners");
		startUp.forEach((name, points) -> chart.line("start-up to consuming (ms)", name, points));
		heap.forEach((name, points) -> chart.line("heap held by the started context, after GC (MB)", name, points));
		context.report().file("listeners.svg", chart.render());
	}

	private static ResultRow row(Fleet fleet, int count, @Nullable Fleet baseline, ResultRow.@Nullable Ratio ratio,
			String goal, @Nullable Boolean met) {
		String contender = fleet.name + " × " + count;
		String note = String.format(Locale.ROOT,
				"start-up %,.0f ms, heap %+.1f MB (%.1f KB per listener), %.1f queues and %.1f broker round trips "
						+ "(%.1f on the starting thread) per listener",
				Stats.median(fleet.millis), Stats.median(fleet.heapMegabytes),
				Stats.median(fleet.heapMegabytes) * 1024 / count, fleet.queuesPerListener, fleet.roundTripsPerListener,
				fleet.mainThreadRoundTripsPerListener);
		if (baseline != null) {
			double baselineHeap = Stats.median(baseline.heapMegabytes);
			// Below a megabyte the difference of two heaps is within what a GC leaves either way.
			note += (baselineHeap >= 1) ? String.format(Locale.ROOT, "; heap ratio %.2f",
					Stats.median(fleet.heapMegabytes) / baselineHeap) : "; heap ratio n/a (baseline under 1 MB)";
		}
		return new ResultRow("listeners", contender, Double.NaN, Double.NaN, Double.NaN, ratio, goal, met, note);
	}

	static double heapAfterGc() {
		// Two collections: the first may only finish what the last cycle left.
		System.gc();
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024.0 / 1024.0;
	}

	/**
	 * Starts an application with a number of listeners, each round anew on new queues, which it
	 * deletes after the context closed.
	 */
	private static final class Fleet implements Contender {

		private final String name;

		private final Class<?> application;

		private final int count;

		private final Context context;

		private final RabbitCtl ctl;

		private final List<Double> millis = new ArrayList<>();

		private final List<Double> heapMegabytes = new ArrayList<>();

		private double queuesPerListener = Double.NaN;

		private double roundTripsPerListener = Double.NaN;

		private double mainThreadRoundTripsPerListener = Double.NaN;

		Fleet(String name, Class<?> application, int count, Context context, RabbitCtl ctl) {
			this.name = name;
			this.application = application;
			this.count = count;
			this.context = context;
			this.ctl = ctl;
		}

		@Override
		public String name() {
			return this.name + " × " + this.count;
		}

		@Override
		public Measurement run(int round) throws Exception {
			String prefix = "hare-bench-listeners-" + UUID.randomUUID().toString().substring(0, 8);
			long start = System.nanoTime();
			ConfigurableApplicationContext started = SpringContexts.start(this.application,
					this.context.broker().address(), Map.of("bench.listeners", this.count, "bench.prefix", prefix));
			double seconds = (System.nanoTime() - start) / 1e9;
			double heapRunning;
			try {
				RoundTrips roundTrips = started.getBean(RoundTrips.class);
				this.roundTripsPerListener = (double) roundTrips.total() / this.count;
				this.mainThreadRoundTripsPerListener = (double) roundTrips.onMainThread() / this.count;
				this.context.log().println("    round trips per listener: " + roundTrips.describe(this.count));
				heapRunning = heapAfterGc();
				this.queuesPerListener = (double) this.ctl.queues(prefix).size() / this.count;
			}
			finally {
				started.close();
				for (String queue : this.ctl.queues(prefix)) {
					this.context.broker().deleteQueue(queue);
				}
			}
			// What the context holds: the heap with it running less the heap once it closed, both
			// after a GC, next to each other, so that neither holds start-up garbage or earlier
			// scenarios' leftovers.
			double heap = heapRunning - heapAfterGc();
			if (round > 0) {
				this.millis.add(seconds * 1000);
				this.heapMegabytes.add(heap);
			}
			return Measurement.throughput("listeners", name(), round, this.count, seconds);
		}

		@Override
		public String describe(Measurement measurement) {
			return String.format(Locale.ROOT, "start-up %,6.0f ms", measurement.seconds() * 1000);
		}

	}

}
