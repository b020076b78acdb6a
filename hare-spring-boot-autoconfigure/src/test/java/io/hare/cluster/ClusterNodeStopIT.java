package io.hare.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.hare.autoconfigure.HareAutoConfiguration;
import io.hare.autoconfigure.HareConnectionsAutoConfiguration;
import io.hare.autoconfigure.HareDelayAutoConfiguration;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.autoconfigure.HarePublisherAutoConfiguration;
import io.hare.connection.HareConnections;
import io.hare.delay.DelayTopology;
import io.hare.delay.DelayedMessage;
import io.hare.delay.HareDelayedSender;
import io.hare.listener.HareListener;
import io.hare.operations.HareOperations;
import io.hare.operations.RedriveRequest;
import io.hare.operations.RedriveResult;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.publish.PublishResult;
import io.hare.test.BrokerFixture;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hare on the local 3-node cluster while a node stops and starts again: every test counts what
 * went in and what came out, reports lost (must be 0) and duplicated messages, and appends a row
 * to {@code target/cluster-results.md}. Only the cluster's nodes are stopped, never the 5672
 * broker.
 */
// After the other integration tests, before the script test that takes the cluster down.
@Order(Integer.MAX_VALUE - 2)
class ClusterNodeStopIT {

	private static final Path RESULTS = Path.of("target", "cluster-results.md");

	private static final JsonMapper JSON = new JsonMapper();

	private final RabbitCluster cluster = RabbitCluster.get();

	private final CachingConnectionFactory connectionFactory = RabbitCluster.connectionFactory();

	private final RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);

	private final List<String> queues = new ArrayList<>();

	private final List<String> exchanges = new ArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, HareConnectionsAutoConfiguration.class,
				HareAutoConfiguration.class, HarePublisherAutoConfiguration.class, HareDelayAutoConfiguration.class))
		.withPropertyValues(RabbitCluster.springProperties())
		.withPropertyValues("spring.rabbitmq.address-shuffle-mode=random");

	@BeforeEach
	void allNodesRun() {
		this.cluster.ensureUp();
	}

	@AfterEach
	void deleteWhatTheTestMadeAndRestartStoppedNodes() {
		try {
			this.cluster.ensureUp();
			this.queues.forEach(this.admin::deleteQueue);
			this.exchanges.forEach(this.admin::deleteExchange);
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

	@Test
	void quorumListenerLosesNothingWhileTheNodeLeadingItsQueueStopsAndStarts() throws Exception {
		int messages = 20_000;
		String queue = track(BrokerFixture.uniqueName("cluster-work"));
		this.queues.addAll(List.of(queue + ".delay.1", queue + ".delay.2", queue + ".delay.3", queue + ".dead"));
		String exchange = trackExchange(BrokerFixture.uniqueName("cluster-work"));
		FlakyListener listener = new FlakyListener();
		// The delay levels are declared on this connection too, as in an application with delays.
		String prefix = trackDelayLevels(BrokerFixture.uniqueName("cluster-work-delay")).getPrefix();
		this.runner
			.withPropertyValues("test.queue=" + queue, "test.exchange=" + exchange,
					"hare.listeners.cluster-work.queue.type=quorum", "hare.publishers.work.exchange=" + exchange,
					"hare.publishers.work.routing-key=work", "hare.delay.prefix=" + prefix)
			.withBean(FlakyListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long started = System.nanoTime();
				HarePublisher publisher = context.getBean(HarePublishers.class).get("work");
				int leader = this.cluster.leader(queue);
				Set<Long> confirmed = ConcurrentHashMap.newKeySet();
				AtomicLong publishFailures = new AtomicLong();
				Semaphore inFlight = new Semaphore(256);
				for (long id = 0; id < messages; id++) {
					if (id == messages / 4) {
						stopAndStartInBackground(leader, listener);
					}
					inFlight.acquire();
					long messageId = id;
					publisher.publishAsync(new Numbered(messageId)).whenComplete((result, failure) -> {
						if (failure == null && result.status() == PublishResult.Status.PUBLISHED) {
							confirmed.add(messageId);
						}
						else {
							publishFailures.incrementAndGet();
						}
						inFlight.release();
					});
				}
				inFlight.acquire(256);
				Map<Long, Boolean> dead = new ConcurrentHashMap<>();
				RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
				await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
					Message message;
					while ((message = template.receive(queue + ".dead")) != null) {
						dead.put(JSON.readValue(message.getBody(), Numbered.class).id(), true);
					}
					return listener.restarted.getCount() == 0 && confirmed.stream()
						.allMatch((id) -> listener.succeeded.containsKey(id) || dead.containsKey(id));
				});
				long lost = confirmed.stream()
					.filter((id) -> !listener.succeeded.containsKey(id) && !dead.containsKey(id))
					.count();
				long duplicates = listener.succeeded.values().stream().filter((count) -> count.get() > 1).count();
				report("quorum listener, 5% failures, delayed retries; leader node " + leader + " stopped and started",
						messages, confirmed.size(), publishFailures.get(), lost, duplicates,
						"longest pause in handling " + listener.longestPause().toMillis() + " ms, " + dead.size()
								+ " dead letters",
						started);
				assertThat(lost).as("confirmed messages neither handled nor dead-lettered").isZero();
				assertThat(listener.longestPause()).as("longest pause in handling across the node stop")
					.isLessThan(Duration.ofSeconds(2));
				assertThat(IntStream.rangeClosed(1, 3).map((level) -> depth(queue + ".delay." + level)).sum())
					.as("messages stuck in the delay queues")
					.isZero();
				assertThat(depth(queue)).isZero();
			});
	}

	@Test
	void everyConfirmedPublishArrivesWhileThePublishersNodeStops() throws Exception {
		int messages = 5_000;
		String queue = track(BrokerFixture.uniqueName("cluster-publish"));
		String exchange = trackExchange(BrokerFixture.uniqueName("cluster-publish"));
		this.admin.declareQueue(QueueBuilder.durable(queue).quorum().build());
		this.admin.declareExchange(new DirectExchange(exchange));
		this.admin.declareBinding(new Binding(queue, DestinationType.QUEUE, exchange, "publish", null));
		this.runner
			.withPropertyValues("hare.connections.cluster.addresses=" + RabbitCluster.addresses(),
					"hare.publishers.orders.connection=cluster", "hare.publishers.orders.exchange=" + exchange,
					"hare.publishers.orders.routing-key=publish", "hare.delay.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long started = System.nanoTime();
				HarePublisher publisher = context.getBean(HarePublishers.class).get("orders");
				publisher.publish(new Numbered(-1));
				int node = RabbitCluster.node(context.getBean(HareConnections.class).get("cluster").getConnectionFactory());
				Set<Long> confirmed = ConcurrentHashMap.newKeySet();
				AtomicLong failed = new AtomicLong();
				AtomicLong silent = new AtomicLong();
				CountDownLatch nodeBack = null;
				for (long id = 0; id < messages; id++) {
					if (id == messages / 5) {
						nodeBack = stopAndStartInBackground(node, null);
					}
					try {
						PublishResult result = publisher.publish(new Numbered(id));
						if (result.status() == PublishResult.Status.PUBLISHED) {
							confirmed.add(id);
						}
						else {
							silent.incrementAndGet();
						}
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
					}
				}
				nodeBack.await(2, TimeUnit.MINUTES);
				Map<Long, AtomicLong> received = drain(queue, confirmed.size());
				long lost = confirmed.stream().filter((id) -> !received.containsKey(id)).count();
				long duplicates = received.values().stream().filter((count) -> count.get() > 1).count();
				report("confirmed publishing on a named connection with addresses; its node " + node
						+ " stopped and started", messages, confirmed.size(), failed.get(), lost, duplicates,
						"neither confirmed nor thrown: " + silent.get(), started);
				assertThat(silent.get()).as("publishes neither confirmed nor thrown").isZero();
				assertThat(confirmed.size() + failed.get()).isEqualTo(messages);
				assertThat(lost).as("confirmed messages that never arrived").isZero();
			});
	}

	@Test
	void everyDelayedMessageArrivesAndNoneEarlyAcrossANodeStop() throws Exception {
		int messages = 300;
		String prefix = BrokerFixture.uniqueName("cluster-delay");
		DelayTopology topology = trackDelayLevels(prefix);
		String queue = track(BrokerFixture.uniqueName("cluster-delayed"));
		this.admin.declareQueue(QueueBuilder.durable(queue).quorum().build());
		Map<Long, Instant> due = new ConcurrentHashMap<>();
		Map<Long, AtomicLong> arrived = new ConcurrentHashMap<>();
		AtomicLong early = new AtomicLong();
		AtomicLong latestLateMillis = new AtomicLong();
		SimpleMessageListenerContainer consumer = new SimpleMessageListenerContainer(this.connectionFactory);
		consumer.setQueueNames(queue);
		consumer.setMessageListener((Message message) -> {
			long id = Long.parseLong(new String(message.getBody(), StandardCharsets.UTF_8));
			Instant now = Instant.now();
			if (now.isBefore(due.get(id))) {
				early.incrementAndGet();
			}
			latestLateMillis.accumulateAndGet(Duration.between(due.get(id), now).toMillis(), Math::max);
			arrived.computeIfAbsent(id, (key) -> new AtomicLong()).incrementAndGet();
		});
		this.runner.withPropertyValues("hare.delay.prefix=" + prefix, "hare.delay.forwarder.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long started = System.nanoTime();
				HareDelayedSender sender = context.getBean(HareDelayedSender.class);
				for (long id = 0; id < messages; id++) {
					MessageProperties properties = new MessageProperties();
					properties.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
					Duration delay = Duration.ofMillis(ThreadLocalRandom.current().nextLong(1_000, 16_000));
					DelayedMessage sent = sender.sendToQueue(queue,
							new Message(String.valueOf(id).getBytes(StandardCharsets.UTF_8), properties), delay);
					due.put(id, sent.due());
				}
				consumer.start();
				// The node leading the level most messages wait in (8 s) stops while they wait.
				int node = this.cluster.leader(topology.levelQueue(3));
				stopAndStartInBackground(node, null).await(2, TimeUnit.MINUTES);
				try {
					await().atMost(Duration.ofMinutes(3)).until(() -> arrived.size() == messages);
				}
				catch (ConditionTimeoutException ex) {
					// Say where the missing messages wait, for whoever looks into it next.
					Map<String, Integer> waiting = new java.util.TreeMap<>();
					for (int level = 0; level < DelayTopology.LEVELS; level++) {
						int depth = depth(topology.levelQueue(level));
						if (depth != 0) {
							waiting.put(topology.levelQueue(level), depth);
						}
					}
					throw new AssertionError(arrived.size() + " of " + messages + " delayed messages arrived; still in "
							+ "the levels: " + waiting + ", in " + queue + ": " + depth(queue) + "; the broker's view "
							+ "(name, type, leader, online, messages, ready, unacked):\n" + this.cluster.queues(prefix)
							+ this.cluster.queues(queue), ex);
				}
				consumer.stop();
				long duplicates = arrived.values().stream().filter((count) -> count.get() > 1).count();
				report("delayed delivery (1-16 s) through quorum levels; node " + node + " stopped and started",
						messages, messages, 0, messages - arrived.size(), duplicates,
						"early: " + early.get() + ", latest " + latestLateMillis.get() + " ms after due", started);
				assertThat(early.get()).as("messages delivered before they were due").isZero();
				assertThat(arrived).hasSize(messages);
			});
	}

	@Test
	void deadLetterRedriveLosesNothingWhileTheNodeItRunsOnStops() throws Exception {
		int messages = 2_000;
		String queue = track(BrokerFixture.uniqueName("cluster-redrive"));
		this.queues.addAll(List.of(queue + ".delay", queue + ".dead"));
		String exchange = trackExchange(BrokerFixture.uniqueName("cluster-redrive"));
		RedriveListener listener = new RedriveListener();
		this.runner.withConfiguration(AutoConfigurations.of(HareOperationsAutoConfiguration.class))
			.withPropertyValues("test.queue=" + queue, "test.exchange=" + exchange,
					"hare.listeners.cluster-redrive.queue.type=quorum", "hare.publishers.redrive.exchange=" + exchange,
					"hare.publishers.redrive.routing-key=redrive", "hare.redrive.rate=200", "hare.delay.enabled=false")
			.withBean(RedriveListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long started = System.nanoTime();
				HarePublisher publisher = context.getBean(HarePublishers.class).get("redrive");
				for (long id = 0; id < messages; id++) {
					assertThat(publisher.publish(new Numbered(id)).status()).isEqualTo(PublishResult.Status.PUBLISHED);
				}
				// Every message fails once and is dead-lettered at once (no retries).
				await().atMost(Duration.ofSeconds(60)).until(() -> depth(queue + ".dead") == messages);
				listener.failing = false;
				HareOperations operations = context.getBean(HareOperations.class);
				int node = RabbitCluster.node(context.getBean(CachingConnectionFactory.class));
				int deadLeader = this.cluster.leader(queue + ".dead");
				// The node the redrive's connection is on stops a quarter of the way in (200 a second:
				// the redrive takes 10 s without a stop).
				Thread stopper = new Thread(() -> {
					await().atMost(Duration.ofSeconds(60)).until(() -> listener.handled.size() >= messages / 4);
					this.cluster.stopNode(node);
					this.cluster.startNode(node);
				}, "cluster-node-" + node + "-stop-start");
				stopper.setDaemon(true);
				stopper.start();
				List<RedriveResult> runs = new ArrayList<>();
				// An operator repeats a redrive that stopped, until the dead letters are gone.
				await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
					if (depth(queue + ".dead") != 0) {
						runs.add(operations.redrive("cluster-redrive", RedriveRequest.all()));
					}
					return depth(queue + ".dead") == 0 && listener.handled.size() >= messages;
				});
				stopper.join(TimeUnit.MINUTES.toMillis(2));
				this.cluster.ensureUp();
				long lost = LongStream.range(0, messages).filter((id) -> !listener.handled.containsKey(id)).count();
				long duplicates = listener.handled.values().stream().filter((count) -> count.get() > 1).count();
				long failedRuns = runs.stream().filter((run) -> run.stop() == RedriveResult.Stop.FAILED).count();
				report("dead-letter redrive of " + messages + " from a quorum q.dead (leader node " + deadLeader
						+ "); node " + node + " under the redrive stopped and started", messages, messages, 0, lost,
						duplicates, runs.size() + " redrive runs, " + failedRuns + " stopped by the node; "
								+ listener.redelivered.get() + " handlings of redelivered messages",
						started);
				assertThat(lost).as("dead letters neither handled nor still dead").isZero();
				// The README's promise: a run that stops can leave the message it was moving in both
				// queues, never in neither; redelivery to the listener after a lost ack is the other
				// source of a second handling.
				assertThat(duplicates).as("messages handled twice")
					.isLessThanOrEqualTo(failedRuns + listener.redelivered.get());
				assertThat(depth(queue)).isZero();
			});
	}

	/**
	 * Stop a node and start it again on another thread.
	 * @return a latch released when the node runs again
	 */
	private CountDownLatch stopAndStartInBackground(int node, FlakyListener listener) {
		CountDownLatch back = (listener != null) ? listener.restarted : new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			try {
				if (listener != null) {
					listener.nodeStopped();
				}
				this.cluster.stopNode(node);
				this.cluster.startNode(node);
			}
			finally {
				back.countDown();
			}
		}, "cluster-node-" + node + "-stop-start");
		thread.setDaemon(true);
		thread.start();
		return back;
	}

	private Map<Long, AtomicLong> drain(String queue, int atLeast) {
		Map<Long, AtomicLong> received = new ConcurrentHashMap<>();
		RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			Message message;
			while ((message = template.receive(queue)) != null) {
				received.computeIfAbsent(JSON.readValue(message.getBody(), Numbered.class).id(), (id) -> new AtomicLong())
					.incrementAndGet();
			}
			return received.size() >= atLeast && depth(queue) == 0;
		});
		received.remove(-1L);
		return received;
	}

	private int depth(String queue) {
		QueueInformation information = this.admin.getQueueInfo(queue);
		return (information != null) ? (int) information.getMessageCount() : -1;
	}

	private DelayTopology trackDelayLevels(String prefix) {
		DelayTopology topology = new DelayTopology(prefix);
		for (int level = 0; level < DelayTopology.LEVELS; level++) {
			track(topology.levelQueue(level));
			trackExchange(topology.levelExchange(level));
		}
		track(topology.readyQueue());
		track(topology.unroutedQueue());
		trackExchange(topology.deliveryExchange());
		trackExchange(topology.unrouted());
		return topology;
	}

	private String track(String queue) {
		this.queues.add(queue);
		return queue;
	}

	private String trackExchange(String exchange) {
		this.exchanges.add(exchange);
		return exchange;
	}

	private static void report(String scenario, long messages, long confirmed, long failed, long lost,
			long duplicates, String more, long startedNanos) throws IOException {
		String row = String.format("| %s | %,d | %,d | %,d | %,d | %,d | %s | %d s |%n", scenario, messages, confirmed,
				failed, lost, duplicates, more, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos));
		System.out.print("Cluster run: " + row);
		Files.createDirectories(RESULTS.getParent());
		Files.writeString(RESULTS, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	record Numbered(long id) {
	}

	/**
	 * Fails every message while {@code failing}, then counts the handlings of each, and of
	 * messages the broker redelivered.
	 */
	static class RedriveListener {

		final Map<Long, AtomicLong> handled = new ConcurrentHashMap<>();

		final AtomicLong redelivered = new AtomicLong();

		volatile boolean failing = true;

		@HareListener(id = "cluster-redrive", queue = "${test.queue}", exchange = "${test.exchange}",
				routingKey = "redrive", concurrency = 4, retryLimit = 0)
		void onMessage(Message message) {
			if (this.failing) {
				throw new IllegalStateException("planned failure");
			}
			long id = JSON.readValue(message.getBody(), Numbered.class).id();
			if (Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())) {
				this.redelivered.incrementAndGet();
			}
			this.handled.computeIfAbsent(id, (key) -> new AtomicLong()).incrementAndGet();
		}

	}

	/**
	 * Fails 5% of its attempts; counts successes per message and the longest pause in handling
	 * after the node stopped.
	 */
	static class FlakyListener {

		final Map<Long, AtomicLong> succeeded = new ConcurrentHashMap<>();

		final CountDownLatch restarted = new CountDownLatch(1);

		private final AtomicLong lastHandled = new AtomicLong();

		private final AtomicLong longestPause = new AtomicLong();

		private volatile boolean stopped;

		@HareListener(id = "cluster-work", queue = "${test.queue}", exchange = "${test.exchange}", routingKey = "work",
				concurrency = 4, retryLimit = 3, delays = { "100ms", "200ms", "400ms" })
		void onMessage(Numbered message) {
			if (ThreadLocalRandom.current().nextDouble() < 0.05) {
				throw new IllegalStateException("planned failure of message " + message.id());
			}
			this.succeeded.computeIfAbsent(message.id(), (id) -> new AtomicLong()).incrementAndGet();
			long now = System.nanoTime();
			long previous = this.lastHandled.getAndSet(now);
			if (this.stopped && previous != 0) {
				this.longestPause.accumulateAndGet(now - previous, Math::max);
			}
		}

		void nodeStopped() {
			this.lastHandled.set(System.nanoTime());
			this.stopped = true;
		}

		Duration longestPause() {
			return Duration.ofNanos(this.longestPause.get());
		}

	}

}
