package io.hare.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.listener.HareListener;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.retry.HareHeaders;
import io.hare.test.BrokerFixture;
import io.hare.topology.QueueType;

import org.springframework.amqp.core.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once under chaos, against the real broker: numbered messages go through a
 * confirming Hare publisher to a listener that fails 5% of its attempts, while every
 * connection is closed every two seconds and the broker application is stopped and started
 * once. Publishing goes on until all of that has happened, and for at least 50 000 messages.
 * Every confirmed message must end processed or dead-lettered with its reason.
 */
// Runs after every other test class: it stops the broker (see junit-platform.properties).
@Order(Integer.MAX_VALUE)
class ChaosIT {

	private static final int MIN_MESSAGES = 50_000;

	// Closes at 2 and 4 s, the broker restart at 6 s, closes at 8 and 10 s.
	private static final int CHAOS_TICKS = 5;

	private static final double FAILURE_RATE = 0.05;

	private static final Path RESULTS = Path.of("target", "chaos-results.md");

	private static final JsonMapper JSON = new JsonMapper();

	@AutoClose
	private final BrokerFixture broker = new BrokerFixture();

	private final String queue = this.broker.queue("chaos");

	private final String exchange = this.broker.exchange("chaos");

	@ParameterizedTest
	@EnumSource(value = QueueType.class, names = { "CLASSIC", "QUORUM" })
	void losesNothingThePublisherConfirmedWhileConnectionsCloseAndTheBrokerRestarts(QueueType queueType)
			throws Exception {
		ChaosListener listener = new ChaosListener();
		this.broker.contextRunner(HareConnectionsAutoConfiguration.class, HarePublisherAutoConfiguration.class)
			.withPropertyValues("test.queue=" + this.queue, "test.exchange=" + this.exchange,
					"hare.listeners.chaos.queue.type=" + queueType.name().toLowerCase(),
					"hare.publishers.chaos.exchange=" + this.exchange, "hare.publishers.chaos.routing-key=chaos")
			.withBean(ChaosListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long started = System.nanoTime();
				HarePublisher publisher = context.getBean(HarePublishers.class).get("chaos");
				Set<Long> confirmed = ConcurrentHashMap.newKeySet();
				AtomicLong publishFailures = new AtomicLong();
				CountDownLatch chaosDone = new CountDownLatch(CHAOS_TICKS);
				ScheduledExecutorService chaos = startChaos(chaosDone);
				long published;
				try {
					published = publishAll(publisher, chaosDone, confirmed, publishFailures);
				}
				finally {
					chaos.shutdownNow();
					chaos.awaitTermination(2, TimeUnit.MINUTES);
					ensureBrokerRunning();
				}
				Map<Long, String> dead = new ConcurrentHashMap<>();
				try {
					// Exceptions are ignored while settling: the broker may still be coming back.
					await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
						drainDeadLetters(dead);
						return confirmed.stream()
							.allMatch((id) -> listener.succeeded.containsKey(id) || dead.containsKey(id));
					});
					await().atMost(Duration.ofMinutes(1))
						.ignoreExceptions()
						.until(() -> this.broker.depth(this.queue) == 0 && delayQueuesEmpty());
				}
				catch (ConditionTimeoutException ex) {
					// Fall through to the figures: the assertion below says what was lost.
				}
				drainDeadLetters(dead);
				long lost = confirmed.stream()
					.filter((id) -> !listener.succeeded.containsKey(id) && !dead.containsKey(id))
					.count();
				long duplicates = listener.succeeded.values().stream().filter((count) -> count.get() > 1).count();
				Duration wall = Duration.ofNanos(System.nanoTime() - started);
				String figures = String.format(
						"| %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %d s |%n", queueType.name().toLowerCase(),
						published, confirmed.size(), publishFailures.get(), lost, duplicates, listener.failures.get(),
						dead.size(), wall.toSeconds());
				report(figures);
				assertThat(lost).as("confirmed messages neither processed nor dead-lettered").isZero();
				assertThat(dead.values()).as("every dead letter says why").allSatisfy((reason) -> assertThat(reason)
					.isEqualTo(IllegalStateException.class.getName()));
				assertThat(this.broker.depth(this.queue)).as("nothing left in the work queue").isZero();
				assertThat(delayQueuesEmpty()).as("nothing left in the delay queues").isTrue();
			});
	}

	/**
	 * Close every connection every two seconds, and stop and start the broker application
	 * once, five seconds in.
	 */
	private ScheduledExecutorService startChaos(CountDownLatch ticksDone) {
		ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
		AtomicLong ticks = new AtomicLong();
		chaos.scheduleWithFixedDelay(() -> {
			try {
				if (ticks.incrementAndGet() == 3) {
					this.broker.broker().ctl("stop_app");
					this.broker.broker().ctl("start_app");
					this.broker.broker().ctl("await_startup");
				}
				else {
					this.broker.broker().ctl("close_all_connections", "hare chaos test");
				}
			}
			catch (RuntimeException ex) {
				// Keep the chaos going: one failed injection is no reason to stop the others.
			}
			ticksDone.countDown();
		}, 2, 2, TimeUnit.SECONDS);
		return chaos;
	}

	private void ensureBrokerRunning() {
		this.broker.broker().ctl("start_app");
		this.broker.broker().ctl("await_startup");
	}

	/**
	 * Publish ids with at most 256 unconfirmed until the chaos is over; a publish that fails is
	 * counted as failed (the publisher said so: it is not lost).
	 * @return how many messages were published
	 */
	private long publishAll(HarePublisher publisher, CountDownLatch chaosDone, Set<Long> confirmed,
			AtomicLong publishFailures) throws InterruptedException {
		Semaphore inFlight = new Semaphore(256);
		long id = 0;
		for (; id < MIN_MESSAGES || chaosDone.getCount() > 0; id++) {
			inFlight.acquire();
			long messageId = id;
			publisher.publishAsync(new ChaosMessage(messageId)).whenComplete((result, failure) -> {
				if (failure == null) {
					confirmed.add(messageId);
				}
				else {
					publishFailures.incrementAndGet();
				}
				inFlight.release();
			});
		}
		inFlight.acquire(256);
		return id;
	}

	private void drainDeadLetters(Map<Long, String> dead) {
		Message message;
		while ((message = this.broker.template().receive(this.queue + ".dead")) != null) {
			long id = JSON.readValue(message.getBody(), ChaosMessage.class).id();
			dead.put(id, String.valueOf(message.getMessageProperties().getHeaders().get(HareHeaders.EXCEPTION)));
		}
	}

	private boolean delayQueuesEmpty() {
		return IntStream.rangeClosed(1, 3)
			.allMatch((level) -> this.broker.depth(this.queue + ".delay." + level) <= 0);
	}

	private static void report(String row) throws IOException {
		System.out.println("Chaos run: | queue | messages | confirmed | publish failures | lost | duplicates "
				+ "| failed attempts | dead letters | wall time |");
		System.out.print("Chaos run: " + row);
		Files.createDirectories(RESULTS.getParent());
		Files.writeString(RESULTS, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	record ChaosMessage(long id) {
	}

	/**
	 * Fails 5% of its attempts at random; counts the successes per message.
	 */
	static class ChaosListener {

		final Map<Long, AtomicLong> succeeded = new ConcurrentHashMap<>();

		final AtomicLong failures = new AtomicLong();

		@HareListener(id = "chaos", queue = "${test.queue}", exchange = "${test.exchange}", routingKey = "chaos",
				concurrency = 4, retryLimit = 3, delays = { "100ms", "200ms", "400ms" })
		void onMessage(ChaosMessage message) {
			if (ThreadLocalRandom.current().nextDouble() < FAILURE_RATE) {
				this.failures.incrementAndGet();
				throw new IllegalStateException("chaos failure of message " + message.id());
			}
			this.succeeded.computeIfAbsent(message.id(), (id) -> new AtomicLong()).incrementAndGet();
		}

	}

}
