package io.hare.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import com.rabbitmq.stream.Producer;
import tools.jackson.databind.json.JsonMapper;

import io.hare.listener.HareListenerRegistry;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reads and writes 1 KB JSON records on streams: Hare's stream listener over the stream
 * protocol against the same listener over AMQP 0-9-1 and against the stream client used
 * directly (each decoding every record into an {@link Order}); then Hare's {@code publishAsync}
 * to a stream over each protocol against the stream client's producer, with the same window of
 * unconfirmed messages.
 */
final class StreamScenario implements Scenario {

	static final String HARE_STREAM = "Hare stream listener, stream protocol";

	static final String HARE_AMQP = "Hare stream listener, AMQP 0-9-1";

	static final String CLIENT = "stream client consumer";

	// The stream client's default for a named consumer's automatic offset tracking.
	private static final int CLIENT_STORE_EVERY = 10_000;

	static final String PUBLISH_HARE_STREAM = "Hare publishAsync to a stream, stream protocol";

	static final String PUBLISH_HARE_AMQP = "Hare publishAsync to a stream, AMQP 0-9-1";

	static final String PUBLISH_CLIENT = "stream client producer";

	static final int STREAM_PORT = 5552;

	@Override
	public String id() {
		return "stream";
	}

	@Override
	public void run(Context context) throws Exception {
		BenchmarkOptions.Broker broker = context.broker().address();
		Payloads payloads = new Payloads(context.options().payloadBytes());
		try (Environment environment = Environment.builder()
			.host(broker.host())
			.port(STREAM_PORT)
			.username(broker.username())
			.password(broker.password())
			.virtualHost(broker.virtualHost())
			.build()) {
			consume(context, environment, payloads);
			publish(context, environment);
		}
	}

	private void consume(Context context, Environment environment, Payloads payloads) throws Exception {
		try (HareContender overStream = hare(context, environment, payloads, HARE_STREAM, true);
				HareContender overAmqp = hare(context, environment, payloads, HARE_AMQP, false);
				ClientConsumer client = new ClientConsumer(context, environment, payloads)) {
			Map<String, List<Measurement>> results = Rounds.alternate(List.of(overStream, overAmqp, client),
					context.options().warmup(), context.options().rounds(), context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(ResultRow.of(results.get(HARE_AMQP)), ResultRow.of(results.get(CLIENT)),
						ResultRow.compared(results.get(HARE_STREAM), results.get(HARE_AMQP), 3.0),
						ResultRow.compared(results.get(HARE_STREAM), results.get(CLIENT), 0.9)));
		}
	}

	private void publish(Context context, Environment environment) throws Exception {
		String overStream = newStream(context, environment, "stream-publish-hare");
		String overAmqp = newStream(context, environment, "stream-publish-amqp");
		String direct = newStream(context, environment, "stream-publish-client");
		try (ConfigurableApplicationContext hareStream = SpringContexts.start(HarePublishApplication.class,
				context.broker().address(), Map.of("hare.publishers.bench.stream", overStream));
				ConfigurableApplicationContext hareAmqp = SpringContexts.start(HarePublishApplication.class,
						context.broker().address(), Map.of("hare.publishers.bench.routing-key", overAmqp));
				Producer producer = environment.producerBuilder().stream(direct).build()) {
			HarePublisher streamPublisher = hareStream.getBean(HarePublishers.class).get("bench");
			HarePublisher amqpPublisher = hareAmqp.getBean(HarePublishers.class).get("bench");
			List<Contender> contenders = List.of(
					new AsyncPublishContender(id(), PUBLISH_HARE_STREAM, context, null, streamPublisher::publishAsync),
					new AsyncPublishContender(id(), PUBLISH_HARE_AMQP, context, null, amqpPublisher::publishAsync),
					new AsyncPublishContender(id(), PUBLISH_CLIENT, context, null, (order) -> send(producer, order)));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, context.options().warmup(),
					context.options().rounds(), context.log());
			results.values().forEach(context.report()::addMeasurements);
			context.report()
				.add(List.of(ResultRow.of(results.get(PUBLISH_HARE_AMQP)), ResultRow.of(results.get(PUBLISH_CLIENT)),
						ResultRow.compared(results.get(PUBLISH_HARE_STREAM), results.get(PUBLISH_HARE_AMQP), 3.0),
						ResultRow.compared(results.get(PUBLISH_HARE_STREAM), results.get(PUBLISH_CLIENT), 0.9)));
		}
	}

	// What a user of the stream client writes: the same JSON body and content type as Hare sends.
	private static CompletableFuture<?> send(Producer producer, Order order) {
		CompletableFuture<Void> confirmed = new CompletableFuture<>();
		producer.send(producer.messageBuilder()
			.properties()
			.contentType("application/json")
			.messageBuilder()
			.addData(Payloads.json(order))
			.build(), (status) -> {
				if (status.isConfirmed()) {
					confirmed.complete(null);
				}
				else {
					confirmed.completeExceptionally(new IllegalStateException("not confirmed: " + status.getCode()));
				}
			});
		return confirmed;
	}

	private static String newStream(Context context, Environment environment, String prefix) {
		String stream = context.broker().newQueue(prefix);
		environment.streamCreator().stream(stream).create();
		return stream;
	}

	// Fills a stream with a round's records, confirmed, before the round starts.
	private static void fill(Environment environment, String stream, Payloads payloads, long count)
			throws InterruptedException {
		try (Producer producer = environment.producerBuilder().stream(stream).build()) {
			CountDownLatch confirmed = new CountDownLatch((int) count);
			for (long id = 0; id < count; id++) {
				producer.send(producer.messageBuilder()
					.properties()
					.contentType("application/json")
					.messageBuilder()
					.addData(payloads.body(id))
					.build(), (status) -> confirmed.countDown());
			}
			if (!confirmed.await(DrainScenario.timeout(count).toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("The broker did not confirm the records of stream " + stream);
			}
		}
	}

	private HareContender hare(Context context, Environment environment, Payloads payloads, String name,
			boolean streamProtocol) {
		String stream = context.broker().newQueue(streamProtocol ? "stream-hare" : "stream-amqp");
		ConfigurableApplicationContext application = SpringContexts.start(HareStreamDrainApplication.class,
				context.broker().address(), Map.of("bench.queue", stream, "hare.streams.enabled", streamProtocol,
						"hare.listeners.drain.prefetch", context.options().prefetch(),
						// The stream client's own auto-tracking interval: Hare's default (store after
						// each message) writes a tracking entry per record, which the client does not.
						"hare.listeners.drain.stream.store-every", CLIENT_STORE_EVERY));
		HareListenerRegistry registry = application.getBean(HareListenerRegistry.class);
		// Each round starts the listener on a stream holding the round's records.
		registry.pause("drain");
		return new HareContender(name, context, environment, payloads, stream, application, registry);
	}

	/**
	 * A Hare application whose stream listener resumes, after the last record it handled, on
	 * a round's worth of new records, and pauses once the probe counted them.
	 */
	private static final class HareContender implements Contender {

		private final String name;

		private final Context context;

		private final Environment environment;

		private final Payloads payloads;

		private final String stream;

		private final ConfigurableApplicationContext application;

		private final HareListenerRegistry registry;

		private final MessageProbe probe;

		HareContender(String name, Context context, Environment environment, Payloads payloads, String stream,
				ConfigurableApplicationContext application, HareListenerRegistry registry) {
			this.name = name;
			this.context = context;
			this.environment = environment;
			this.payloads = payloads;
			this.stream = stream;
			this.application = application;
			this.registry = registry;
			this.probe = application.getBean(MessageProbe.class);
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Measurement run(int round) throws Exception {
			long messages = this.context.options().messages();
			fill(this.environment, this.stream, this.payloads, messages);
			this.probe.expect(messages);
			long start = System.nanoTime();
			this.registry.resume("drain");
			this.probe.await(DrainScenario.timeout(messages));
			double seconds = (System.nanoTime() - start) / 1e9;
			this.registry.pause("drain");
			return Measurement.throughput("stream", this.name, round, messages, seconds);
		}

		@Override
		public void close() {
			this.application.close();
		}

	}

	/**
	 * The stream client's consumer, started each round at the round's first record, decoding
	 * each into an order as Hare does.
	 */
	private static final class ClientConsumer implements Contender {

		private static final JsonMapper MAPPER = new JsonMapper();

		private final Context context;

		private final Environment environment;

		private final Payloads payloads;

		private final String stream;

		private long next;

		ClientConsumer(Context context, Environment environment, Payloads payloads) {
			this.context = context;
			this.environment = environment;
			this.payloads = payloads;
			this.stream = newStream(context, environment, "stream-client");
		}

		@Override
		public String name() {
			return CLIENT;
		}

		@Override
		public Measurement run(int round) throws Exception {
			long messages = this.context.options().messages();
			fill(this.environment, this.stream, this.payloads, messages);
			MessageProbe probe = new MessageProbe();
			probe.expect(messages);
			long start = System.nanoTime();
			Consumer consumer = this.environment.consumerBuilder()
				.stream(this.stream)
				.offset(OffsetSpecification.offset(this.next))
				.messageHandler((handlerContext, message) -> probe
					.record(MAPPER.readValue(message.getBodyAsBinary(), Order.class)))
				.build();
			try {
				probe.await(DrainScenario.timeout(messages));
			}
			finally {
				consumer.close();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			this.next += messages;
			return Measurement.throughput("stream", CLIENT, round, messages, seconds);
		}

	}

}
