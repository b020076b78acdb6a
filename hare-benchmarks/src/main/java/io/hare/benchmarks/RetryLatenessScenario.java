package io.hare.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fails a batch of messages through a retry cascade and measures how late each retry begins
 * against its configured delay: Hare's retries through its delay queues, and the Spring Cloud
 * Stream binder's dead-letter queue whose TTL sends each failed message back (one delay for
 * every retry: a queue has one TTL). Lateness is the republish and its confirm, the expiry,
 * the way back to the work queue and the wait behind other messages.
 */
final class RetryLatenessScenario implements Scenario {

	static final double GOAL_P99_MILLIS = 250;

	@Override
	public String id() {
		return "retry";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		List<Duration> delays = options.retryDelays();
		String hareName = "Hare retry, delays " + delays.stream().map(RetryLatenessScenario::text)
			.collect(Collectors.joining(" "));
		Duration ttl = delays.get(0);
		String streamName = "Spring Cloud Stream DLQ, dlq-ttl " + text(ttl);
		String hareQueue = context.broker().newQueue("retry");
		String streamQueue = context.broker().newQueue("retry-stream");
		String exchange = context.broker().newExchangeName("retry-stream");
		String deadLetterExchange = context.broker().newExchangeName("retry-stream-dlx");
		try (ConfigurableApplicationContext hare = SpringContexts.start(HareRetryApplication.class,
				context.broker().address(),
				Map.of("bench.queue", hareQueue, "hare.listeners.retry.prefetch", options.prefetch(),
						"hare.listeners.retry.concurrency", options.concurrency(), "hare.listeners.retry.retry.limit",
						delays.size(), "hare.listeners.retry.retry.delays",
						delays.stream().map((delay) -> delay.toMillis() + "ms").collect(Collectors.joining(","))));
				ConfigurableApplicationContext stream = SpringContexts.startStream(StreamApplications.Retry.class,
						context.broker().address(), streamProperties(streamQueue, exchange, deadLetterExchange, ttl, options))) {
			RetryContender hareRetries = new RetryContender(hareName, context, hareQueue,
					hare.getBean(RetryProbe.class), delays);
			RetryContender streamRetries = new RetryContender(streamName, context, streamQueue,
					stream.getBean(RetryProbe.class), delays.stream().map((delay) -> ttl).toList());
			Map<String, List<Measurement>> results = Rounds.alternate(List.of(hareRetries, streamRetries),
					options.warmup(), options.rounds(), context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(streamRetries.row(results.get(streamName)).withoutGoal(),
						hareRetries.row(results.get(hareName))));
		}
	}

	private static Map<String, Object> streamProperties(String queue, String exchange, String deadLetterExchange,
			Duration ttl, BenchmarkOptions options) {
		Map<String, Object> properties = StreamApplications.consumer(StreamApplications.RETRY_BINDING, queue, options);
		String rabbit = "spring.cloud.stream.rabbit.bindings." + StreamApplications.RETRY_BINDING + ".consumer";
		// The binder declares the queue, with its dead-lettering, only where it binds it to its
		// exchange; the messages still come straight to the queue.
		properties.put("spring.cloud.stream.bindings." + StreamApplications.RETRY_BINDING + ".destination", exchange);
		properties.put(rabbit + ".bind-queue", true);
		properties.put(rabbit + ".declare-exchange", true);
		// The binder's documented retry loop: no attempt in memory, a dead-letter queue whose
		// TTL dead-letters each message back to its queue through the default exchange.
		properties.put("spring.cloud.stream.bindings." + StreamApplications.RETRY_BINDING + ".consumer.max-attempts", 1);
		properties.put(rabbit + ".auto-bind-dlq", true);
		properties.put(rabbit + ".dead-letter-exchange", deadLetterExchange);
		properties.put(rabbit + ".dlq-ttl", ttl.toMillis());
		properties.put(rabbit + ".dlq-dead-letter-exchange", "");
		return properties;
	}

	private static String text(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

	/**
	 * Publishes a round's failing messages and waits until each succeeded after its retries.
	 */
	private static final class RetryContender implements Contender {

		private final String name;

		private final Context context;

		private final String queue;

		private final RetryProbe probe;

		private final List<Duration> delays;

		private final Payloads payloads;

		private final List<Double> allLateness = new ArrayList<>();

		RetryContender(String name, Context context, String queue, RetryProbe probe, List<Duration> delays) {
			this.name = name;
			this.context = context;
			this.queue = queue;
			this.probe = probe;
			this.delays = delays;
			this.payloads = new Payloads(context.options().payloadBytes());
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Measurement run(int round) throws Exception {
			long messages = this.context.options().retryMessages();
			long firstId = (round + 100L) * 10_000_000L;
			this.probe.expect(messages, this.delays.size());
			CpuTime.Window cpu = new CpuTime.Window();
			long start = System.nanoTime();
			this.context.broker().publish(this.queue, messages, (id) -> this.payloads.body(firstId + id));
			Duration total = this.delays.stream().reduce(Duration.ZERO, Duration::plus);
			this.probe.await(total.plus(DrainScenario.timeout(messages * (this.delays.size() + 1))));
			double seconds = (System.nanoTime() - start) / 1e9;
			long cpuNanos = cpu.stop();
			List<Double> lateness = this.probe.latenessMillis(this.delays);
			if (round > 0) {
				this.allLateness.addAll(lateness);
			}
			// CPU per attempt: each message is handled once more than it is retried.
			return new Measurement("retry", this.name, round, messages * (this.delays.size() + 1), seconds,
					Stats.percentile(lateness, 50), Stats.percentile(lateness, 99))
				.withCpu(cpuNanos);
		}

		ResultRow row(List<Measurement> measurements) {
			double worstP99 = Stats.max(measurements.stream().map(Measurement::p99Millis).toList());
			ResultRow row = ResultRow.of(measurements);
			return new ResultRow(row.scenario(), this.name, Double.NaN, row.p50Millis(), row.p99Millis(), null,
					String.format(Locale.ROOT, "p99 lateness ≤ %.0f ms", GOAL_P99_MILLIS), worstP99 <= GOAL_P99_MILLIS,
					String.format(Locale.ROOT,
							"lateness of each retry vs its delay; %d messages per round, each failing %d times; "
									+ "worst round p99 %.1f ms, max %.1f ms; CPU per attempt, the publisher's included",
							this.context.options().retryMessages(), this.delays.size(), worstP99,
							Stats.max(this.allLateness)),
					row.cpuMicros(), null);
		}

	}

}
