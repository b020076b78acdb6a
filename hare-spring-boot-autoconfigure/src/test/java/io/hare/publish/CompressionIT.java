package io.hare.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Compressed bodies and post-processors against the real broker: a publisher gzips bodies
 * above its threshold, a listener decompresses them before decoding, and a body that cannot be
 * decompressed is dead-lettered at once with its reason.
 */
class CompressionIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("documents");

	private final String raw = this.broker.queue("raw");

	private final ApplicationContextRunner runner = this.broker
		.contextRunner(HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class)
		.withPropertyValues("test.queue=" + this.queue, "hare.publishers.documents.routing-key=" + this.queue,
				"hare.publishers.documents.compress-above=100B",
				"hare.publishers.documents.post-processors=stampSender",
				"hare.listeners.documents.post-processors=stampReader")
		.withUserConfiguration(DocumentsConfiguration.class);

	@Test
	void aLargeBodyIsGzippedByThePublisherAndDecodedByTheListener() {
		this.runner.run((context) -> {
			this.broker.admin().declareQueue(new org.springframework.amqp.core.Queue(this.raw));
			HarePublisher publisher = context.getBean("documents", HarePublisher.class);
			String text = "x".repeat(2000);
			publisher.publish("", this.raw, new Document(text));
			Message sent = this.broker.receive(this.raw, TIMEOUT);
			assertThat(sent.getMessageProperties().getContentEncoding()).startsWith("gzip");
			assertThat(sent.getBody()).as("compressed").hasSizeLessThan(200);
			assertThat(sent.getMessageProperties().getHeaders()).containsEntry("x-sender", "documents");
			this.broker.publish("", this.queue, sent);
			Invocations invocations = context.getBean(Invocations.class);
			await().atMost(TIMEOUT).until(() -> invocations.count() == 1);
			assertThat(invocations.payloads()).containsExactly(new Document(text));
			assertThat(context.getBean(Reader.class).headers).containsEntry("x-reader", "documents");
		});
	}

	@Test
	void aSmallBodyIsSentAsItIs() {
		this.runner.run((context) -> {
			this.broker.admin().declareQueue(new org.springframework.amqp.core.Queue(this.raw));
			context.getBean("documents", HarePublisher.class).publish("", this.raw, new Document("short"));
			Message sent = this.broker.receive(this.raw, TIMEOUT);
			assertThat(sent.getMessageProperties().getContentEncoding()).doesNotStartWith("gzip");
			assertThat(new String(sent.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"short\"}");
		});
	}

	@Test
	void aBodyThatCannotBeDecompressedIsDeadLetteredAtOnceWithItsReason() {
		this.runner.run((context) -> {
			MessageProperties properties = new MessageProperties();
			properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
			properties.setContentEncoding("gzip:UTF-8");
			this.broker.publish("", this.queue,
					new Message("{\"text\":\"not gzip\"}".getBytes(StandardCharsets.UTF_8), properties));
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 1);
			assertThat((String) dead.getMessageProperties().getHeaders().get(HareHeaders.EXCEPTION_MESSAGE))
				.contains("Cannot decompress");
			assertThat(dead.getMessageProperties().getContentEncoding()).as("kept as it arrived")
				.isEqualTo("gzip:UTF-8");
			assertThat(context.getBean(Invocations.class).count()).isZero();
		});
	}

	record Document(String text) {
	}

	@Configuration(proxyBeanMethods = false)
	static class DocumentsConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

		@Bean
		Reader reader(Invocations invocations) {
			return new Reader(invocations);
		}

		@Bean
		MessagePostProcessor stampSender() {
			return (message) -> {
				message.getMessageProperties().setHeader("x-sender", "documents");
				return message;
			};
		}

		@Bean
		MessagePostProcessor stampReader() {
			return (message) -> {
				message.getMessageProperties().setHeader("x-reader", "documents");
				return message;
			};
		}

	}

	static class Reader {

		private final Invocations invocations;

		volatile Map<String, Object> headers;

		Reader(Invocations invocations) {
			this.invocations = invocations;
		}

		@HareListener(id = "documents", queue = "${test.queue}", retryLimit = 1, delay = "100ms")
		void onDocument(Document document, Message message) {
			this.headers = message.getMessageProperties().getHeaders();
			this.invocations.record(document);
		}

	}

}
