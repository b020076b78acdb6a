package io.hare.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fails a batch of messages through Hare's whole retry cascade and measures how late each
 * retry begins against its configured delay: the republish and its confirm, the delay
 * queue's expiry, the way back to the work queue and the wait behind other messages.
 */
final class RetryLatenessScenario implements Scenario {

	static final double GOAL_P99_MILLIS = 1000;

	@Override
	public String id() {
		return "retry";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		List<Duration> delays = options.retryDelays();
		String contender = "Hare retry, delays " + delays.stream().map(Duration::toString)
			.map((text) -> text.substring(2).toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(" "));
		String queue = context.broker().newQueue("retry");
		List<Double> allLateness = new ArrayList<>();
		try (ConfigurableApplicationContext application = SpringContexts.start(HareRetryApplication.class,
				context.broker().address(),
				Map.of("bench.queue", queue, "hare.listeners.retry.prefetch", options.prefetch(),
						"hare.listeners.retry.concurrency", options.concurrency(), "hare.listeners.retry.retry.limit",
						delays.size(), "hare.listeners.retry.retry.delays",
						delays.stream().map((delay) -> delay.toMillis() + "ms").collect(Collectors.joining(","))))) {
			RetryProbe probe = application.getBean(RetryProbe.class);
			Payloads payloads = new Payloads(options.payloadBytes());
			Contender retries = new Contender() {

				@Override
				public String name() {
					return contender;
				}

				@Override
				public Measurement run(int round) throws Exception {
					long messages = options.retryMessages();
					long firstId = (round + 100L) * 10_000_000L;
					probe.expect(messages, delays.size());
					long start = System.nanoTime();
					context.broker().publish(queue, messages, (id) -> payloads.body(firstId + id));
					Duration total = delays.stream().reduce(Duration.ZERO, Duration::plus);
					probe.await(total.plus(DrainScenario.timeout(messages * (delays.size() + 1))));
					double seconds = (System.nanoTime() - start) / 1e9;
					List<Double> lateness = probe.latenessMillis(delays);
					if (round > 0) {
						allLateness.addAll(lateness);
					}
					return new Measurement("retry", contender, round, lateness.size(), seconds,
							Stats.percentile(lateness, 50), Stats.percentile(lateness, 99));
				}

			};
			List<Measurement> measurements = Rounds
				.alternate(List.of(retries), options.warmup(), options.rounds(), context.log())
				.get(contender);
			context.report().addMeasurements(measurements);
			double worstP99 = Stats.max(measurements.stream().map(Measurement::p99Millis).toList());
			ResultRow row = ResultRow.of(measurements);
			context.report()
				.add(List.of(new ResultRow(row.scenario(), contender, Double.NaN, row.p50Millis(), row.p99Millis(),
						null, String.format(Locale.ROOT, "p99 lateness ≤ %.0f ms", GOAL_P99_MILLIS),
						worstP99 <= GOAL_P99_MILLIS,
						String.format(Locale.ROOT,
								"lateness of each retry vs its delay; %d retries of %d messages per round; "
										+ "worst round p99 %.1f ms, max %.1f ms",
								measurements.get(0).messages(), options.retryMessages(), worstP99,
								Stats.max(allLateness)))));
		}
	}

}
