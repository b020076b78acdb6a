package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.retry.HareHeaders;
import io.hare.retry.HareRetryPolicy;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Message;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Immediate retries against the real broker: the handler is called again in place before a
 * message takes the delayed path, and a {@link HareRetryPolicy} bean has the final word.
 */
class ImmediateRetryIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("billing");

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue, "hare.listeners.billing.retry.delay=200ms")
		.withUserConfiguration(BillingConfiguration.class);

	@Test
	void aTransientFailureIsRetriedInPlaceWithoutATripThroughTheDelayQueue() {
		this.runner.withPropertyValues("hare.listeners.billing.retry.immediate=2").run((context) -> {
			Billing billing = context.getBean(Billing.class);
			billing.failures.set(2);
			this.broker.publishJson("", this.queue, "\"invoice 1\"");
			await().atMost(TIMEOUT).until(() -> billing.outcomes.contains(HandlingOutcome.SUCCESS));
			assertThat(billing.calls.get()).isEqualTo(3);
			assertThat(billing.outcomes).containsExactly(HandlingOutcome.RETRIED_IMMEDIATELY,
					HandlingOutcome.RETRIED_IMMEDIATELY, HandlingOutcome.SUCCESS);
			assertThat(billing.attempts).as("the same delivery each time, no retry copy").containsOnly(1);
		});
	}

	@Test
	void immediateRetriesComeBeforeEachDelayedOneAndAreCountedOnTheDeadLetter() {
		this.runner.withPropertyValues("hare.listeners.billing.retry.immediate=2",
				"hare.listeners.billing.retry.limit=1", "hare.listeners.billing.retry.immediate-delay=10ms")
			.run((context) -> {
				Billing billing = context.getBean(Billing.class);
				billing.failures.set(Integer.MAX_VALUE);
				this.broker.publishJson("", this.queue, "\"invoice 2\"");
				Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
				assertThat(dead).isNotNull();
				assertThat(billing.calls.get()).as("(1 + 2 immediate) x (1 + 1 delayed)").isEqualTo(6);
				assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 2)
					.containsEntry(HareHeaders.IMMEDIATE_RETRIES, 2);
			});
	}

	@Test
	void aRetryPolicyBeanDeadLettersWhatTheSettingsWouldRetry() {
		this.runner.withPropertyValues("hare.listeners.billing.retry.immediate=2")
			.withBean(HareRetryPolicy.class,
					() -> (listenerId, failure, retryable) -> retryable && !failure.getMessage().contains("fraud"))
			.run((context) -> {
				Billing billing = context.getBean(Billing.class);
				billing.failures.set(Integer.MAX_VALUE);
				billing.message = "fraud suspected";
				this.broker.publishJson("", this.queue, "\"invoice 3\"");
				Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
				assertThat(dead).isNotNull();
				assertThat(billing.calls.get()).as("no retry of any kind").isOne();
				assertThat(dead.getMessageProperties().getHeaders()).containsEntry(HareHeaders.ATTEMPT, 1)
					.doesNotContainKey(HareHeaders.IMMEDIATE_RETRIES);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class BillingConfiguration {

		@Bean
		Billing billing() {
			return new Billing();
		}

		@Bean
		HareListenerObserver outcomes(Billing billing) {
			return new HareListenerObserver() {

				@Override
				public void messageHandled(HandledMessage message) {
					billing.outcomes.add(message.outcome());
				}

			};
		}

	}

	static class Billing {

		final AtomicInteger failures = new AtomicInteger();

		final AtomicInteger calls = new AtomicInteger();

		final List<HandlingOutcome> outcomes = new CopyOnWriteArrayList<>();

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		volatile String message = "billing service unavailable";

		@HareListener(id = "billing", queue = "${test.queue}")
		void onInvoice(String invoice, Message message) {
			this.calls.incrementAndGet();
			this.attempts.add(HareHeaders.failedAttempts(message.getMessageProperties()) + 1);
			if (this.failures.getAndDecrement() > 0) {
				throw new IllegalStateException(this.message);
			}
		}

	}

}
