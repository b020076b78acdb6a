package io.hare.benchmarks;

import java.util.List;
import java.util.Map;

import io.hare.listener.HareListenerRegistry;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hands the same messages straight to Hare's message listener and to the one Spring AMQP
 * builds for a {@code @RabbitListener}, in this thread, without the broker: the CPU each
 * spends per message on decoding, invoking the handler and its own bookkeeping, which the
 * drain scenario's figures hide behind the broker's cost.
 */
final class HotPathScenario implements Scenario {

	@Override
	public String id() {
		return "hot-path";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions options = context.options();
		String hareQueue = context.broker().newQueue("hot-path-hare");
		String plainQueue = context.broker().newQueue("hot-path-plain");
		context.broker().declareQueue(plainQueue);
		try (ConfigurableApplicationContext hare = SpringContexts.start(HareDrainApplication.class,
				context.broker().address(), Map.of("bench.queue", hareQueue));
				ConfigurableApplicationContext plain = SpringContexts.start(PlainDrainApplication.class,
						context.broker().address(), Map.of("bench.queue", plainQueue))) {
			AbstractMessageListenerContainer hareContainer = hare.getBean(HareListenerRegistry.class)
				.getListener("drain")
				.orElseThrow()
				.getContainer();
			hareContainer.stop();
			AbstractMessageListenerContainer plainContainer = (AbstractMessageListenerContainer) plain
				.getBean(RabbitListenerEndpointRegistry.class)
				.getListenerContainer("drain");
			byte[][] bodies = bodies(options);
			// Ten times the drain's count: without the broker a round is otherwise too short to time.
			long messages = 10L * options.messages();
			List<Contender> contenders = List.of(
					new DirectContender(DrainScenario.HARE, hareQueue, hareContainer, hare.getBean(MessageProbe.class),
							bodies, messages),
					new DirectContender(DrainScenario.PLAIN, plainQueue, plainContainer,
							plain.getBean(MessageProbe.class), bodies, messages));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, options.warmup(), options.rounds(),
					context.log());
			results.values().forEach(context.report()::addMeasurements);
			String note = "in-process, no broker: the listener path alone (decode, invoke, bookkeeping)";
			context.report()
				.add(List.of(ResultRow.of(results.get(DrainScenario.PLAIN)).withNote(note),
						ResultRow.compared(results.get(DrainScenario.HARE), results.get(DrainScenario.PLAIN), 1.00)
							.withNote(note)));
		}
	}

	private static byte[][] bodies(BenchmarkOptions options) {
		Payloads payloads = new Payloads(options.payloadBytes());
		byte[][] bodies = new byte[1000][];
		for (int i = 0; i < bodies.length; i++) {
			bodies[i] = payloads.body(i);
		}
		return bodies;
	}

	/**
	 * Calls a container's message listener as its consumer thread would.
	 */
	private static final class DirectContender implements Contender {

		private final String name;

		private final String queue;

		private final ChannelAwareMessageListener listener;

		private final MessageProbe probe;

		private final byte[][] bodies;

		private final long messages;

		DirectContender(String name, String queue, AbstractMessageListenerContainer container, MessageProbe probe,
				byte[][] bodies, long messages) {
			this.name = name;
			this.queue = queue;
			this.listener = (ChannelAwareMessageListener) container.getMessageListener();
			this.probe = probe;
			this.bodies = bodies;
			this.messages = messages;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Measurement run(int round) throws Exception {
			long messages = this.messages;
			this.probe.expect(messages);
			CpuTime.Window cpu = new CpuTime.Window();
			long start = System.nanoTime();
			for (long i = 0; i < messages; i++) {
				this.listener.onMessage(message(i), null);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			if (this.probe.received() != messages) {
				throw new IllegalStateException(this.name + " handled " + this.probe.received() + " of " + messages);
			}
			return Measurement.throughput("hot-path", this.name, round, messages, seconds).withCpu(cpu.stop());
		}

		/**
		 * Build the message as the container does from a delivery.
		 */
		private Message message(long i) {
			MessageProperties properties = new MessageProperties();
			properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
			properties.setReceivedExchange("");
			properties.setReceivedRoutingKey(this.queue);
			properties.setConsumerQueue(this.queue);
			properties.setDeliveryTag(i + 1);
			properties.setRedelivered(false);
			return new Message(this.bodies[(int) (i % this.bodies.length)], properties);
		}

	}

}
