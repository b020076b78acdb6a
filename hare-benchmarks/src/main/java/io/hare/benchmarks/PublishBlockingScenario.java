package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;

import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Publishes persistent JSON messages one at a time, each call returning only once the broker
 * confirmed it: Hare's {@code publish} against a plain {@code RabbitTemplate} send with a
 * {@code CorrelationData} whose confirm it waits for.
 */
final class PublishBlockingScenario implements Scenario {

	static final String HARE = "Hare publish";

	static final String PLAIN = "plain RabbitTemplate + CorrelationData";

	@Override
	public String id() {
		return "publish-blocking";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		String queue = context.broker().newQueue("publish-blocking");
		context.broker().declareQueue(queue);
		String exchange = context.broker().newExchange("publish-blocking", queue);
		Payloads payloads = new Payloads(options.payloadBytes());
		try (ConfigurableApplicationContext plain = SpringContexts.start(PlainPublishApplication.class,
				context.broker().address(), Map.of("spring.rabbitmq.template.mandatory", "true"));
				ConfigurableApplicationContext hare = SpringContexts.start(HarePublishApplication.class,
						context.broker().address(),
						Map.of("hare.publishers.bench.exchange", exchange, "hare.publishers.bench.routing-key", queue))) {
			RabbitTemplate template = plain.getBean(RabbitTemplate.class);
			HarePublisher publisher = hare.getBean(HarePublishers.class).get("bench");
			List<Contender> contenders = List.of(
					new BlockingContender(HARE, id(), context, queue, payloads, (order) -> publisher.publish(order)),
					new BlockingContender(PLAIN, id(), context, queue, payloads, (order) -> {
						CorrelationData correlation = new CorrelationData();
						template.convertAndSend(exchange, queue, order, correlation);
						CorrelationData.Confirm confirm = correlation.getFuture().get(10, TimeUnit.SECONDS);
						if (!confirm.ack() || correlation.getReturned() != null) {
							throw new IllegalStateException("Not confirmed: " + confirm.reason());
						}
					}));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, options.warmup(), options.rounds(),
					context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(ResultRow.of(results.get(PLAIN)),
						ResultRow.compared(results.get(HARE), results.get(PLAIN), 0.95)));
		}
	}

	/**
	 * What one contender does to publish one order and wait for its confirm.
	 */
	@FunctionalInterface
	interface BlockingPublish {

		void publish(Order order) throws Exception;

	}

	/**
	 * Publishes a round's orders one after the other, timing each call.
	 */
	static final class BlockingContender implements Contender {

		private final String name;

		private final String scenario;

		private final Context context;

		private final String queue;

		private final Payloads payloads;

		private final BlockingPublish publish;

		BlockingContender(String name, String scenario, Context context, String queue, Payloads payloads,
				BlockingPublish publish) {
			this.name = name;
			this.scenario = scenario;
			this.context = context;
			this.queue = queue;
			this.payloads = payloads;
			this.publish = publish;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Measurement run(int round) throws Exception {
			int messages = this.context.options().blockingMessages();
			List<Order> orders = new ArrayList<>(messages);
			for (int i = 0; i < messages; i++) {
				orders.add(this.payloads.order(i));
			}
			Latencies latencies = new Latencies(messages);
			CpuTime.Window cpu = new CpuTime.Window();
			long start = System.nanoTime();
			for (Order order : orders) {
				long before = System.nanoTime();
				this.publish.publish(order);
				latencies.record(System.nanoTime() - before);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			long cpuNanos = cpu.stop();
			this.context.broker().purge(this.queue);
			return new Measurement(this.scenario, this.name, round, messages, seconds, latencies.percentileMillis(50),
					latencies.percentileMillis(99)).withCpu(cpuNanos);
		}

	}

}
