package io.hare.retry;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retry and dead-letter copies Hare's republishers send, against the real broker: they
 * carry a stack trace the broker accepts whatever the failure, they leave the message the
 * handler received as it was, and each costs one log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class HareRepublisherIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * RabbitMQ's default {@code frame_max}, which the test broker keeps.
	 */
	private static final int FRAME_MAX = 131_072;

	private static final String SECRET = "Tr0ub4dor-s3cret-42";

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("copies");

	private final String levels = this.broker.trackDelayLevels(BrokerFixture.uniqueName("delay"));

	private final ApplicationContextRunner runner = this.broker.contextRunner(HareDelayAutoConfiguration.class)
		.withPropertyValues("test.queue=" + this.queue, "hare.delay.prefix=" + this.levels);

	private ApplicationContextRunner runner(String listener) {
		return this.runner.withUserConfiguration(
				listener.equals("exponential") ? ExponentialListener.class : FixedDelayListener.class);
	}

	@Test
	void retryAndDeadLetterCopiesCarryTheStackTraceOfTheFailure() {
		runner("fixed").run((context) -> {
			this.broker.publishJson("", this.queue, "\"order 1\"");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).as("dead-lettered after the retry limit").isNotNull();
			assertThat(text(dead.getMessageProperties().getHeaders().get(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE)))
				.startsWith(IllegalStateException.class.getName() + ": declined \"order 1\"")
				.contains(FailingListener.class.getName());
			List<Message> received = context.getBean(FailingListener.class).received;
			assertThat(received).hasSize(3);
			assertThat(text(received.get(1).getMessageProperties().getHeaders().get(
					RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE)))
				.as("the retry copy")
				.startsWith(IllegalStateException.class.getName() + ": declined \"order 1\"");
		});
	}

	@Test
	void boundsTheStackTraceSoThatAHugeMultiByteFailureIsStillDeadLettered() {
		runner("fixed").run((context) -> {
			// 50,000 three-byte characters: the message alone is more than a frame can hold.
			this.broker.publishJson("", this.queue, "\"huge\"");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).as("dead-lettered rather than refused and requeued").isNotNull();
			Map<String, Object> headers = dead.getMessageProperties().getHeaders();
			byte[] stackTrace = bytes(headers.get(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE));
			assertThat(new String(stackTrace, StandardCharsets.UTF_8))
				.startsWith(IllegalArgumentException.class.getName() + ": €€€");
			assertThat(stackTrace.length + bytes(headers.get(RepublishMessageRecoverer.X_EXCEPTION_MESSAGE)).length
					+ bytes(headers.get(HareHeaders.EXCEPTION_MESSAGE)).length)
				.isLessThan(FRAME_MAX);
			assertThat(context.getBean(FailingListener.class).received).as("handled once, never requeued")
				.hasSize(1);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "fixed", "exponential" })
	void leavesTheMessageTheHandlerReceivedAsItWasOnceTheRetryCopyIsSent(String listener) {
		runner(listener).run((context) -> {
			this.broker.publishJson("", this.queue, "\"order 2\"", Map.of("tenant", "acme"));
			FailingListener failing = context.getBean(FailingListener.class);
			// The retry arrives only after its copy was confirmed and the original acked.
			await().atMost(TIMEOUT).until(() -> failing.received.size() >= 2);
			Message first = failing.received.get(0);
			assertThat(first.getMessageProperties().getHeaders()).isEqualTo(failing.headersOnArrival.get(0))
				.containsEntry("tenant", "acme")
				.doesNotContainKeys(HareHeaders.ATTEMPT, HareHeaders.EXCEPTION,
						RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);
			assertThat(failing.received.get(1).getMessageProperties().getHeaders())
				.containsEntry(HareHeaders.ATTEMPT, 1)
				.containsEntry("tenant", "acme");
		});
	}

	@Test
	void logsOneInfoLinePerRetryAndOneWarnLinePerDeadLetterAndNothingElse(CapturedOutput output) {
		runner("fixed").run((context) -> {
			await().atMost(TIMEOUT).until(() -> consumers() > 0);
			int start = output.getOut().length();
			// The failure names a URI with a password, which neither the logs nor the copies show.
			this.broker.publishJson("", this.queue, "\"order 3 from amqp://shop:" + SECRET + "@db\"");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(text(dead.getMessageProperties().getHeaders().get(RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE)))
				.contains("amqp://shop:****@db")
				.doesNotContain(SECRET);
			assertThat(dead.getMessageProperties().getHeaders()).allSatisfy(
					(name, value) -> assertThat(String.valueOf(value)).doesNotContain(SECRET));
			// The dead letter can arrive before the line that reports it is written.
			await().atMost(TIMEOUT).until(() -> logLines(output, start).size() >= 3);
			List<String> lines = logLines(output, start);
			assertThat(lines).hasSize(3);
			assertThat(lines.subList(0, 2)).allSatisfy((line) -> assertThat(line).contains(" INFO ")
				.contains(RetryRouter.class.getName())
				.contains("'copies'")
				.contains("'" + this.queue + "'")
				.contains("declined"));
			assertThat(lines.get(2)).contains(" WARN ")
				.contains(RetryRouter.class.getName())
				.contains("'copies'")
				.contains("'" + this.queue + "'")
				.contains(this.queue + ".dead")
				.contains("declined");
			assertThat(lines).noneMatch((line) -> line.contains(SECRET));
		});
	}

	private int consumers() {
		Object count = this.broker.admin().getQueueProperties(this.queue).get("QUEUE_CONSUMER_COUNT");
		return ((Number) count).intValue();
	}

	/**
	 * Return a header's text: Spring AMQP hands a string longer than 1 KiB over as a stream.
	 */
	private static String text(Object header) {
		return new String(bytes(header), StandardCharsets.UTF_8);
	}

	private static byte[] bytes(Object header) {
		if (header instanceof DataInputStream stream) {
			try {
				stream.reset();
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		assertThat(header).isNotNull();
		return header.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Fails every message; {@code "huge"} with a non-retryable exception whose message is
	 * larger than a frame.
	 */
	abstract static class FailingListener {

		final List<Message> received = new CopyOnWriteArrayList<>();

		final List<Map<String, Object>> headersOnArrival = new CopyOnWriteArrayList<>();

		void fail(Message message) {
			this.headersOnArrival.add(new HashMap<>(message.getMessageProperties().getHeaders()));
			this.received.add(message);
			String body = new String(message.getBody(), StandardCharsets.UTF_8);
			if (body.equals("\"huge\"")) {
				throw new IllegalArgumentException("€".repeat(50_000));
			}
			throw new IllegalStateException("declined " + body);
		}

	}

	static class FixedDelayListener extends FailingListener {

		@HareListener(id = "copies", queue = "${test.queue}", retryLimit = 2, delay = "100ms",
				nonRetryable = IllegalArgumentException.class)
		void onMessage(Message message) {
			fail(message);
		}

	}

	static class ExponentialListener extends FailingListener {

		@HareListener(id = "copies", queue = "${test.queue}", retryLimit = 1, backoff = RetryBackoff.EXPONENTIAL,
				backoffInitial = "1s")
		void onMessage(Message message) {
			fail(message);
		}

	}

	private static List<String> logLines(CapturedOutput output, int start) {
		return output.getOut().substring(start).lines().filter((line) -> line.matches(".* (INFO|WARN|ERROR) .*")).toList();
	}

}
