package io.hare.publish;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A publisher that sends to a stream over the stream protocol, against the real broker: each
 * message is confirmed, arrives once and in order with its id and headers, and Hare's
 * deduplication applies as for an exchange.
 */
class HareStreamPublisherIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String stream = this.broker.queue("published");

	private ApplicationContextRunner runner() {
		return this.broker.contextRunner(HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class)
			.withPropertyValues("hare.publishers.events.stream=" + this.stream, "test.stream=" + this.stream);
	}

	@Test
	void everyMessageIsConfirmedAndReadOnceInOrderWithItsIdAndHeaders() {
		runner().withBean(Reader.class, Reader::new).run((context) -> {
			Reader reader = context.getBean(Reader.class);
			HarePublisher events = context.getBean("events", HarePublisher.class);
			List<CompletableFuture<PublishResult>> results = IntStream.range(0, 200)
				.mapToObj((n) -> events.publishAsync(PublishRequest.of("e" + n).header("x-n", n)))
				.toList();
			List<PublishResult> published = results.stream().map(CompletableFuture::join).toList();
			assertThat(published).allSatisfy((result) -> {
				assertThat(result.status()).isEqualTo(PublishResult.Status.PUBLISHED);
				assertThat(result.routingKey()).isEqualTo(this.stream);
			});
			await().atMost(TIMEOUT).during(Duration.ofMillis(500)).until(() -> reader.payloads.size() == 200);
			assertThat(reader.payloads).containsExactlyElementsOf(IntStream.range(0, 200).mapToObj((n) -> "e" + n)
				.toList());
			assertThat(reader.numbers).containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
			assertThat(reader.messageIds).containsExactlyElementsOf(published.stream().map(PublishResult::messageId)
				.toList());
		});
	}

	@Test
	void aDuplicateIsNotSent() {
		runner().withPropertyValues("hare.publishers.events.dedup.ttl=10m")
			.withBean(Reader.class, Reader::new)
			.run((context) -> {
				HarePublisher events = context.getBean("events", HarePublisher.class);
				assertThat(events.publish("once").status()).isEqualTo(PublishResult.Status.PUBLISHED);
				assertThat(events.publish("once").status()).isEqualTo(PublishResult.Status.DUPLICATE);
				Reader reader = context.getBean(Reader.class);
				await().atMost(TIMEOUT).during(Duration.ofMillis(500)).until(() -> reader.payloads.size() == 1);
			});
	}

	@Test
	void aMissingStreamFailsThePublishNamingIt() {
		runner().run((context) -> {
			HarePublisher events = context.getBean("events", HarePublisher.class);
			assertThatExceptionOfType(HarePublishException.class).isThrownBy(() -> events.publish("lost"))
				.withMessageContaining(this.stream);
		});
	}

	@Test
	void failsStartupNamingTheKeyWithoutTheStreamClient() {
		runner().withClassLoader(new FilteredClassLoader("com.rabbitmq.stream")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("hare.publishers.events.stream")
				.hasStackTraceContaining("com.rabbitmq:stream-client");
		});
	}

	@Test
	void aStreamDeclaredOutsideHareWorksToo() {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.stream).stream().build());
		runner().run((context) -> {
			HarePublisher events = context.getBean("events", HarePublisher.class);
			assertThat(events.publish("declared elsewhere").status()).isEqualTo(PublishResult.Status.PUBLISHED);
		});
	}

	static class Reader {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		final List<Integer> numbers = new CopyOnWriteArrayList<>();

		final List<String> messageIds = new CopyOnWriteArrayList<>();

		@HareListener(id = "reader", queue = "${test.stream}", queueType = QueueType.STREAM, streamOffset = "first")
		void onEvent(String payload, MessageProperties properties, @Header(name = "x-n", required = false) Integer n) {
			this.payloads.add(payload);
			if (n != null) {
				this.numbers.add(n);
			}
			this.messageIds.add(properties.getMessageId());
		}

	}

}
