package io.hare.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.scaling.QueueDepthAutoScaler;

import org.springframework.amqp.core.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drains a backlog with a slow handler: one fixed consumer, Spring AMQP's own consumer scaling
 * from 1 to 8, and Hare's queue-depth auto-scaler from 1 to 8 where the build has it. Samples
 * the queue's depth and consumers through each round, charts the last round, and measures
 * how long each takes to come back to one consumer once the queue is empty.
 */
final class AutoScalerScenario implements Scenario {

	static final String FIXED = "Hare, 1 fixed consumer";

	static final String SPRING = "plain @RabbitListener, Spring AMQP scaling 1-8";

	static final String SCALED = "Hare auto-scaler 1-8";

	static final int MAX_CONSUMERS = 8;

	/**
	 * How often Hare's auto-scaler reads the depth in this scenario.
	 */
	static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

	private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);

	private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);

	@Override
	public String id() {
		return "autoscaler";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		int rounds = Math.min(options.rounds(), 3);
		List<ScalerContender> contenders = new ArrayList<>();
		try {
			contenders.add(scaled(context));
			contenders.add(fixed(context));
			contenders.add(spring(context));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, Math.min(options.warmup(), 1),
					rounds, context.log());
			results.values().forEach(context.report()::addMeasurements);
			List<Measurement> fixed = results.get(FIXED);
			ScalerContender scaled = contenders.get(0);
			ResultRow scaledRow = ResultRow.compared(results.get(SCALED), fixed, 4.00);
			double intervals = scaled.settleIntervals();
			boolean met = Boolean.TRUE.equals(scaledRow.met()) && intervals <= 2;
			context.report()
				.add(List.of(ResultRow.of(fixed).withNote(contenders.get(1).settleNote()),
						ResultRow.compared(results.get(SPRING), fixed, 0)
							.withoutGoal()
							.withNote(contenders.get(2).settleNote()),
						scaledRow.withRatio(scaledRow.ratio(), "≥ 4.00, back at 1 within 2 intervals", met)
							.withNote(scaled.settleNote())));
			SvgChart chart = new SvgChart(String.format(Locale.ROOT,
					"Auto-scaler: %,d messages, %d ms handler (last round)", options.scalerBacklog(),
					options.scalerHandlerTime().toMillis()));
			contenders.forEach((contender) -> chart.add(contender.name(), contender.lastSamples));
			context.report().file("autoscaler.svg", chart.render());
		}
		finally {
			for (ScalerContender contender : contenders) {
				contender.close();
			}
		}
	}

	private ScalerContender scaled(Context context) {
		String queue = context.broker().newQueue("scaler-hare");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("bench.queue", queue);
		properties.put("hare.listeners.scaler.prefetch", context.options().prefetch());
		properties.put("hare.listeners.scaler.auto-scaling.min-consumers", 1);
		properties.put("hare.listeners.scaler.auto-scaling.max-consumers", MAX_CONSUMERS);
		// Eight consumers as soon as 800 messages wait; fewer as the backlog shrinks.
		properties.put("hare.listeners.scaler.auto-scaling.messages-per-consumer", 100);
		properties.put("hare.listeners.scaler.auto-scaling.check-interval", CHECK_INTERVAL.toMillis() + "ms");
		ConfigurableApplicationContext application = SpringContexts
			.start(ScalerApplications.HareScalerApplication.class, context.broker().address(), properties);
		HareListenerContainer listener = application.getBean(HareListenerRegistry.class)
			.getListener("scaler")
			.orElseThrow();
		QueueDepthAutoScaler scaler = listener.getAutoScaler().orElseThrow();
		// Each round starts from one consumer on a full queue; the scaler starts with it.
		scaler.stop();
		listener.getContainer().stop();
		listener.getContainer().setConcurrentConsumers(1);
		return new ScalerContender(SCALED, context, queue, application, listener.getContainer(), CHECK_INTERVAL) {

			@Override
			void beforeRound() {
				scaler.stop();
				listener.getContainer().setConcurrentConsumers(1);
			}

			@Override
			void started() {
				scaler.start();
			}

			@Override
			void afterRound() {
				scaler.stop();
			}

		};
	}

	private ScalerContender fixed(Context context) {
		String queue = context.broker().newQueue("scaler-fixed");
		ConfigurableApplicationContext application = SpringContexts.start(
				ScalerApplications.HareScalerApplication.class, context.broker().address(),
				Map.of("bench.queue", queue, "hare.listeners.scaler.concurrency", 1, "hare.listeners.scaler.prefetch",
						context.options().prefetch()));
		MessageListenerContainer container = application.getBean(HareListenerRegistry.class)
			.getListener("scaler")
			.orElseThrow()
			.getContainer();
		container.stop();
		return new ScalerContender(FIXED, context, queue, application, container, null);
	}

	private ScalerContender spring(Context context) throws Exception {
		String queue = context.broker().newQueue("scaler-spring");
		context.broker().declareQueue(queue);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("bench.queue", queue);
		properties.put("spring.rabbitmq.listener.simple.concurrency", 1);
		properties.put("spring.rabbitmq.listener.simple.max-concurrency", MAX_CONSUMERS);
		properties.put("spring.rabbitmq.listener.simple.prefetch", context.options().prefetch());
		ConfigurableApplicationContext application = SpringContexts
			.start(ScalerApplications.PlainScalerApplication.class, context.broker().address(), properties);
		MessageListenerContainer container = application.getBean(RabbitListenerEndpointRegistry.class)
			.getListenerContainer("scaler");
		return new ScalerContender(SPRING, context, queue, application, container, null);
	}

	/**
	 * A slow listener started on a full queue, watched while it drains and after.
	 */
	static class ScalerContender implements Contender {

		private final String name;

		private final Context context;

		private final String queue;

		private final ConfigurableApplicationContext application;

		private final MessageListenerContainer container;

		private final SlowHandlerProbe probe;

		private final @Nullable Duration checkInterval;

		private final List<Double> settleSeconds = new ArrayList<>();

		private List<SvgChart.Sample> lastSamples = List.of();

		ScalerContender(String name, Context context, String queue, ConfigurableApplicationContext application,
				MessageListenerContainer container, @Nullable Duration checkInterval) {
			this.name = name;
			this.context = context;
			this.queue = queue;
			this.application = application;
			this.container = container;
			this.checkInterval = checkInterval;
			this.probe = application.getBean(SlowHandlerProbe.class);
			this.probe.setHandlerTime(context.options().scalerHandlerTime());
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Measurement run(int round) throws Exception {
			long messages = this.context.options().scalerBacklog();
			beforeRound();
			this.context.broker().publish(this.queue, messages, new Payloads(256)::body);
			this.probe.expect(messages);
			List<SvgChart.Sample> samples = new CopyOnWriteArrayList<>();
			ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
			long start = System.nanoTime();
			try {
				sampler.scheduleAtFixedRate(() -> sample(samples, start), 0, SAMPLE_INTERVAL.toMillis(),
						TimeUnit.MILLISECONDS);
				this.container.start();
				started();
				Duration work = this.context.options().scalerHandlerTime().multipliedBy(messages);
				this.probe.await(work.multipliedBy(2).plusSeconds(60));
				double drained = (System.nanoTime() - start) / 1e9;
				double settled = settle(samples, start, drained);
				if (round > 0) {
					this.settleSeconds.add((settled < 0) ? Double.POSITIVE_INFINITY : settled - drained);
				}
				this.lastSamples = List.copyOf(samples);
				return Measurement.throughput("autoscaler", this.name, round, messages, drained);
			}
			finally {
				sampler.shutdownNow();
				sampler.awaitTermination(5, TimeUnit.SECONDS);
				afterRound();
				this.container.stop();
			}
		}

		void beforeRound() {
		}

		void started() {
		}

		void afterRound() {
		}

		/**
		 * Return how many check intervals the median round took to come back to one consumer.
		 */
		double settleIntervals() {
			return this.settleSeconds.isEmpty() || this.checkInterval == null ? Double.NaN
					: Stats.median(this.settleSeconds) / (this.checkInterval.toMillis() / 1000.0);
		}

		private void sample(List<SvgChart.Sample> samples, long start) {
			try {
				BenchBroker.QueueState state = this.context.broker().state(this.queue);
				samples.add(new SvgChart.Sample((System.nanoTime() - start) / 1e9, state.ready(), state.consumers()));
			}
			catch (Exception ex) {
				// A missed sample leaves a gap in the chart, nothing more.
			}
		}

		/**
		 * Wait, up to a limit, until the queue has one consumer again.
		 * @return seconds since the start when it had, or -1 if it had not at the limit
		 */
		private double settle(List<SvgChart.Sample> samples, long start, double drained) throws InterruptedException {
			long limit = System.nanoTime() + SETTLE_LIMIT.toNanos();
			while (System.nanoTime() < limit) {
				SvgChart.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
				if (last != null && last.seconds() >= drained && last.consumers() <= 1) {
					return last.seconds();
				}
				Thread.sleep(SAMPLE_INTERVAL.toMillis());
			}
			return -1;
		}

		String settleNote() {
			if (this.settleSeconds.isEmpty()) {
				return "";
			}
			double median = Stats.median(this.settleSeconds);
			if (Double.isInfinite(median)) {
				return String.format(Locale.ROOT, "not back at 1 consumer within %d s of empty (median round)",
						SETTLE_LIMIT.toSeconds());
			}
			String note = String.format(Locale.ROOT, "back at 1 consumer %.1f s after empty (median round)", median);
			if (this.checkInterval != null) {
				note += String.format(Locale.ROOT, " = %.1f check intervals", median / (this.checkInterval.toMillis() / 1000.0));
			}
			return note;
		}

		@Override
		public void close() {
			this.application.close();
		}

	}

}
