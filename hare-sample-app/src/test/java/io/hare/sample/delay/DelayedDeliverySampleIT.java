package io.hare.sample.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hare.sample.SampleBroker;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application against the real broker, with names of its own, and checks
 * that its reminders come when due and its shipments are retried with exponential backoff.
 */
@SpringBootTest(properties = { "sample.delay.interval=500ms", "sample.delay.reminder-delay=1s",
		"sample.streams.enabled=false" })
@ContextConfiguration(initializers = SampleBroker.class)
@DirtiesContext
class DelayedDeliverySampleIT {

	@Autowired
	private ReminderListener reminders;

	@Autowired
	private ShippingListener shipping;

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
