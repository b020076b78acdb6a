package io.hare.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.hare.delay.DelayTopology;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.publish.PublishRequest;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Publishes many messages with random whole-second delays through Hare's delay levels and
 * measures how late each arrives against its due time (none may be early), and how much
 * memory the broker needs at the peak.
 */
final class DelaysScenario implements Scenario {

	static final double GOAL_P99_MILLIS = 1000;

	// Each rabbitmqctl call starts an Erlang node, which costs the shared cores a few hundred
	// milliseconds: sampled rarely, as the peak comes at the end of publishing and lasts.
	private static final Duration MEMORY_SAMPLE_INTERVAL = Duration.ofSeconds(5);

	@Override
	public String id() {
		return "delays";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		long minSeconds = options.delayMin().toSeconds();
		long maxSeconds = options.delayMax().toSeconds();
		if (minSeconds < 1 || maxSeconds < minSeconds) {
			throw new IllegalArgumentException("--delay-min must be at least 1s and at most --delay-max");
		}
		int messages = options.delayMessages();
		String queue = context.broker().newQueue("delays");
		context.broker().declareQueue(queue);
		String exchange = context.broker().newExchange("delays", queue);
		String prefix = "hare-bench-delay-" + UUID.randomUUID().toString().substring(0, 8);
		RabbitCtl ctl = new RabbitCtl(context.broker().address().virtualHost());
		long memoryBefore = ctl.memoryBytes();
		AtomicLong memoryPeak = new AtomicLong(memoryBefore);
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		try (ConfigurableApplicationContext application = SpringContexts.start(HareDelaysApplication.class,
				context.broker().address(),
				Map.of("bench.queue", queue, "hare.delay.enabled", "true", "hare.delay.prefix", prefix,
						"hare.publishers.bench.exchange", exchange, "hare.publishers.bench.routing-key", queue))) {
			sampler.scheduleWithFixedDelay(() -> sampleMemory(ctl, memoryPeak), 0,
					MEMORY_SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
			DelayProbe probe = application.getBean(DelayProbe.class);
			HarePublisher publisher = application.getBean(HarePublishers.class).get("bench");
			Payloads payloads = new Payloads(options.payloadBytes());
			probe.expect(messages);
			long[] delays = new long[messages];
			Random random = new Random(42);
			long start = System.nanoTime();
			publish(publisher, probe, payloads, exchange, queue, delays, random, minSeconds, maxSeconds,
					options.inFlight());
			double publishSeconds = (System.nanoTime() - start) / 1e9;
			context.log()
				.println(String.format(Locale.ROOT, "  delays           published %,d delayed messages in %.1f s", messages,
						publishSeconds));
			probe.await(Duration.ofSeconds(maxSeconds + messages / 200 + 120));
			sampler.shutdownNow();
			report(context, probe.latenessMillis(), delays, probe.duplicates(), memoryBefore, memoryPeak.get(),
					publishSeconds, (System.nanoTime() - start) / 1e9);
		}
		finally {
			sampler.shutdownNow();
			deleteLevels(context.broker(), ctl, prefix);
		}
	}

	private static void publish(HarePublisher publisher, DelayProbe probe, Payloads payloads, String exchange,
			String queue, long[] delays, Random random, long minSeconds, long maxSeconds, int inFlight)
			throws Exception {
		Semaphore window = new Semaphore(inFlight);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<CompletableFuture<?>> futures = new ArrayList<>(delays.length);
		for (int i = 0; i < delays.length; i++) {
			delays[i] = minSeconds + random.nextInt((int) (maxSeconds - minSeconds + 1));
			Duration delay = Duration.ofSeconds(delays[i]);
			Order order = payloads.order(i);
			window.acquire();
			probe.sending(i, delay);
			futures.add(publisher
				.publishAsync(PublishRequest.of(order).exchange(exchange).routingKey(queue).delay(delay))
				.whenComplete((result, ex) -> {
					if (ex != null) {
						failure.compareAndSet(null, ex);
					}
					window.release();
				}));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
		if (failure.get() != null) {
			throw new IllegalStateException("Delayed publish failed", failure.get());
		}
	}

	private static void report(Context context, double[] lateness, long[] delays, long duplicates, long memoryBefore,
			long memoryPeak, double publishSeconds, double seconds) {
		List<Double> all = new ArrayList<>(lateness.length);
		long early = 0;
		for (double value : lateness) {
			all.add(value);
			if (value < 0) {
				early++;
			}
		}
		double p50 = Stats.percentile(all, 50);
		double p99 = Stats.percentile(all, 99);
		String contender = String.format(Locale.ROOT, "Hare delay levels, %,d messages, %d–%d s", lateness.length,
				(long) Stats.min(toList(delays)), (long) Stats.max(toList(delays)));
		context.report()
			.addMeasurements(List.of(new Measurement("delays", contender, 1, lateness.length, seconds, p50, p99)));
		context.report()
			.add(List.of(new ResultRow("delays", contender, Double.NaN, p50, p99, null,
					String.format(Locale.ROOT, "p99 lateness ≤ %.0f ms, none early", GOAL_P99_MILLIS),
					p99 <= GOAL_P99_MILLIS && early == 0,
					String.format(Locale.ROOT,
							"lateness vs due time: min %.1f ms, max %.1f ms; %d early, %d duplicates; broker memory "
									+ "%.0f MB before, %.0f MB at the peak (+%.0f MB, sampled every %d s); "
									+ "published in %.1f s",
							Stats.min(all), Stats.max(all), early, duplicates, memoryBefore / 1e6, memoryPeak / 1e6,
							(memoryPeak - memoryBefore) / 1e6, MEMORY_SAMPLE_INTERVAL.toSeconds(), publishSeconds))));
		context.report().file("delays.svg", chart(lateness, delays).render());
	}

	private static List<Long> toList(long[] values) {
		List<Long> list = new ArrayList<>(values.length);
		for (long value : values) {
			list.add(value);
		}
		return list;
	}

	/**
	 * Chart the median and 99th percentile lateness of the messages of each delay.
	 */
	static SvgChart chart(double[] lateness, long[] delays) {
		List<SvgChart.Point> p50 = new ArrayList<>();
		List<SvgChart.Point> p99 = new ArrayList<>();
		long max = 0;
		for (long delay : delays) {
			max = Math.max(max, delay);
		}
		for (long delay = 1; delay <= max; delay++) {
			List<Double> ofDelay = new ArrayList<>();
			for (int i = 0; i < delays.length; i++) {
				if (delays[i] == delay) {
					ofDelay.add(lateness[i]);
				}
			}
			if (!ofDelay.isEmpty()) {
				p50.add(new SvgChart.Point(delay, Stats.percentile(ofDelay, 50)));
				p99.add(new SvgChart.Point(delay, Stats.percentile(ofDelay, 99)));
			}
		}
		return new SvgChart(String.format(Locale.ROOT, "Delayed delivery: lateness by delay, %,d messages",
				delays.length), "delay (s)")
			.line("lateness after the due time (ms)", "p50", p50)
			.line("lateness after the due time (ms)", "p99", p99);
	}

	private static void sampleMemory(RabbitCtl ctl, AtomicLong peak) {
		try {
			long memory = ctl.memoryBytes();
			peak.accumulateAndGet(memory, Math::max);
		}
		catch (IOException ex) {
			// A missed sample leaves the peak as the other samples saw it.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Delete the delay levels declared under the scenario's own prefix: Hare leaves them for the
	 * next application, which here never comes.
	 */
	private static void deleteLevels(BenchBroker broker, RabbitCtl ctl, String prefix) throws Exception {
		DelayTopology topology = new DelayTopology(prefix);
		for (int level = 0; level < DelayTopology.LEVELS; level++) {
			broker.deleteExchange(topology.levelExchange(level));
		}
		broker.deleteExchange(topology.deliveryExchange());
		broker.deleteExchange(topology.unrouted());
		for (String queue : ctl.queues(prefix)) {
			broker.deleteQueue(queue);
		}
	}

}
