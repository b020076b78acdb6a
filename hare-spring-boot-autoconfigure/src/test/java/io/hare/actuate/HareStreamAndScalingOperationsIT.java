package io.hare.actuate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.actuate.HareEndpoint.ListenerDescriptor;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.actuate.HareEndpointAutoConfiguration;
import io.hare.autoconfigure.actuate.HareMetricsAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.test.BrokerFixture;
import io.hare.topology.QueueType;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint and the metrics for an auto-scaled listener and a stream listener, on the real
 * broker.
 */
class HareStreamAndScalingOperationsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("scaled");

	private final String stream = this.broker.queue("stream");

	private ApplicationContextRunner runner() {
		return this.broker.contextRunner(HareOperationsAutoConfiguration.class, EndpointAutoConfiguration.class, HareEndpointAutoConfiguration.class, HareMetricsAutoConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=hare", "test.queue=" + this.queue,
					"test.stream=" + this.stream, "hare.listeners.scaled.auto-scaling.min-consumers=1",
					"hare.listeners.scaled.auto-scaling.max-consumers=3")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Listeners.class, Listeners::new);
	}

	@Test
	void showsTheAutoScalersBoundsAndRefusesToScaleAnAutoScaledListenerByHand() {
		runner().run((context) -> {
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			ListenerDescriptor scaled = endpoint.listener("scaled");
			assertThat(scaled.consumers().autoScaled()).isTrue();
			assertThat(scaled.consumers().min()).isEqualTo(1);
			assertThat(scaled.consumers().max()).isEqualTo(3);
			assertThat(scaled.consumers().desired()).isBetween(1, 3);
			ListenerDescriptor stream = endpoint.listener("stream");
			assertThat(stream.consumers().autoScaled()).isFalse();
			assertThat(stream.consumers().min()).isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("scaled", "scale", 2, null, null, null, null, null))
				.withMessageContaining("auto-scaling");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("stream", "peek", null, 5, null, null, null, null))
				.withMessageContaining("stream");
		});
	}

	@Test
	void countsAStreamMessageWhoseHandlerFailedAsSkipped() {
		runner().run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			HareEndpoint endpoint = context.getBean(HareEndpoint.class);
			await().atMost(TIMEOUT).until(() -> endpoint.listener("stream").consumers().active() == 1);
			this.broker.publishJson("", this.stream, "ok");
			this.broker.publishJson("", this.stream, "fail");
			await().atMost(TIMEOUT).until(() -> listeners.streamCalls.get() == 2);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(endpoint.listener("stream").counts().skipped()).isEqualTo(1));
			assertThat(endpoint.listener("stream").counts().processed()).isEqualTo(1);
			assertThat(endpoint.listener("stream").counts().deadLettered()).isZero();
			assertThat(context.getBean(MeterRegistry.class)
				.get("hare.messages.consumed")
				.tags("listener", "stream", "outcome", "skipped", "exception", IllegalStateException.class.getName())
				.counter()
				.count()).isEqualTo(1);
		});
	}

	static class Listeners {

		final AtomicInteger streamCalls = new AtomicInteger();

		@HareListener(id = "scaled", queue = "${test.queue}")
		void onScaled(String message) {
		}

		@HareListener(id = "stream", queue = "${test.stream}", queueType = QueueType.STREAM, streamOffset = "next")
		void onStream(String message) {
			this.streamCalls.incrementAndGet();
			if (message.equals("fail")) {
				throw new IllegalStateException("cannot handle " + message);
			}
		}

	}

}
