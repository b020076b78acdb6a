package io.hare.sample.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hare.test.BrokerFixture;
import io.hare.test.RabbitBroker;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application against the real broker, with names of its own, and checks
 * that its reminders come when due and its shipments are retried with exponential backoff.
 */
@SpringBootTest(properties = { "sample.delay.interval=500ms", "sample.delay.reminder-delay=1s",
		"sample.streams.enabled=false" })
@DirtiesContext
class DelayedDeliverySampleTests {

	private static final BrokerFixture broker = new BrokerFixture();

	private static final String prefix = BrokerFixture.uniqueName("sample-delay");

	@Autowired
	private ReminderListener reminders;

	@Autowired
	private ShippingListener shipping;

	@DynamicPropertySource
	static void brokerProperties(DynamicPropertyRegistry registry) {
		RabbitBroker rabbit = RabbitBroker.get();
		registry.add("spring.rabbitmq.host", rabbit::host);
		registry.add("spring.rabbitmq.port", rabbit::port);
		registry.add("spring.rabbitmq.username", rabbit::username);
		registry.add("spring.rabbitmq.password", rabbit::password);
		registry.add("spring.rabbitmq.virtual-host", rabbit::virtualHost);
		registry.add("sample.prefix", () -> prefix);
		for (String queue : List.of("orders", "payments", "receipts", "reminders", "shipping")) {
			broker.track(prefix + "." + queue);
		}
		broker.trackExchange(prefix + ".shop");
		broker.trackDelayLevels(prefix + ".delay");
	}

	/**
	 * Deletes the topology when the context closes, after its containers and scheduled
	 * traffic stopped: a running container declares its queues again when they are deleted.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class DeleteTopologyOnClose {

		@Bean
		DisposableBean deleteTopology() {
			return broker::close;
		}

	}

	@Test
	void remindersComeWhenDue() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.reminders.lateness().size() >= 3);
		assertThat(this.reminders.lateness())
			.allSatisfy((late) -> assertThat(late).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
	}

	@Test
	void shipmentsAreRetriedWithExponentialBackoff() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.shipping.attempts().values().stream().anyMatch((times) -> times.size() >= 3));
		List<Instant> times = this.shipping.attempts()
			.values()
			.stream()
			.filter((attempts) -> attempts.size() >= 3)
			.findFirst()
			.orElseThrow();
		// 1s then 2s, each ±10% and rounded up to whole seconds.
		assertThat(Duration.between(times.get(0), times.get(1))).isBetween(Duration.ofSeconds(1),
				Duration.ofMillis(2900));
		assertThat(Duration.between(times.get(1), times.get(2))).isBetween(Duration.ofMillis(1800),
				Duration.ofMillis(3900));
	}

}
