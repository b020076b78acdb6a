package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hare.actuate.HareEndpoint;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.test.Invocations;
import io.hare.topology.QueueType;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Stream listeners over the stream protocol, against the real broker: everything
 * {@link HareStreamListenerIT} checks over AMQP 0-9-1, and offsets stored on the broker, so
 * that a restarted application resumes where it stopped and an operator can reset it.
 */
@ExtendWith(OutputCaptureExtension.class)
class HareStreamProtocolListenerIT extends HareStreamListenerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Override
	String[] protocolProperties() {
		return new String[0];
	}

	private ApplicationContextRunner recordingRunner(String... properties) {
		return this.broker.contextRunner()
			.withPropertyValues("test.stream=" + this.stream)
			.withPropertyValues(properties);
	}

	private static String[] numbered(int from, int to) {
		return IntStream.rangeClosed(from, to).mapToObj((n) -> "m" + n).toArray(String[]::new);
	}

	@Test
	void readsOverTheStreamProtocolAndSaysSoOnce(CapturedOutput output) {
		declareStream();
		runner("first").withUserConfiguration(SecondStreamConfiguration.class).run((context) -> {
			HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
				.getListener("events")
				.orElseThrow();
			assertThat(listener.getProtocol()).isEqualTo("stream");
			assertThat(listener.getStreamConsumerName()).contains("application.events");
			assertThat(output.toString().split("Hare stream listeners read over the stream protocol", -1))
				.hasSize(2);
		});
	}

	@Test
	void connectsThroughTheNextAddressWhenTheFirstDoesNotAnswer() {
		declareStream();
		publish("e0", "e1");
		// Port 1 refuses connections: the client goes on to the next address.
		runner("first").withPropertyValues("hare.streams.addresses=127.0.0.1:1,127.0.0.1:5552").run((context) -> {
			HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
				.getListener("events")
				.orElseThrow();
			assertThat(listener.getProtocol()).isEqualTo("stream");
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 2);
			assertThat(events.payloads()).containsExactly("e0", "e1");
		});
	}

	@Test
	void aRestartedApplicationHandlesExactlyTheMessagesAfterTheLastStoredOne() {
		declareStream();
		publish(numbered(1, 500));
		Recorder first = new Recorder();
		recordingRunner("hare.listeners.recorded.stream.store-every=1")
			.withBean(Recorder.class, () -> first)
			.run((context) -> await().atMost(TIMEOUT).until(() -> first.payloads.size() == 500));
		// The stream holds 1 000 messages: the application stopped after the first 500.
		publish(numbered(501, 1000));
		Recorder second = new Recorder();
		recordingRunner("hare.listeners.recorded.stream.store-every=1")
			.withBean(Recorder.class, () -> second)
			.run((context) -> await().atMost(TIMEOUT)
				.during(Duration.ofSeconds(1))
				.until(() -> second.payloads.size() == 500));
		assertThat(first.payloads).containsExactly(numbered(1, 500));
		// Its offset setting is 'first', which applies only while no offset is stored.
		assertThat(second.payloads).containsExactly(numbered(501, 1000));
	}

	@Test
	void anApplicationStoppedWhileBusyResumesWithNeitherGapNorRepeat() {
		declareStream();
		publish(numbered(1, 1000));
		Recorder first = new Recorder();
		recordingRunner("hare.listeners.recorded.stream.store-every=1")
			.withBean(Recorder.class, () -> first)
			.run((context) -> await().atMost(TIMEOUT).until(() -> first.payloads.size() >= 500));
		int handled = first.payloads.size();
		Recorder second = new Recorder();
		recordingRunner("hare.listeners.recorded.stream.store-every=1")
			.withBean(Recorder.class, () -> second)
			.run((context) -> await().atMost(TIMEOUT)
				.during(Duration.ofSeconds(1))
				.until(() -> second.payloads.size() == 1000 - handled));
		assertThat(first.payloads).containsExactly(numbered(1, handled));
		assertThat(second.payloads).containsExactly(numbered(handled + 1, 1000));
	}

	@Test
	void resetThroughTheEndpointReadsFromFirstAgain() {
		declareStream();
		publish(numbered(1, 3));
		Recorder recorder = new Recorder();
		recordingRunner("management.endpoints.web.exposure.include=hare")
			.withConfiguration(AutoConfigurations.of(
					HareOperationsAutoConfiguration.class, EndpointAutoConfiguration.class,
					HareEndpointAutoConfiguration.class))
			.withBean(Recorder.class, () -> recorder)
			.run((context) -> {
				await().atMost(TIMEOUT).until(() -> recorder.payloads.size() == 3);
				HareEndpoint endpoint = context.getBean(HareEndpoint.class);
				assertThat(endpoint.listener("recorded").stream().protocol()).isEqualTo("stream");
				assertThat(endpoint.listener("recorded").stream().consumerName()).isEqualTo("application.recorded");
				// Offsets count from 0: the third message has offset 2.
				await().atMost(TIMEOUT).until(() -> Long.valueOf(2).equals(endpoint.listener("recorded").stream()
					.storedOffset()));
				endpoint.operate("recorded", "reset-offset", null, null, null, null, null, null, "first");
				await().atMost(TIMEOUT).until(() -> recorder.payloads.size() == 6);
				publish("m4");
				await().atMost(TIMEOUT).until(() -> recorder.payloads.size() == 7);
				assertThat(recorder.payloads).containsExactly("m1", "m2", "m3", "m1", "m2", "m3", "m4");
				// Offset tracking writes into the stream too, so m4's offset is not simply 3.
				long last = recorder.offsets.get(recorder.offsets.size() - 1);
				await().atMost(TIMEOUT).until(() -> endpoint.listener("recorded").stream().storedOffset(),
						(stored) -> Long.valueOf(last).equals(stored));
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.operate("recorded", "reset-offset", null, null, null, null, null, null,
							null))
					.withMessageContaining("'to'");
			});
	}

	@Test
	void readsOverAmqpWhenTheBrokerOffersNoStreamProtocol(CapturedOutput output) {
		declareStream();
		publish("e0", "e1");
		// Port 1: nothing listens there, as on a broker without the rabbitmq_stream plugin.
		runner("first").withPropertyValues("hare.streams.port=1").run((context) -> {
			HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
				.getListener("events")
				.orElseThrow();
			assertThat(listener.getProtocol()).isEqualTo("amqp");
			Invocations events = context.getBean(StreamListener.class).events;
			await().atMost(TIMEOUT).until(() -> events.count() == 2);
			assertThat(events.payloads()).containsExactly("e0", "e1");
			assertThat(output).contains("WARN")
				.contains("Hare stream listeners read over AMQP 0-9-1 until the application restarts: the broker "
						+ "offers no stream protocol at 127.0.0.1:1")
				.contains("Connection refused")
				.contains("their offsets are kept in memory, not on the broker");
			assertThat(output).doesNotContain("guest:guest");
		});
	}

	@Test
	void failsStartupSayingThatThisBrokerOffersNoSingleActiveConsumerOnAStream() {
		// RabbitMQ 3.10 has no single active consumer on streams (3.11 brings it, over the stream
		// protocol only), so Hare refuses it rather than run every instance as active.
		recordingRunner("hare.listeners.recorded.queue.single-active-consumer=true")
			.withBean(Recorder.class, Recorder::new)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("hare.listeners.recorded.queue.single-active-consumer")
					.hasStackTraceContaining("single active consumer on streams from 3.11 on");
			});
	}

	@Test
	void failsStartupNamingTheKeyWhenStoreEveryIsBelowOne() {
		recordingRunner("hare.listeners.recorded.stream.store-every=0").withBean(Recorder.class, Recorder::new).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.listeners.recorded.stream.store-every")
				.hasStackTraceContaining("must be at least 1");
		});
	}

	static class Recorder {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		final List<Long> offsets = new CopyOnWriteArrayList<>();

		@HareListener(id = "recorded", queue = "${test.stream}", queueType = QueueType.STREAM, streamOffset = "first")
		void onEvent(String payload, @Header("x-stream-offset") long offset) {
			this.payloads.add(payload);
			this.offsets.add(offset);
		}

	}

}
