package io.hare.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hare.listener.HareListenerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;

/**
 * Drains a backlog of persistent JSON messages, published before each round, with the same
 * prefetch, concurrency and ack mode: Hare's {@code @HareListener}, a plain
 * {@code @RabbitListener}, and PerfTest's consumer as the practical limit.
 */
final class DrainScenario implements Scenario {

	static final String HARE = "Hare @HareListener";

	static final String PLAIN = "plain @RabbitListener";

	static final String PERF_TEST = "PerfTest consumer";

	static final String STREAM = "Spring Cloud Stream binder";

	/**
	 * How long a throughput scenario watches the CPU of the idle JVM before its rounds.
	 */
	static final Duration IDLE_PERIOD = Duration.ofSeconds(3);

	@Override
	public String id() {
		return "drain";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		Payloads payloads = new Payloads(options.payloadBytes());
		try (SpringContender hare = hare(context, payloads);
				SpringContender plain = plain(context, payloads);
				SpringContender stream = stream(context, payloads);
				PerfTestContender perfTest = new PerfTestContender(context, payloads)) {
			Map<String, List<Measurement>> results = Rounds.alternate(List.of(hare, plain, stream, perfTest),
					options.warmup(), options.rounds(), context.log());
			// After the rounds: the JIT and the start-ups' garbage are behind, as in a round.
			context.report().note(id(), CpuTime.idleNote(IDLE_PERIOD));
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(ResultRow.of(results.get(PLAIN)), ResultRow.of(results.get(STREAM)),
						ResultRow.of(results.get(PERF_TEST)),
						ResultRow.compared(results.get(HARE), results.get(PLAIN), 1.15).withCpuGoal(0.90),
						ResultRow.compared(results.get(HARE), results.get(STREAM), 1.20),
						ResultRow.compared(results.get(HARE), results.get(PERF_TEST), 1.00)));
		}
	}

	private SpringContender hare(Context context, Payloads payloads) {
		String queue = context.broker().newQueue("drain-hare");
		ConfigurableApplicationContext application = SpringContexts.start(HareDrainApplication.class,
				context.broker().address(),
				Map.of("bench.queue", queue, "hare.listeners.drain.prefetch", context.options().prefetch(),
						"hare.listeners.drain.concurrency", context.options().concurrency()));
		MessageListenerContainer container = application.getBean(HareListenerRegistry.class)
			.getListener("drain")
			.orElseThrow()
			.getContainer();
		// Hare starts its listeners with the context; each round starts it on a full queue.
		container.stop();
		return new SpringContender("drain", HARE, context, payloads, queue, application, container);
	}

	private SpringContender plain(Context context, Payloads payloads) throws Exception {
		String queue = context.broker().newQueue("drain-plain");
		context.broker().declareQueue(queue);
		ConfigurableApplicationContext application = SpringContexts.start(PlainDrainApplication.class,
				context.broker().address(),
				Map.of("bench.queue", queue, "spring.rabbitmq.listener.simple.prefetch", context.options().prefetch(),
						"spring.rabbitmq.listener.simple.concurrency", context.options().concurrency(),
						"spring.rabbitmq.listener.simple.max-concurrency", context.options().concurrency(),
						"spring.rabbitmq.listener.simple.acknowledge-mode", "auto"));
		MessageListenerContainer container = application.getBean(RabbitListenerEndpointRegistry.class)
			.getListenerContainer("drain");
		return new SpringContender("drain", PLAIN, context, payloads, queue, application, container);
	}

	private SpringContender stream(Context context, Payloads payloads) throws Exception {
		String queue = context.broker().newQueue("drain-stream");
		context.broker().declareQueue(queue);
		Map<String, Object> properties = StreamApplications.consumer(StreamApplications.DRAIN_BINDING, queue,
				context.options());
		properties.put("spring.cloud.stream.bindings." + StreamApplications.DRAIN_BINDING + ".consumer.auto-startup",
				false);
		ConfigurableApplicationContext application = SpringContexts.startStream(StreamApplications.Drain.class,
				context.broker().address(), properties);
		return new SpringContender("drain", STREAM, context, payloads, queue, application,
				StreamApplications.binding(application, StreamApplications.DRAIN_BINDING));
	}

	static Duration timeout(long messages) {
		return Duration.ofSeconds(60 + messages / 200);
	}

	/**
	 * A Spring application whose listener container (or binding) is started on a full queue and stopped
	 * once the probe counted the backlog.
	 */
	static final class SpringContender implements Contender {

		private final String scenario;

		private final String name;

		private final Context context;

		private final Payloads payloads;

		private final String queue;

		private final @Nullable ConfigurableApplicationContext application;

		private final Lifecycle container;

		private final MessageProbe probe;

		private final long messages;

		SpringContender(String scenario, String name, Context context, Payloads payloads, String queue,
				ConfigurableApplicationContext application, Lifecycle container) {
			this(scenario, name, context, payloads, queue, application, container,
					application.getBean(MessageProbe.class), context.options().messages());
		}

		/**
		 * Create a contender that drains a backlog of its own size.
		 * @param application the application, closed with the contender; {@code null} if the
		 * caller closes it
		 */
		SpringContender(String scenario, String name, Context context, Payloads payloads, String queue,
				@Nullable ConfigurableApplicationContext application, Lifecycle container, MessageProbe probe,
				long messages) {
			this.scenario = scenario;
			this.name = name;
			this.context = context;
			this.payloads = payloads;
			this.queue = queue;
			this.application = application;
			this.container = container;
			this.probe = probe;
			this.messages = messages;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Measurement run(int round) throws Exception {
			long messages = this.messages;
			this.context.broker().publish(this.queue, messages, this.payloads::body);
			this.probe.expect(messages);
			CpuTime.Window cpu = new CpuTime.Window();
			long start = System.nanoTime();
			this.container.start();
			this.probe.await(timeout(messages));
			double seconds = (System.nanoTime() - start) / 1e9;
			long cpuNanos = cpu.stop();
			this.container.stop();
			return Measurement.throughput(this.scenario, this.name, round, messages, seconds).withCpu(cpuNanos);
		}

		@Override
		public void close() {
			if (this.application != null) {
				this.application.close();
			}
		}

	}

	/**
	 * PerfTest's consumer with the same prefetch and consumers, acking each message.
	 */
	private static final class PerfTestContender implements Contender {

		private final Context context;

		private final Payloads payloads;

		private final String queue;

		PerfTestContender(Context context, Payloads payloads) throws Exception {
			this.context = context;
			this.payloads = payloads;
			this.queue = context.broker().newQueue("drain-perftest");
			context.broker().declareQueue(this.queue);
		}

		@Override
		public String name() {
			return PERF_TEST;
		}

		@Override
		public Measurement run(int round) throws Exception {
			BenchmarkOptions options = this.context.options();
			int consumers = options.concurrency();
			// PerfTest stops each consumer at its own count, and a consumer past its count keeps
			// its prefetched messages unacked: the slack lets every consumer reach its count.
			long perConsumer = Math.max(1, options.messages() / consumers);
			long messages = perConsumer * consumers;
			long slack = (long) consumers * options.prefetch();
			this.context.broker().publish(this.queue, messages + slack, this.payloads::body);
			CpuTime.Window cpu = new CpuTime.Window();
			PerfTestRunner.Summary summary = PerfTestRunner.run(this.context.broker().address(), "--producers", "0",
					"--consumers", Integer.toString(consumers), "--qos", Integer.toString(options.prefetch()),
					"--cmessages", Long.toString(perConsumer), "--queue", this.queue, "--predeclared", "--exchange",
					"amq.direct", "--skip-binding-queues", "--id", "hare-bench-drain");
			long cpuNanos = cpu.stop();
			this.context.broker().purge(this.queue);
			return Measurement.throughput("drain", PERF_TEST, round, messages, messages / summary.receivingRate())
				.withCpu(cpuNanos);
		}

	}

}
