package io.hare.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batched acknowledgements against the real broker: handled messages are acknowledged
 * together, a crash redelivers at most the ones not yet acknowledged and loses none, a
 * trickle is acknowledged within the timeout, and a failed message within a batch still goes
 * through retry and dead letter without dragging the others back.
 */
class BatchAcknowledgementIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("acks");

	private final String connectionName = "hare-acks-test-" + UUID.randomUUID();

	private final ApplicationContextRunner runner = this.broker.contextRunner()
		.withPropertyValues("test.queue=" + this.queue, "hare.listeners.acks.retry.limit=1",
				"hare.listeners.acks.retry.delay=100ms")
		.withBean(ConnectionNameStrategy.class, () -> (factory) -> this.connectionName)
		.withUserConfiguration(AcksConfiguration.class);

	@Test
	void aCrashMidBatchLosesNothingAndRedeliversOnlyTheMessagesNotYetAcknowledged() {
		publish(120);
		this.runner.withPropertyValues("hare.listeners.acks.ack.batch-size=50", "hare.listeners.acks.ack.batch-timeout=10m")
			.run((context) -> {
				Acks acks = context.getBean(Acks.class);
				acks.blockAt = "m70";
				// m0 to m69 handled: the first 50 acknowledged together, the next 20 held back.
				assertThat(acks.blocked.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
				assertThat(this.broker.depth(this.queue)).as("the broker sent every message").isZero();
				assertThat(unacknowledged()).as("all but the first batch of 50 unacknowledged").isEqualTo(70);
				closeConnection();
				acks.release.countDown();
				await().atMost(TIMEOUT).until(() -> acks.handled.containsAll(names(120)));
				Map<String, Long> times = counts(acks.handled);
				List<String> twice = times.entrySet().stream().filter((e) -> e.getValue() > 1).map(Map.Entry::getKey)
					.toList();
				assertThat(twice).as("the held back acks and the message in hand are redelivered")
					.isNotEmpty()
					.hasSizeLessThanOrEqualTo(50)
					.allSatisfy((name) -> assertThat(index(name)).isBetween(50, 70));
				assertThat(times.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(2));
			});
		assertThat(this.broker.depth(this.queue)).as("the last acks sent as the listener stopped").isZero();
	}

	@Test
	void aTrickleIsAcknowledgedWithinTheBatchTimeout() {
		publish(0);
		this.runner.withPropertyValues("hare.listeners.acks.ack.batch-size=50", "hare.listeners.acks.ack.batch-timeout=200ms")
			.run((context) -> {
				Acks acks = context.getBean(Acks.class);
				this.broker.publishJson("", this.queue, "\"m0\"");
				await().atMost(TIMEOUT).until(() -> acks.handled.size() == 1);
				long handledAt = System.nanoTime();
				await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> unacknowledged() == 0);
				// rabbitmqctl itself takes a while: a bound well below "never", above 200 ms.
				assertThat(Duration.ofNanos(System.nanoTime() - handledAt)).isLessThan(Duration.ofSeconds(5));
			});
	}

	@Test
	void aFailedMessageWithinABatchIsRetriedThenDeadLetteredAndTheOthersAreHandledOnce() {
		publish(30);
		this.runner.withPropertyValues("hare.listeners.acks.ack.batch-size=10", "test.failing=m7,m15").run((context) -> {
			Acks acks = context.getBean(Acks.class);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue + ".dead") == 2);
			await().atMost(TIMEOUT).until(() -> this.broker.depth(this.queue) == 0 && unacknowledged() == 0);
			Map<String, Long> times = counts(acks.handled);
			assertThat(times.keySet()).containsExactlyInAnyOrderElementsOf(names(30));
			assertThat(times).as("tried, then retried once").containsEntry("m7", 2L).containsEntry("m15", 2L);
			assertThat(times.entrySet()).filteredOn((e) -> !acks.failing.contains(e.getKey()))
				.allSatisfy((e) -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(1L));
			assertThat(this.broker.depth(this.queue + ".delay")).isZero();
		});
	}

	@Test
	void aRetryCopyTheBrokerRefusesRequeuesItsOriginalAloneWhileTheOthersAreAcknowledged() {
		publish(0);
		// A full delay queue that refuses every copy: its broker nacks them. A quorum queue
		// refuses once it is over its length, so one message fills it for good.
		this.broker.admin()
			.declareQueue(QueueBuilder.durable(this.queue + ".delay")
				.quorum()
				.ttl(3_600_000)
				.overflow(QueueBuilder.Overflow.rejectPublish)
				.maxLength(0)
				.build());
		this.broker.publishJson("", this.queue + ".delay", "\"filler\"");
		for (int i = 0; i < 10; i++) {
			this.broker.publishJson("", this.queue, "\"m" + i + "\"");
		}
		this.runner
			.withPropertyValues("hare.listeners.acks.ack.batch-size=5", "hare.topology.ignore-declaration-conflicts=true",
					"test.failing=m3")
			.run((context) -> {
				Acks acks = context.getBean(Acks.class);
				await().atMost(TIMEOUT).until(() -> counts(acks.handled).getOrDefault("m3", 0L) >= 5);
				await().atMost(TIMEOUT).until(() -> acks.succeeded.size() == 9);
				assertThat(acks.succeeded).as("each handled once").doesNotHaveDuplicates();
				assertThat(this.broker.depth(this.queue + ".dead")).isZero();
			});
		assertThat(this.broker.depth(this.queue)).as("the refused one is back in the queue, never lost").isEqualTo(1);
	}

	@Test
	void pausingAcknowledgesWhatWasHandledSoThatNothingIsRedelivered() {
		publish(30);
		this.runner.withPropertyValues("hare.listeners.acks.ack.batch-size=50", "hare.listeners.acks.ack.batch-timeout=10m")
			.run((context) -> {
				Acks acks = context.getBean(Acks.class);
				await().atMost(TIMEOUT).until(() -> acks.handled.size() == 30);
				HareListenerRegistry registry = context.getBean(HareListenerRegistry.class);
				registry.pause("acks");
				HareListenerContainer listener = registry.getListener("acks").orElseThrow();
				await().atMost(TIMEOUT).until(() -> !listener.isRunning());
				assertThat(this.broker.depth(this.queue)).as("nothing back in the queue").isZero();
				registry.resume("acks");
				this.broker.publishJson("", this.queue, "\"m30\"");
				await().atMost(TIMEOUT).until(() -> acks.handled.contains("m30"));
				assertThat(acks.handled).hasSize(31).doesNotHaveDuplicates();
			});
	}

	@Test
	void anOpeningCircuitBreakerLeavesTheRestInTheQueueAndRedeliversNoHandledMessage() {
		publish(30);
		this.runner
			.withPropertyValues("hare.listeners.acks.prefetch=20", "hare.listeners.acks.ack.batch-size=10",
					"hare.listeners.acks.ack.batch-timeout=10m",
					"hare.listeners.acks.circuit-breaker.minimum-number-of-calls=4",
					"hare.listeners.acks.circuit-breaker.sliding-window-size=4",
					"hare.listeners.acks.circuit-breaker.permitted-calls-in-half-open-state=2",
					"hare.listeners.acks.circuit-breaker.wait-in-open-state=2s",
					// m0 to m4 succeed, their acks held back; then every message fails.
					"test.failing=" + String.join(",", names(30).subList(5, 30)))
			.run((context) -> {
				Acks acks = context.getBean(Acks.class);
				HareListenerContainer listener = context.getBean(HareListenerRegistry.class)
					.getListener("acks")
					.orElseThrow();
				await().atMost(TIMEOUT).until(listener::isTripped);
				await().atMost(TIMEOUT).until(() -> !listener.getContainer().isRunning());
				assertThat(this.broker.depth(this.queue)).as("the rest wait in the queue").isGreaterThan(10);
				assertThat(this.broker.depth(this.queue + ".dead")).isZero();
				acks.failing = List.of();
				await().atMost(TIMEOUT).until(() -> acks.succeeded.size() == 30);
				assertThat(acks.succeeded).as("each handled once").doesNotHaveDuplicates();
			});
	}

	private void publish(int count) {
		this.broker.admin().declareQueue(QueueBuilder.durable(this.queue).build());
		for (int i = 0; i < count; i++) {
			this.broker.publishJson("", this.queue, "\"m" + i + "\"");
		}
	}

	private int unacknowledged() {
		return this.broker.broker()
			.ctl("list_queues", "name", "messages_unacknowledged")
			.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 2 && columns[0].equals(this.queue))
			.mapToInt((columns) -> Integer.parseInt(columns[1].trim()))
			.findFirst()
			.orElseThrow();
	}

	// The broker closes the connection, as when the application dies: it requeues whatever
	// the consumer had not acknowledged.
	private void closeConnection() {
		List<String> pids = this.broker.broker()
			.ctl("list_connections", "pid", "client_properties")
			.lines()
			.filter((line) -> line.contains(this.connectionName))
			.map((line) -> line.substring(0, line.indexOf('\t')))
			.toList();
		assertThat(pids).isNotEmpty();
		pids.forEach((pid) -> this.broker.broker().ctl("close_connection", pid, "hare acks test"));
	}

	private static List<String> names(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "m" + i).toList();
	}

	private static int index(String name) {
		return Integer.parseInt(name.substring(1));
	}

	private static Map<String, Long> counts(List<String> handled) {
		return handled.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	@Configuration(proxyBeanMethods = false)
	static class AcksConfiguration {

		@Bean
		Acks acks(Environment environment) {
			Acks acks = new Acks();
			acks.failing = List.of(environment.getProperty("test.failing", String[].class, new String[0]));
			return acks;
		}

	}

	static class Acks {

		final List<String> handled = new CopyOnWriteArrayList<>();

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		final CountDownLatch blocked = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile String blockAt = "";

		volatile List<String> failing = List.of();

		@HareListener(id = "acks", queue = "${test.queue}")
		void onMessage(String body) throws InterruptedException {
			// A String parameter takes the body as it is, quotes and all.
			String name = body.replace("\"", "");
			this.handled.add(name);
			if (name.equals(this.blockAt) && this.blocked.getCount() > 0) {
				this.blocked.countDown();
				this.release.await();
			}
			if (this.failing.contains(name)) {
				throw new IllegalStateException("cannot handle " + name);
			}
			this.succeeded.add(name);
		}

	}

}
