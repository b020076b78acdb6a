package io.hare.listener;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;
import io.hare.topology.QueueType;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Single active consumer against the real broker, with two application contexts standing
 * for two instances of an application.
 */
class HareSingleActiveConsumerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("singleton");

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue)
		.withUserConfiguration(SingletonConfiguration.class);

	private void publish(int from, int to) {
		IntStream.rangeClosed(from, to).forEach((id) -> this.broker.publishJson("", this.queue, String.valueOf(id)));
	}

	private long consumers(String active) {
		return this.broker.broker()
			.ctl("list_consumers", "queue_name", "active")
			.lines()
			.filter((line) -> line.startsWith(this.queue + "\t") && line.endsWith(active))
			.count();
	}

	@Test
	void onlyOneInstanceReceivesAndAnotherTakesOverWhenItGoes() {
		this.runner.run((first) -> {
			await().atMost(TIMEOUT).until(() -> consumers("true") == 1);
			this.runner.run((second) -> {
				await().atMost(TIMEOUT).until(() -> consumers("false") == 1);
				Invocations firstReceived = first.getBean(SingletonListener.class).received;
				Invocations secondReceived = second.getBean(SingletonListener.class).received;
				publish(1, 5);
				await().atMost(TIMEOUT).until(() -> firstReceived.count() == 5);
				assertThat(secondReceived.count()).isZero();

				first.close();
				await().atMost(TIMEOUT).until(() -> consumers("true") == 1 && consumers("false") == 0);
				publish(6, 10);
				await().atMost(TIMEOUT).until(() -> secondReceived.count() == 5);
				assertThat(firstReceived.payloads()).containsExactly(1, 2, 3, 4, 5);
				assertThat(secondReceived.payloads()).containsExactly(6, 7, 8, 9, 10);
				assertThat(this.broker.depth(this.queue)).isZero();
			});
		});
	}

	@Test
	void worksOnQuorumQueues() {
		this.runner.withPropertyValues("hare.listeners.singleton.queue.type=quorum").run((context) -> {
			assertThat(this.broker.broker().ctl("list_queues", "name", "type", "arguments"))
				.containsPattern(this.queue + "\\s+quorum\\s+.*x-single-active-consumer");
			publish(1, 2);
			Invocations received = context.getBean(SingletonListener.class).received;
			await().atMost(TIMEOUT).until(() -> received.count() == 2);
		});
	}

	@Test
	void propertiesTurnItOff() {
		this.runner.withPropertyValues("hare.listeners.singleton.queue.single-active-consumer=false").run((context) -> {
			assertThat(context.getBean(HareListenerRegistry.class).getListener("singleton").orElseThrow()
				.getTopology().queueArguments()).doesNotContainKey("x-single-active-consumer");
		});
	}

	@Test
	void failsStartupWhenCombinedWithAutoScaling() {
		this.runner.withPropertyValues("hare.listeners.singleton.auto-scaling.max-consumers=4").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("hare.listeners.singleton.auto-scaling.max-consumers")
				.hasStackTraceContaining("single-active-consumer");
		});
	}

	@Test
	void failsStartupOnAStream() {
		this.runner.withPropertyValues("hare.listeners.singleton.queue.type=" + QueueType.STREAM).run((context) -> {
			assertThat(context).hasFailed();
			// Single active consumer comes from the annotation, so the error names the attribute.
			assertThat(context.getStartupFailure()).hasStackTraceContaining("@HareListener(singleActiveConsumer) on ")
				.hasStackTraceContaining("only through the stream protocol");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class SingletonConfiguration {

		@Bean
		SingletonListener singletonListener() {
			return new SingletonListener();
		}

	}

	static class SingletonListener {

		final Invocations received = new Invocations();

		@HareListener(id = "singleton", queue = "${test.queue}", singleActiveConsumer = true)
		void on(Integer id) {
			this.received.record(id);
		}

	}

}
