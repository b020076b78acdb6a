package io.hare.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hare.event.HareStreamHandlerFailedEvent;
import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream listeners against the real broker, read over AMQP 0-9-1 (as without the stream
 * client): each offset kind starts at exactly the expected message, failures are acked and
 * reported, and every listener reads every message. {@link HareStreamProtocolListenerIT}
 * runs the same over the stream protocol.
 */
@ExtendWith(OutputCaptureExtension.class)
class HareStreamListenerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	final BrokerFixture broker = new BrokerFixture();

	final String stream = this.broker.queue("events");

	/**
	 * Return the settings that choose the protocol stream listeners read over.
	 * @return property values
	 */
	String[] protocolProperties() {
		return new String[] { "hare.streams.enabled=false" };
	}

	ApplicationContextRunner runner(String offset) {
		return this.broker.contextRunner()
			.withPropertyValues(protocolProperties())
			.withPropertyValues("test.stream=" + this.stream, "test.offset=" + offset)
			.withUserConfiguration(StreamConfiguration.class);
	}

	void declareStream() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.stream).stream().build());
	}

	void publish(String... payloads) {
		for (String payload : payloads) {
			// One confirmed publish at a time: each message is its own chunk, so "last" is one message.
			MessageProperties properties = new MessageProperties();
			properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
			this.broker.publish("", this.stream, new Message(payload.getBytes(StandardCharsets.UTF_8), properties));
		}
	}

	/**
	 * Return the consumers of a queue as the broker counts them; RabbitMQ 3.10 leaves stream
	 * consumers out of {@code list_consumers} but counts them in {@code list_queues}.
	 */
	private int consumersOf(String queue) {
		return this.broker.broker()
			.ctl("list_queues", "name", "consumers")
			.lines()
			.filter((line) -> line.startsWith(queue + "\t"))
			.mapToInt((line) -> Integer.parseInt(line.substring(line.indexOf('\t') + 1).trim()))
			.findFirst()
			.orElse(-1);
	}

	@Test
	void firstReadsEveryMessageThenNewOnes() {
		declareStream();
		publish("e0", "e1", "e2");
		runner("first").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 3);
			publish("e3");
			await().atMost(TIMEOUT).until(() -> events.count() == 4);
			assertThat(events.payloads()).containsExactly("e0", "e1", "e2", "e3");
		});
	}

	@Test
	void nextIsTheDefaultAndReadsOnlyMessagesPublishedAfterTheConsumerAttached() {
		declareStream();
		publish("old0", "old1");
		runner("").run((context) -> {
			assertThat(context.getBean(HareListenerRegistry.class).getListener("events").orElseThrow().getSettings()
				.streamOffset()).hasToString("next");
			await().atMost(TIMEOUT).until(() -> consumersOf(this.stream) == 1);
			publish("new0", "new1");
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() >= 2);
			// A stream delivers in order: had the old messages come, they would have come first.
			assertThat(events.payloads()).containsExactly("new0", "new1");
		});
	}

	@Test
	void lastStartsAtTheNewestChunk() {
		declareStream();
		publish("e0", "e1", "e2");
		runner("last").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 1);
			publish("e3");
			await().atMost(TIMEOUT).until(() -> events.count() == 2);
			assertThat(events.payloads()).containsExactly("e2", "e3");
		});
	}

	@Test
	void aNumericOffsetStartsAtThatMessage() {
		declareStream();
		publish("e0", "e1", "e2", "e3", "e4");
		runner("2").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 3);
			assertThat(events.payloads()).containsExactly("e2", "e3", "e4");
			assertThat(context.getBean(StreamListener.class).offsets).containsExactly(2L, 3L, 4L);
		});
	}

	@Test
	void aTimestampStartsAtTheMessagesPublishedFromThen() {
		declareStream();
		publish("before0", "before1");
		Instant publishedBefore = Instant.now();
		// Stream timestamps count whole seconds: leave more than one between the batches.
		await().pollDelay(Duration.ofMillis(1100)).until(() -> Instant.now().isAfter(publishedBefore.plusMillis(1100)));
		Instant from = Instant.now();
		publish("after0", "after1");
		runner(from.toString()).run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 2);
			assertThat(events.payloads()).containsExactly("after0", "after1");
		});
	}

	@Test
	void aDurationStartsAtTheMessagesPublishedThatLongAgo() {
		declareStream();
		publish("old0", "old1");
		Instant publishedOld = Instant.now();
		await().pollDelay(Duration.ofMillis(3100)).until(() -> Instant.now().isAfter(publishedOld.plusMillis(3100)));
		publish("recent0", "recent1");
		// The broker measures PT3S back from when the consumer attaches: after the old messages
		// were more than 3 s old, and (the context starts quickly) while the recent ones are not.
		runner("PT3S").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 2);
			assertThat(events.payloads()).containsExactly("recent0", "recent1");
		});
	}

	@Test
	void aFailedMessageIsAckedAndReportedWithItsOffset(CapturedOutput output) {
		declareStream();
		publish("e0", "fail", "e2");
		runner("first").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 3);
			assertThat(events.payloads()).containsExactly("e0", "fail", "e2");
			FailureRecorder failures = context.getBean(FailureRecorder.class);
			await().atMost(TIMEOUT).until(() -> failures.events.size() == 1 && failures.callbacks.size() == 1);
			HareStreamHandlerFailedEvent event = failures.events.get(0);
			assertThat(event.getListenerId()).isEqualTo("events");
			assertThat(event.getStream()).isEqualTo(this.stream);
			assertThat(event.getOffset()).isEqualTo(1L);
			assertThat(event.getException()).isInstanceOf(IllegalStateException.class).hasMessage("cannot handle fail");
			assertThat(failures.callbacks.get(0).getOffset()).isEqualTo(1L);
			assertThat(output).contains("Hare stream listener 'events' skipped the message at offset 1 of stream '"
					+ this.stream + "'");
			assertThat(this.broker.broker().ctl("list_queues", "name", "messages_unacknowledged"))
				.containsPattern(this.stream + "\\s+0");
			assertThat(this.broker.depth(this.stream + ".dead")).as("no dead-letter queue for a stream").isEqualTo(-1);
			assertThat(this.broker.depth(this.stream + ".delay")).as("no delay queue for a stream").isEqualTo(-1);
		});
	}

	@Test
	void deadLettersAFailedMessageWithReasonHeadersToAnExistingQueue(CapturedOutput output) {
		declareStream();
		String deadLetter = this.broker.queue("events-dead");
		this.broker.admin().declareQueue(QueueBuilder.durable(deadLetter).build());
		publish("e0", "fail", "e2");
		runner("first").withPropertyValues("hare.listeners.events.stream.dead-letter=" + deadLetter)
			.run((context) -> {
				Invocations events = context.getBean(StreamListener.class).events;
				await().atMost(TIMEOUT).until(() -> events.count() == 3);
				Message copy = this.broker.receive(deadLetter, TIMEOUT);
				assertThat(copy).isNotNull();
				assertThat(new String(copy.getBody(), StandardCharsets.UTF_8)).isEqualTo("fail");
				MessageProperties properties = copy.getMessageProperties();
				assertThat((Object) properties.getHeader(HareHeaders.LISTENER)).isEqualTo("events");
				assertThat((Object) properties.getHeader(HareHeaders.EXCEPTION))
					.isEqualTo(IllegalStateException.class.getName());
				assertThat((Object) properties.getHeader(HareHeaders.EXCEPTION_MESSAGE)).isEqualTo("cannot handle fail");
				assertThat(((Number) properties.getHeader(HareHeaders.ATTEMPT)).intValue()).isOne();
				assertThat(((Number) properties.getHeader("x-stream-offset")).longValue()).isOne();
				assertThat((Object) properties.getHeader("x-exception-stacktrace")).asString()
					.contains("cannot handle fail");
				assertThat(this.broker.depth(deadLetter)).as("only the failed message is copied").isZero();
				FailureRecorder failures = context.getBean(FailureRecorder.class);
				await().atMost(TIMEOUT).until(() -> failures.events.size() == 1);
				assertThat(failures.events.get(0).getDeadLetter()).isEqualTo(deadLetter);
				assertThat(output).contains("skipped the message at offset 1 of stream '" + this.stream
						+ "', copied to '" + deadLetter + "'");
			});
	}

	@Test
	void doesNotMovePastAFailedMessageUntilItsDeadLetterCopyIsConfirmed(CapturedOutput output) {
		declareStream();
		String deadLetter = this.broker.queue("events-dead");
		// A full queue that rejects publishes: the broker nacks every copy.
		this.broker.admin().declareQueue(QueueBuilder.durable(deadLetter).maxLength(0).overflow(
				QueueBuilder.Overflow.rejectPublish).build());
		publish("e0", "fail", "e2");
		runner("first").withPropertyValues("hare.listeners.events.stream.dead-letter=" + deadLetter,
				"hare.confirm-timeout=500ms")
			.run((context) -> {
				Invocations events = context.getBean(StreamListener.class).events;
				await().atMost(TIMEOUT).until(() -> output.toString().contains("could not copy a failed message to '"
						+ deadLetter + "'"));
				assertThat(events.payloads()).containsExactly("e0", "fail");
				// Once the target is gone, Hare declares it as a stream and the copy goes through.
				this.broker.admin().deleteQueue(deadLetter);
				await().atMost(TIMEOUT).until(() -> events.count() == 3);
				assertThat(events.payloads()).containsExactly("e0", "fail", "e2");
				assertThat(this.broker.broker().ctl("list_queues", "name", "type"))
					.containsPattern(deadLetter + "\\s+stream");
				FailureRecorder failures = context.getBean(FailureRecorder.class);
				await().atMost(TIMEOUT).until(() -> failures.events.size() == 1);
				assertThat(failures.events.get(0).getDeadLetter()).isEqualTo(deadLetter);
			});
	}

	@Test
	void failsStartupWhenAStreamDeadLettersToItself() {
		runner("first").withPropertyValues("hare.listeners.events.stream.dead-letter=" + this.stream)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("hare.listeners.events.stream.dead-letter")
					.hasStackTraceContaining("must not be the stream the listener reads");
			});
	}

	@Test
	void twoListenersOnTheSameStreamEachGetEveryMessage() {
		declareStream();
		publish("e0", "e1");
		runner("first").withUserConfiguration(SecondStreamConfiguration.class).run((context) -> {
			Invocations first = context.getBean(StreamListener.class).events;
			Invocations second = context.getBean(SecondStreamListener.class).events;
			publish("e2");
			await().atMost(TIMEOUT).until(() -> first.count() == 3 && second.count() == 3);
			assertThat(first.payloads()).containsExactly("e0", "e1", "e2");
			assertThat(second.payloads()).containsExactly("e0", "e1", "e2");
		});
	}

	@Test
	void resumesAfterTheLastMessageWhenItsConnectionIsClosedInsteadOfReplaying() {
		declareStream();
		publish("e0", "e1", "e2");
		runner("first").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 3);
			int port = context.getBean(CachingConnectionFactory.class).createConnection().getLocalPort();
			// Close only this test's connection: the broker is shared.
			String pid = this.broker.broker()
				.ctl("list_connections", "pid", "name")
				.lines()
				.filter((line) -> line.contains("\t127.0.0.1:" + port + " "))
				.map((line) -> line.substring(0, line.indexOf('\t')))
				.findFirst()
				.orElseThrow();
			this.broker.broker().ctl("close_connection", pid, "hare stream resume test");
			// The consumer that restarts on a new connection reads e3 whenever it attaches; had it
			// started from 'first' again, e0 to e2 would come again before e3.
			publish("e3");
			await().atMost(TIMEOUT).until(() -> events.count() >= 4);
			assertThat(events.payloads()).containsExactly("e0", "e1", "e2", "e3");
		});
	}

	@Test
	void resumesAfterTheLastMessageWhenUnpaused() {
		declareStream();
		publish("e0");
		runner("first").run((context) -> {
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 1);
			HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
			registry.pause("events");
			assertThat(consumersOf(this.stream)).isZero();
			publish("e1");
			registry.resume("events");
			await().atMost(TIMEOUT).until(() -> events.count() >= 2);
			publish("e2");
			await().atMost(TIMEOUT).until(() -> events.count() >= 3);
			assertThat(events.payloads()).containsExactly("e0", "e1", "e2");
		});
	}

	@Test
	void declaresAStreamWithoutDelayOrDeadQueues() {
		runner("first").run((context) -> {
			assertThat(context).hasNotFailed();
			String types = this.broker.broker().ctl("list_queues", "name", "type");
			assertThat(types).containsPattern(this.stream + "\\s+stream");
			assertThat(types).doesNotContain(this.stream + ".delay").doesNotContain(this.stream + ".dead");
		});
	}

	@Test
	void failsStartupNamingTheKeyOfAnUnreadableOffset() {
		runner("yesterday").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("@HareListener(streamOffset) on ")
				.hasStackTraceContaining("yesterday");
		});
	}

	@Test
	void failsStartupNamingTheKeyOfRetrySettingsOnAStream() {
		runner("first").withPropertyValues("hare.listeners.events.retry.limit=3").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.listeners.events.retry.limit")
				.hasStackTraceContaining("a stream cannot retry");
		});
	}

	@Test
	void failsStartupWhenAStreamListenerAsksForSeveralConsumers() {
		runner("first").withPropertyValues("hare.listeners.events.consumers=2").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.listeners.events.consumers")
				.hasStackTraceContaining("every consumer of a stream reads every message");
		});
	}

	@Test
	void streamsIgnoreTheRetryAndConcurrencyDefaultsOfOtherListeners() {
		runner("first").withPropertyValues("hare.defaults.retry.limit=3", "hare.defaults.concurrency=4")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
					.getListener("events")
					.orElseThrow();
				assertThat(listener.getDesiredConsumers()).isOne();
			});
	}

	@Test
	void failsStartupWhenAStreamOffsetIsSetOnAClassicQueue() {
		this.broker.contextRunner()
			.withPropertyValues(protocolProperties())
			.withPropertyValues("test.stream=" + this.stream, "test.offset=first",
					"hare.listeners.events.queue.type=classic")
			.withUserConfiguration(StreamConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				// The offset comes from the annotation, so the error names the annotation attribute.
				assertThat(context.getStartupFailure()).hasStackTraceContaining("@HareListener(streamOffset) on ")
					.hasStackTraceContaining("applies only to a listener whose queue.type is stream");
			});
	}

	static class FailureRecorder implements ApplicationListener<HareStreamHandlerFailedEvent> {

		final List<HareStreamHandlerFailedEvent> events = new CopyOnWriteArrayList<>();

		final List<HareStreamHandlerFailedEvent> callbacks = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(HareStreamHandlerFailedEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StreamConfiguration {

		@Bean
		StreamListener streamListener() {
			return new StreamListener();
		}

		@Bean
		FailureRecorder failureRecorder() {
			return new FailureRecorder();
		}

		@Bean
		HareStreamFailureCallback recordingCallback(FailureRecorder recorder) {
			return recorder.callbacks::add;
		}

	}

	static class StreamListener {

		final Invocations events = new Invocations();

		final List<Long> offsets = new CopyOnWriteArrayList<>();

		@HareListener(id = "events", queue = "${test.stream}", queueType = QueueType.STREAM,
				streamOffset = "${test.offset}")
		void onEvent(String event, MessageProperties properties) {
			this.events.record(event);
			this.offsets.add(((Number) properties.getHeaders().get("x-stream-offset")).longValue());
			if (event.equals("fail")) {
				throw new IllegalStateException("cannot handle " + event);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(StreamConfiguration.class)
	static class SecondStreamConfiguration {

		@Bean
		SecondStreamListener secondStreamListener() {
			return new SecondStreamListener();
		}

	}

	static class SecondStreamListener {

		final Invocations events = new Invocations();

		@HareListener(id = "audit", queue = "${test.stream}", queueType = QueueType.STREAM, streamOffset = "first")
		void onEvent(String event) {
			this.events.record(event);
		}

	}

}
