package io.hare.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A catalogue of bad input against the real broker. Each case ends processed or in the
 * dead-letter queue with its reason, is never requeued forever, and leaves the listener
 * consuming the next good message.
 */
class HareBadInputIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("bad-input");

	private final String exchange = this.broker.exchange("bad-input");

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue, "test.exchange=" + this.exchange)
		.withUserConfiguration(PaymentConfiguration.class);

	@Test
	void deadLettersMalformedJson() {
		assertDeadLetteredAndStillConsuming(json("{\"id\": 1,"), MessageConversionException.class);
	}

	@Test
	void deadLettersJsonOfTheWrongShape() {
		assertDeadLetteredAndStillConsuming(json("{\"id\": \"not a number\"}"), MessageConversionException.class);
	}

	@Test
	void deadLettersAJsonArrayForARecordParameter() {
		assertDeadLetteredAndStillConsuming(json("[1, 2, 3]"), MessageConversionException.class);
	}

	@Test
	void deadLettersAnEmptyBody() {
		assertDeadLetteredAndStillConsuming(json(""), MessageConversionException.class);
	}

	@Test
	void deadLettersJsonNull() {
		assertDeadLetteredAndStillConsuming(json("null"), MessageConversionException.class);
	}

	@Test
	void deadLettersANonJsonContentTypeForARecordParameter() {
		Message message = json("{\"id\": 1, \"kind\": \"ok\"}");
		message.getMessageProperties().setContentType("text/plain");
		assertDeadLetteredAndStillConsuming(message, MessageConversionException.class);
	}

	@Test
	void deadLettersAnUnknownContentEncoding() {
		Message message = json("{\"id\": 1, \"kind\": \"ok\"}");
		message.getMessageProperties().setContentEncoding("br");
		assertDeadLetteredAndStillConsuming(message, MessageConversionException.class);
	}

	@Test
	void processesATenMegabyteBody() {
		String padding = "x".repeat(10 * 1024 * 1024);
		this.runner.run((context) -> {
			publish(json("{\"id\": 41, \"kind\": \"ok\", \"note\": \"" + padding + "\"}"));
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.payloads()
				.stream()
				.map(Payment.class::cast)
				.anyMatch((payment) -> payment.id() == 41 && payment.note().length() == padding.length()));
			assertStillConsuming(context);
		});
	}

	@Test
	void deadLettersAtOnceAHugeAttemptHeader() {
		Message message = json("{\"id\": 1, \"kind\": \"fail\"}");
		message.getMessageProperties().setHeader(HareHeaders.ATTEMPT, Long.MAX_VALUE);
		this.runner.run((context) -> {
			publish(message);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, Integer.MAX_VALUE);
			assertThat(context.getBean(Invocations.class).count()).isEqualTo(1);
			assertStillConsuming(context);
		});
	}

	@Test
	void countsAFloatAttemptHeaderAsZero() {
		Message message = json("{\"id\": 1, \"kind\": \"fail\"}");
		message.getMessageProperties().setHeader(HareHeaders.ATTEMPT, 0.5d);
		this.runner.run((context) -> {
			publish(message);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).as("one retry, then dead")
				.containsEntry(HareHeaders.ATTEMPT, 2);
			assertStillConsuming(context);
		});
	}

	@Test
	void processesAMessageWithNoPropertiesAtAll() {
		this.runner.run((context) -> {
			this.broker.publishWithoutProperties(this.exchange, "payment",
					"{\"id\": 51, \"kind\": \"ok\"}".getBytes(StandardCharsets.UTF_8));
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.payloads().contains(new Payment(51, "ok", null)));
		});
	}

	@Test
	void ignoresATypeIdHeaderNamingAnotherClass() {
		Message message = json("{\"id\": 61, \"kind\": \"ok\"}");
		message.getMessageProperties().setHeader("__TypeId__", "java.lang.ProcessBuilder");
		this.runner.run((context) -> {
			publish(message);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.payloads().contains(new Payment(61, "ok", null)));
		});
	}

	@Test
	void retriesThenDeadLettersAHandlerThatThrowsAnError() {
		assertDeadLetteredAndStillConsuming(json("{\"id\": 71, \"kind\": \"overflow\"}"), StackOverflowError.class);
	}

	@Test
	void processesAMessagePublishedStraightToTheDelayQueue() {
		this.runner.run((context) -> {
			this.broker.publish("", this.queue + ".delay", json("{\"id\": 81, \"kind\": \"ok\"}"));
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.payloads().contains(new Payment(81, "ok", null)));
		});
	}

	@Test
	void declaresTheQueueAgainWhenItIsDeletedWhileRunning() {
		this.runner.run((context) -> {
			assertStillConsuming(context);
			this.broker.admin().deleteQueue(this.queue);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.broker.depth(this.queue) >= 0);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				publish(json("{\"id\": 91, \"kind\": \"ok\"}"));
				assertThat(invocations.payloads()).contains(new Payment(91, "ok", null));
			});
		});
	}

	@Test
	void requeuesAMessageWhoseHandlerOutlivesTheShutdownTimeout() {
		CountDownLatch release = new CountDownLatch(1);
		this.runner.withBean(CountDownLatch.class, () -> release).run((context) -> {
			publish(json("{\"id\": 101, \"kind\": \"block\"}"));
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			context.close();
		});
		try {
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 1);
			Message requeued = this.broker.receive(this.queue, TIMEOUT);
			assertThat(new String(requeued.getBody(), StandardCharsets.UTF_8)).contains("\"id\": 101");
		}
		finally {
			release.countDown();
		}
	}

	private void assertDeadLetteredAndStillConsuming(Message message, Class<? extends Throwable> reason) {
		this.runner.run((context) -> {
			publish(message);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).as("dead letter").isNotNull();
			assertThat(dead.getBody()).isEqualTo(message.getBody());
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.EXCEPTION, reason.getName())
				.containsKey(HareHeaders.EXCEPTION_MESSAGE);
			assertStillConsuming(context);
		});
	}

	private void assertStillConsuming(AssertableApplicationContext context) {
		publish(json("{\"id\": 1000, \"kind\": \"ok\"}"));
		Invocations invocations = context.getBean(Invocations.class);
		await().atMost(TIMEOUT).until(() -> invocations.payloads().contains(new Payment(1000, "ok", null)));
		assertThat(this.broker.depth(this.queue)).isZero();
	}

	private void publish(Message message) {
		this.broker.publish(this.exchange, "payment", message);
	}

	private static Message json(String body) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

	/**
	 * What the handler does depends on {@code kind}: {@code ok} succeeds, {@code fail} throws,
	 * {@code overflow} throws a {@link StackOverflowError}, {@code block} waits for the test.
	 */
	record Payment(long id, String kind, String note) {
	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

		@Bean
		PaymentListener paymentListener(Invocations invocations,
				ObjectProvider<CountDownLatch> release) {
			return new PaymentListener(invocations, release.getIfAvailable(() -> new CountDownLatch(0)));
		}

	}

	static class PaymentListener {

		private final Invocations invocations;

		private final CountDownLatch release;

		PaymentListener(Invocations invocations, CountDownLatch release) {
			this.invocations = invocations;
			this.release = release;
		}

		@HareListener(id = "payments", queue = "${test.queue}", exchange = "${test.exchange}", routingKey = "payment",
				retryLimit = 1, delay = "100ms")
		void onPayment(Payment payment) throws InterruptedException {
			this.invocations.record(payment);
			switch (payment.kind()) {
				case "fail" -> throw new IllegalStateException("payment " + payment.id() + " failed");
				case "overflow" -> throw new StackOverflowError("payment " + payment.id() + " recursed");
				case "block" -> this.release.await(60, TimeUnit.SECONDS);
				default -> {
				}
			}
		}

	}

}
