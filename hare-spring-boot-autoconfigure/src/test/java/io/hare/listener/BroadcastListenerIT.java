package io.hare.listener;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.test.BrokerFixture;
import io.hare.test.Invocations;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broadcast listeners against the real broker: every application instance gets every message
 * on a queue of its own, which goes when the instance goes.
 */
class BroadcastListenerIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = BrokerFixture.uniqueName("cache-evict");

	private final String exchange = this.broker.exchange("config");

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue, "test.exchange=" + this.exchange)
		.withUserConfiguration(CacheConfiguration.class);

	@Test
	void everyInstanceGetsEveryMessageOnAQueueOfItsOwnThatGoesWithIt() {
		this.runner.run((first) -> this.runner.run((second) -> {
			String firstQueue = queueOf(first);
			String secondQueue = queueOf(second);
			assertThat(firstQueue).startsWith(this.queue + ".").isNotEqualTo(secondQueue);
			for (int i = 0; i < 3; i++) {
				this.broker.publishJson(this.exchange, this.queue, "\"evict " + i + "\"");
			}
			await().atMost(TIMEOUT).until(() -> first.getBean(Invocations.class).count() == 3
					&& second.getBean(Invocations.class).count() == 3);
			assertThat(this.broker.broker().ctl("list_queues", "name")).as("no dead-letter queue")
				.doesNotContain(firstQueue + ".dead");
		}));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.broker.broker().ctl("list_queues", "name")).doesNotContain(this.queue));
	}

	@Test
	void aFailedMessageIsDroppedAndTheNextOneHandled() {
		this.runner.run((context) -> {
			String queue = queueOf(context);
			this.broker.publishJson(this.exchange, this.queue, "\"fail\"");
			this.broker.publishJson(this.exchange, this.queue, "\"evict 1\"");
			await().atMost(TIMEOUT).until(() -> context.getBean(Invocations.class).count() == 2);
			// Only its own connection may look at an exclusive queue: ask the broker's tool.
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(this.broker.broker().ctl("list_queues", "name", "messages"))
					.containsPattern(Pattern.quote(queue) + "\\s+0\\b"));
		});
	}

	private static String queueOf(ConfigurableApplicationContext context) {
		HareListenerContainer listener = context.getBean(HareListenerRegistry.class).getListener("cache").orElseThrow();
		await().atMost(TIMEOUT).until(() -> listener.getActualConsumers() == 1);
		return listener.getTopology().queue();
	}

	@Configuration(proxyBeanMethods = false)
	static class CacheConfiguration {

		@Bean
		Invocations invocations() {
			return new Invocations();
		}

		@Bean
		Cache cache(Invocations invocations) {
			return new Cache(invocations);
		}

	}

	static class Cache {

		private final Invocations invocations;

		Cache(Invocations invocations) {
			this.invocations = invocations;
		}

		@HareListener(id = "cache", queue = "${test.queue}", exchange = "${test.exchange}", broadcast = true)
		void onEvict(String key) {
			this.invocations.record(key);
			if (key.equals("fail")) {
				throw new IllegalStateException("cannot evict");
			}
		}

	}

}
