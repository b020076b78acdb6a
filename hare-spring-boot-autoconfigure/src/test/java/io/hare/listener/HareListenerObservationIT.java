package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.test.ObservedNames;

import org.springframework.amqp.core.Message;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace context through retries: the headers a retry copy carries, and the Micrometer
 * Observations around consuming and republishing when they are on.
 */
class HareListenerObservationIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("traced");

	private ApplicationContextRunner runner() {
		return this.broker.contextRunner()
			.withPropertyValues("test.queue=" + this.queue)
			.withUserConfiguration(TracedConfiguration.class);
	}

	@Test
	void traceContextHeaderSurvivesTheDelayQueueIntoTheRetryAndTheDeadLetter() {
		runner().run((context) -> {
			this.broker.publishJson("", this.queue, "fail", Map.of("traceparent", TRACEPARENT, "b3", "x-b3"));
			TracedListener listener = context.getBean(TracedListener.class);
			await().atMost(TIMEOUT).until(() -> listener.messages.size() == 2);
			assertThat(listener.messages).allSatisfy((message) -> assertThat(message.getMessageProperties()
				.getHeaders()).containsEntry("traceparent", TRACEPARENT).containsEntry("b3", "x-b3"));
			assertThat(listener.attemptsSeen).containsExactly(0, 1);
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).isNotNull();
			assertThat(dead.getMessageProperties().getHeaders()).containsEntry("traceparent", TRACEPARENT);
		});
	}

	@Test
	void observesEveryDeliveryAndEveryRetryCopyWhenObservationIsEnabled() {
		runner().withPropertyValues("hare.observation.enabled=true")
			.withUserConfiguration(ObservationConfiguration.class)
			.run((context) -> {
				this.broker.publishJson("", this.queue, "fail", Map.of("traceparent", TRACEPARENT));
				TracedListener listener = context.getBean(TracedListener.class);
				await().atMost(TIMEOUT).until(() -> listener.messages.size() == 2);
				ObservedNames handler = context.getBean(ObservedNames.class);
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(handler.names).filteredOn("spring.rabbit.listener"::equals)
						.hasSize(2));
				// The retry copy and the dead-letter copy are published inside the failed delivery's observation.
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(handler.names).filteredOn("spring.rabbit.template"::equals)
						.hasSize(2));
			});
	}

	@Test
	void doesNotObserveByDefault() {
		runner().withUserConfiguration(ObservationConfiguration.class).run((context) -> {
			this.broker.publishJson("", this.queue, "ok");
			TracedListener listener = context.getBean(TracedListener.class);
			await().atMost(TIMEOUT).until(() -> listener.messages.size() == 1);
			assertThat(context.getBean(ObservedNames.class).names).isEmpty();
		});
	}

	static class TracedListener {

		final List<Message> messages = new CopyOnWriteArrayList<>();

		final List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();

		@HareListener(id = "traced", queue = "${test.queue}", retryLimit = 1, delay = "100ms")
		void on(String payload, Message message) {
			this.attemptsSeen.add(HareHeaders.failedAttempts(message.getMessageProperties()));
			this.messages.add(message);
			if (payload.equals("fail")) {
				throw new IllegalStateException("boom");
			}
		}

	}


	@Configuration(proxyBeanMethods = false)
	static class TracedConfiguration {

		@Bean
		TracedListener tracedListener() {
			return new TracedListener();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ObservationConfiguration {

		@Bean
		ObservedNames recordingHandler() {
			return new ObservedNames();
		}

		@Bean
		ObservationRegistry observationRegistry(ObservedNames handler) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(handler);
			return registry;
		}

	}

}
