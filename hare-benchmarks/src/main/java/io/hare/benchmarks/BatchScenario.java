package io.hare.benchmarks;

import java.util.List;
import java.util.Map;

import io.hare.listener.HareListenerRegistry;

import org.springframework.amqp.core.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drains a backlog with a Hare batch listener ({@code List<Order>}, 100 a batch) against Hare's
 * single-message listener and Spring AMQP's own batch listener, with the same prefetch and
 * concurrency.
 */
final class BatchScenario implements Scenario {

	static final String HARE_BATCH = "Hare batch listener";

	static final String HARE_SINGLE = "Hare single-message listener";

	static final String PLAIN_BATCH = "Spring AMQP batch listener";

	static final int BATCH_SIZE = 100;

	@Override
	public String id() {
		return "batch";
	}

	@Override
	public void run(Context context) throws Exception {
		Payloads payloads = new Payloads(context.options().payloadBytes());
		try (DrainScenario.SpringContender batch = hare(context, payloads, HARE_BATCH, HareBatchDrainApplication.class);
				DrainScenario.SpringContender single = hare(context, payloads, HARE_SINGLE, HareDrainApplication.class);
				DrainScenario.SpringContender plain = plain(context, payloads)) {
			Map<String, List<Measurement>> results = Rounds.alternate(List.of(batch, single, plain),
					context.options().warmup(), context.options().rounds(), context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(ResultRow.of(results.get(HARE_SINGLE)), ResultRow.of(results.get(PLAIN_BATCH)),
						ResultRow.compared(results.get(HARE_BATCH), results.get(HARE_SINGLE), 1.30),
						ResultRow.compared(results.get(HARE_BATCH), results.get(PLAIN_BATCH), 1.00)));
		}
	}

	private DrainScenario.SpringContender hare(Context context, Payloads payloads, String name, Class<?> application) {
		String queue = context.broker().newQueue("batch-hare");
		ConfigurableApplicationContext started = SpringContexts.start(application, context.broker().address(),
				Map.of("bench.queue", queue, "hare.listeners.drain.prefetch", prefetch(context),
						"hare.listeners.drain.concurrency", context.options().concurrency()));
		MessageListenerContainer container = started.getBean(HareListenerRegistry.class)
			.getListener("drain")
			.orElseThrow()
			.getContainer();
		// Hare starts its listeners with the context; each round starts it on a full queue.
		container.stop();
		return new DrainScenario.SpringContender("batch", name, context, payloads, queue, started, container);
	}

	private DrainScenario.SpringContender plain(Context context, Payloads payloads) throws Exception {
		String queue = context.broker().newQueue("batch-plain");
		context.broker().declareQueue(queue);
		ConfigurableApplicationContext started = SpringContexts.start(PlainBatchDrainApplication.class,
				context.broker().address(),
				Map.of("bench.queue", queue, "spring.rabbitmq.listener.simple.prefetch", prefetch(context),
						"spring.rabbitmq.listener.simple.concurrency", context.options().concurrency(),
						"spring.rabbitmq.listener.simple.max-concurrency", context.options().concurrency(),
						"spring.rabbitmq.listener.simple.acknowledge-mode", "auto",
						"spring.rabbitmq.listener.simple.consumer-batch-enabled", true,
						"spring.rabbitmq.listener.simple.batch-size", BATCH_SIZE));
		MessageListenerContainer container = started.getBean(RabbitListenerEndpointRegistry.class)
			.getListenerContainer("drain");
		return new DrainScenario.SpringContender("batch", PLAIN_BATCH, context, payloads, queue, started, container);
	}

	// Every contender holds at least a batch: a consumer fills a batch only from what it was sent.
	private static int prefetch(Context context) {
		return Math.max(context.options().prefetch(), BATCH_SIZE);
	}

}
