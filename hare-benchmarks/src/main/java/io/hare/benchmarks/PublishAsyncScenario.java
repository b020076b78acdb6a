package io.hare.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;

import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Publishes persistent JSON messages with publisher confirms, a bounded number of them
 * unconfirmed at a time, to a durable direct exchange bound to a queue: Hare's
 * {@code publishAsync} against PerfTest's producer with the same confirm window, and a plain
 * {@code RabbitTemplate} with {@code CorrelationData} futures to show what Spring AMQP's own
 * confirm model allows.
 */
final class PublishAsyncScenario implements Scenario {

	static final String HARE = "Hare publishAsync";

	static final String PERF_TEST = "PerfTest producer";

	static final String PLAIN = "plain RabbitTemplate + CorrelationData";

	static final String STREAM = "Spring Cloud Stream StreamBridge";

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
			try (ConfigurableApplicationContext hare = SpringContexts.start(HarePublishApplication.class,
					context.broker().address(),
					Map.of("hare.publishers.bench.exchange", exchange, "hare.publishers.bench.routing-key", queue));
					ConfigurableApplicationContext plain = SpringContexts.start(PlainPublishApplication.class,
							context.broker().address(), Map.of("spring.rabbitmq.template.mandatory", "true"));
					ConfigurableApplicationContext stream = SpringContexts.startStream(
							StreamApplications.Publish.class, context.broker().address(),
							StreamApplications.producer(exchange, queue))) {
				HarePublisher publisher = hare.getBean(HarePublishers.class).get("bench");
				RabbitTemplate template = plain.getBean(RabbitTemplate.class);
				StreamBridge bridge = stream.getBean(StreamBridge.class);
				List<Contender> contenders = List.of(
						new AsyncPublishContender(id(), HARE, context, queue, publisher::publishAsync),
						new AsyncPublishContender(id(), PLAIN, context, queue,
								(order) -> plainPublish(template, exchange, queue, order)),
						new AsyncPublishContender(id(), STREAM, context, queue, (order) -> streamPublish(bridge, order)),
						new PerfTestProducer(context, queue, exchange, body));
				Map<String, List<Measurement>> results = Rounds.alternate(contenders, options.warmup(),
						options.rounds(), context.log());
				context.report().note(id(), CpuTime.idleNote(DrainScenario.IDLE_PERIOD));
				results.values().forEach(context.report()::addMeasurements);
				context.report()
					.add(List.of(ResultRow.of(results.get(PERF_TEST)),
							ResultRow.compared(results.get(PLAIN), results.get(PERF_TEST), 0).withoutGoal(),
							ResultRow.compared(results.get(STREAM), results.get(PERF_TEST), 0).withoutGoal(),
							ResultRow.compared(results.get(HARE), results.get(PERF_TEST), 0.95),
							ResultRow.compared(results.get(HARE), results.get(PLAIN), 0).withoutGoal(),
							ResultRow.compared(results.get(HARE), results.get(STREAM), 0).withoutGoal()));
			}
		}
		finally {
			Files.deleteIfExists(body);
		}
	}

	/**
	 * Publish as a Spring AMQP user would without waiting: a {@code CorrelationData} per
	 * message, its future completed by the confirm.
	 */
	private static CompletableFuture<?> plainPublish(RabbitTemplate template, String exchange, String queue,
			Order order) {
		CorrelationData correlation = new CorrelationData();
		template.convertAndSend(exchange, queue, order, correlation);
		return correlation.getFuture().thenAccept((confirm) -> {
			if (!confirm.ack() || correlation.getReturned() != null) {
				throw new IllegalStateException("Not confirmed: " + confirm.reason());
			}
		});
	}

	/**
	 * Publish as a Spring Cloud Stream user would with confirms: {@code StreamBridge} with a
	 * {@code CorrelationData} in the confirm header ({@code use-confirm-header}), its future
	 * completed by the confirm.
	 */
	private static CompletableFuture<?> streamPublish(StreamBridge bridge, Order order) {
		CorrelationData correlation = new CorrelationData();
		bridge.send(StreamApplications.PUBLISH_BINDING, MessageBuilder.withPayload(order)
			.setHeader(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION, correlation)
			.build());
		return correlation.getFuture().thenAccept((confirm) -> {
			if (!confirm.ack() || correlation.getReturned() != null) {
				throw new IllegalStateException("Not confirmed: " + confirm.reason());
			}
		});
	}

	/**
	 * PerfTest's producer: one channel, persistent mandatory messages of the same JSON body with
	 * the properties a Hare message carries, confirms with the same window.
	 */
	private static final class PerfTestProducer implements Contender {

		// Hare gives every message an id and a timestamp; PerfTest sends fixed ones of the same
		// size, so that both put the same bytes on the wire and in the message store.
		private static final String HARE_PROPERTIES = "messageId=" + UUID.randomUUID()
				+ ",timestamp=2026-01-01T00:00:00Z,contentEncoding=UTF-8,priority=0";

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
			CpuTime.Window cpu = new CpuTime.Window();
			PerfTestRunner.Summary summary = PerfTestRunner.run(this.context.broker().address(), "--producers", "1",
					"--consumers", "0", "--pmessages", Long.toString(messages), "--confirm",
					Integer.toString(options.inFlight()), "--flag", "persistent", "--flag", "mandatory",
					"--message-properties", HARE_PROPERTIES, "--exchange", this.exchange, "--type", "direct",
					"--routing-key", this.queue, "--queue", this.queue, "--predeclared", "--body", this.body.toString(),
					"--body-content-type", "application/json", "--id", "hare-bench-publish");
			long cpuNanos = cpu.stop();
			this.context.broker().purge(this.queue);
			return new Measurement("publish-async", PERF_TEST, round, messages, messages / summary.sendingRate(),
					orNaN(summary.confirmP50Millis()), orNaN(summary.confirmP99Millis()))
				.withCpu(cpuNanos);
		}

		private static double orNaN(Double value) {
			return (value != null) ? value : Double.NaN;
		}

	}

}
