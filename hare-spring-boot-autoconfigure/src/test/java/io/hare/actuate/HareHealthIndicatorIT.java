package io.hare.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.HareOperations;
import io.hare.test.BrokerFixture;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;

import static io.hare.actuate.HareOperationsTestSupport.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hare} health contributor on a running listener and the real broker.
 */
class HareHealthIndicatorIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("health");

	private final String exchange = this.broker.exchange("health");

	@Test
	void isUpWithEachListenersStateConsumersAndDeadLetterDepth() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange)
			.withPropertyValues("hare.metrics.queue-depth-ttl=0s")
			.run((context) -> {
				this.broker.publishJson(this.exchange, "order.created", orderJson(1, -1));
				await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 1);
				HealthIndicator health = context.getBean("hareHealthIndicator", HealthIndicator.class);
				Health result = health.health(true);
				assertThat(result.getStatus()).isEqualTo(Status.UP);
				assertThat(listenerDetails(result)).containsEntry("state", "running")
					.containsEntry("consumers", 1)
					.containsEntry("deadLetters", 1L);
			});
	}

	@Test
	void staysUpWhenAnOperatorPausedAListener() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange).run((context) -> {
			context.getBean(HareOperations.class).pause("orders");
			Health result = context.getBean("hareHealthIndicator", HealthIndicator.class).health(true);
			assertThat(result.getStatus()).isEqualTo(Status.UP);
			assertThat(listenerDetails(result)).containsEntry("state", "paused");
		});
	}

	@Test
	void isDownWhenAListenerContainerStoppedOnItsOwn() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange).run((context) -> {
			HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
				.getListener("orders")
				.orElseThrow();
			// What a fatal consumer failure does: the container stops itself.
			listener.getContainer().stop();
			Health result = context.getBean("hareHealthIndicator", HealthIndicator.class).health(true);
			assertThat(result.getStatus()).isEqualTo(Status.DOWN);
			assertThat(listenerDetails(result)).containsEntry("state", "stopped");
		});
	}

	@Test
	void isOffWhenDisabledOrWithoutSpringBootHealth() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange)
			.withPropertyValues("management.health.hare.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HareHealthIndicator.class));
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange)
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HareHealthIndicator.class);
			});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> listenerDetails(Health health) {
		Map<String, Object> listeners = (Map<String, Object>) health.getDetails().get("listeners");
		return (Map<String, Object>) listeners.get("orders");
	}

}
