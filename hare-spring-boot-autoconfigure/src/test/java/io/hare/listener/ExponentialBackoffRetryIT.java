package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.delay.DelayHeaders;
import io.hare.retry.HareHeaders;
import io.hare.retry.RetryBackoff;
import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;

import org.springframework.amqp.core.Message;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries with exponential backoff against the real broker: each waits its own computed delay
 * in Hare's delay levels, with no delay queue of the listener's own, until the retry limit
 * dead-letters the message.
 */
class ExponentialBackoffRetryIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("payments");

	private final String levels = this.broker.trackDelayLevels(BrokerFixture.uniqueName("delay"));

	private final ApplicationContextRunner runner = this.broker.contextRunner(HareDelayAutoConfiguration.class)
		.withPropertyValues("test.queue=" + this.queue, "hare.delay.prefix=" + this.levels)
		.withUserConfiguration(PaymentConfiguration.class);

	@Test
	void retriesAtExponentiallyGrowingDelaysThenDeadLetters() {
		this.runner.run((context) -> {
			this.broker.publishJson("", this.queue, "\"pay 1\"");
			Message dead = this.broker.receive(this.queue + ".dead", TIMEOUT);
			assertThat(dead).as("dead-lettered after the retry limit").isNotNull();
			Invocations invocations = context.getBean(Invocations.class);
			assertThat(invocations.count()).as("the first attempt and three retries").isEqualTo(4);
			// initial 1s, multiplier 2, max 3s: 1s, 2s, then 4s capped to 3s.
			List<Duration> expected = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
			List<Duration> gaps = invocations.gaps();
			for (int i = 0; i < expected.size(); i++) {
				assertThat(gaps.get(i)).as("gap before retry %d", i + 1)
					.isBetween(expected.get(i), expected.get(i).plusMillis(900));
			}
			Map<String, Object> headers = dead.getMessageProperties().getHeaders();
			assertThat(headers).containsEntry(HareHeaders.ATTEMPT, 4)
				.containsEntry(HareHeaders.LISTENER, "payments")
				.containsEntry(HareHeaders.EXCEPTION, IllegalStateException.class.getName())
				.containsEntry(DelayHeaders.DELAY, "PT3S")
				.containsEntry(DelayHeaders.ROUTING_KEY, this.queue);
			assertThat(new String(dead.getBody())).isEqualTo("\"pay 1\"");
			assertThat(this.broker.depth(this.queue + ".delay")).as("no delay queue of its own").isEqualTo(-1);
			assertThat(this.broker.depth(this.queue)).isZero();
		});
	}

	@Test
	void takesTheBackoffFromProperties() {
		this.runner.withPropertyValues("hare.listeners.payments.retry.limit=1",
				"hare.listeners.payments.retry.backoff.initial=2s", "hare.listeners.payments.retry.backoff.jitter=0.2")
			.run((context) -> {
				ListenerSettings settings = context.getBean(HareListenerRegistry.class)
					.getListener("payments")
					.orElseThrow()
					.getSettings();
				assertThat(settings.retryPolicy().isExponential()).isTrue();
				assertThat(settings.retryPolicy().backoff()).isNotNull()
					.satisfies((backoff) -> assertThat(backoff.initial()).isEqualTo(Duration.ofSeconds(2)))
					.satisfies((backoff) -> assertThat(backoff.jitter()).isEqualTo(0.2));
				this.broker.publishJson("", this.queue, "\"pay 2\"");
				assertThat(this.broker.receive(this.queue + ".dead", TIMEOUT)).isNotNull();
				Invocations invocations = context.getBean(Invocations.class);
				assertThat(invocations.count()).isEqualTo(2);
				// 2s with 20% jitter: 1.6s to 2.4s, rounded up to whole seconds: 2s or 3s.
				assertThat(invocations.gaps().get(0)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(3900));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

		@Bean
		PaymentListener paymentListener(Invocations invocations) {
			return new PaymentListener(invocations);
		}

	}

	static class PaymentListener {

		private final Invocations invocations;

		PaymentListener(Invocations invocations) {
			this.invocations = invocations;
		}

		@HareListener(id = "payments", queue = "${test.queue}", retryLimit = 3, backoff = RetryBackoff.EXPONENTIAL,
				backoffInitial = "1s", backoffMultiplier = "2", backoffMax = "3s")
		void onPayment(String payment) {
			this.invocations.record(payment);
			throw new IllegalStateException("declined: " + payment);
		}

	}

}
