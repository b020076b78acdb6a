package io.hare.actuate;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.operations.HareOperations;
import io.hare.test.BrokerFixture;

import org.springframework.boot.test.context.FilteredClassLoader;

import static io.hare.actuate.HareOperationsTestSupport.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link HareMetrics} after real traffic on the real broker.
 */
class HareMetricsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("metrics");

	private final String exchange = this.broker.exchange("metrics");

	private void publishOrder(int id, int failures) {
		this.broker.publishJson(this.exchange, "order.created", orderJson(id, failures));
	}

	@Test
	void countsConsumedMessagesByOutcomeRetriesByAttemptAndTimesTheHandler() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			publishOrder(1, 0);
			publishOrder(2, 1);
			publishOrder(3, -1);
			this.broker.publishJson(this.exchange, "order.created", "{not json");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(count(registry, "success")).isEqualTo(2));
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 2);
			assertThat(count(registry, "retried")).isEqualTo(1);
			assertThat(registry.get("hare.messages.consumed")
				.tags("listener", "orders", "outcome", "dead-lettered", "exception",
						IllegalArgumentException.class.getName())
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("hare.messages.consumed")
				.tags("outcome", "decode-failed")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("hare.messages.consumed").tags("outcome", "success").counter().getId().getTag(
					"exception")).isEqualTo("none");
			assertThat(registry.get("hare.retries").tags("listener", "orders", "attempt", "1").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("hare.handler.duration").tags("outcome", "success").timer().count()).isEqualTo(2);
			assertThat(registry.get("hare.handler.duration").tags("queue", this.queue).timers()).isNotEmpty();
		});
	}

	@Test
	void gaugesQueueDepthsAndConsumers() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange)
			.withPropertyValues("hare.metrics.queue-depth-ttl=0s")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				publishOrder(4, -1);
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(registry.get("hare.dead-letter.depth")
						.tags("listener", "orders", "queue", this.queue + ".dead")
						.gauge()
						.value()).isEqualTo(1));
				assertThat(registry.get("hare.queue.depth").tags("queue", this.queue).gauge().value()).isZero();
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(
							registry.get("hare.consumers.active").tags("listener", "orders").gauge().value())
						.isEqualTo(1));
				assertThat(registry.get("hare.consumers.desired").tags("listener", "orders").gauge().value())
					.isEqualTo(1);
				context.getBean(HareOperations.class).scale("orders", 2);
				assertThat(registry.get("hare.consumers.desired").tags("listener", "orders").gauge().value())
					.isEqualTo(2);
				assertThat(registry.get("hare.operations").tags("listener", "orders", "operation", "scale")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void boundsTheExceptionTagPerListener() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange).run((context) -> {
			HareMetrics metrics = context.getBean(HareMetrics.class);
			List<String> tags = IntStream.range(0, HareMetrics.MAX_EXCEPTION_TAGS + 5)
				.mapToObj((i) -> metrics.boundedExceptionTag("bounded", "com.example.Failure" + i + "Exception"))
				.toList();
			assertThat(tags.subList(0, HareMetrics.MAX_EXCEPTION_TAGS)).doesNotHaveDuplicates()
				.doesNotContain(HareMetrics.OTHER_EXCEPTION);
			assertThat(tags.subList(HareMetrics.MAX_EXCEPTION_TAGS, tags.size()))
				.containsOnly(HareMetrics.OTHER_EXCEPTION);
			assertThat(metrics.boundedExceptionTag("bounded", "com.example.Failure0Exception"))
				.isEqualTo("com.example.Failure0Exception");
			assertThat(metrics.boundedExceptionTag("another", "com.example.Failure99Exception"))
				.isEqualTo("com.example.Failure99Exception");
		});
	}

	@Test
	void isOffWithoutMicrometer() {
		HareOperationsTestSupport.runner(this.broker, this.queue, this.exchange)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HareMetrics.class);
				assertThat(context).hasSingleBean(HareEndpoint.class);
			});
	}

	private static double count(MeterRegistry registry, String outcome) {
		return registry.find("hare.messages.consumed").tags("listener", "orders", "outcome", outcome).counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
