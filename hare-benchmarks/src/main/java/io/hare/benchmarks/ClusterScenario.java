package io.hare.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.hare.listener.HareListenerRegistry;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;

import org.springframework.amqp.core.MessageListenerContainer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hare on the local 3-node cluster against the single-node broker: draining a backlog and
 * confirmed publishing one at a time on a quorum queue of the cluster, each as a ratio to the
 * same on a classic queue of the broker on 5672; and the pause in consuming when the node that
 * leads the queue, and holds the listener's connection, stops. Needs
 * {@code scripts/rabbitmq-cluster.sh up}; it stops and starts the cluster's nodes only.
 */
final class ClusterScenario implements Scenario {

	static final String DRAIN_QUORUM = "Hare drain, 3-node quorum queue";

	static final String DRAIN_CLASSIC = "Hare drain, single-node classic queue";

	static final String PUBLISH_QUORUM = "Hare publish, 3-node quorum queue";

	static final String PUBLISH_CLASSIC = "Hare publish, single-node classic queue";

	static final String FAILOVER = "Hare, leader node stop to consuming again";

	/**
	 * How long the failover listener works on each message: with its backlog, it is still
	 * consuming when the node is down and consuming again.
	 */
	private static final Duration HANDLER_TIME = Duration.ofMillis(2);

	private static final int FAILOVER_BACKLOG = 20_000;

	@Override
	public String id() {
		return "cluster";
	}

	@Override
	public void run(Context context) throws Exception {
		LocalCluster cluster = LocalCluster.running(context.options().broker());
		BenchmarkOptions options = context.options();
		Payloads payloads = new Payloads(options.payloadBytes());
		try (BenchBroker clusterBroker = new BenchBroker(cluster.broker())) {
			Context onCluster = new Context(options, clusterBroker, context.report(), context.log());
			drain(context, onCluster, cluster, payloads);
			publish(context, onCluster, cluster, payloads);
			failover(onCluster, cluster, payloads);
		}
	}

	private void drain(Context single, Context onCluster, LocalCluster cluster, Payloads payloads) throws Exception {
		String quorumQueue = onCluster.broker().newQueue("cluster-drain");
		onCluster.broker().declareQuorumQueue(quorumQueue);
		String classicQueue = single.broker().newQueue("cluster-drain");
		try (DrainScenario.SpringContender quorum = drainContender(onCluster, payloads, DRAIN_QUORUM, quorumQueue,
				Map.of("hare.listeners.drain.queue.type", "quorum", "spring.rabbitmq.addresses", cluster.addresses(1)));
				DrainScenario.SpringContender classic = drainContender(single, payloads, DRAIN_CLASSIC, classicQueue,
						Map.of())) {
			Map<String, List<Measurement>> results = Rounds.alternate(List.of(quorum, classic), single.options().warmup(),
					single.options().rounds(), single.log());
			results.values().forEach(single.report()::addMeasurements);
			single.report()
				.add(List.of(ResultRow.of(results.get(DRAIN_CLASSIC)),
						ResultRow.compared(results.get(DRAIN_QUORUM), results.get(DRAIN_CLASSIC), 0).withoutGoal()));
		}
	}

	private DrainScenario.SpringContender drainContender(Context context, Payloads payloads, String name, String queue,
			Map<String, Object> more) {
		Map<String, Object> properties = new LinkedHashMap<>(more);
		properties.put("bench.queue", queue);
		properties.put("hare.listeners.drain.prefetch", context.options().prefetch());
		properties.put("hare.listeners.drain.concurrency", context.options().concurrency());
		ConfigurableApplicationContext application = SpringContexts.start(HareDrainApplication.class,
				context.broker().address(), properties);
		MessageListenerContainer container = application.getBean(HareListenerRegistry.class)
			.getListener("drain")
			.orElseThrow()
			.getContainer();
		// Each round starts the listener on a full queue.
		container.stop();
		return new DrainScenario.SpringContender(id(), name, context, payloads, queue, application, container);
	}

	private void publish(Context single, Context onCluster, LocalCluster cluster, Payloads payloads) throws Exception {
		String quorumQueue = onCluster.broker().newQueue("cluster-publish");
		onCluster.broker().declareQuorumQueue(quorumQueue);
		String quorumExchange = onCluster.broker().newExchange("cluster-publish", quorumQueue);
		String classicQueue = single.broker().newQueue("cluster-publish");
		single.broker().declareQueue(classicQueue);
		String classicExchange = single.broker().newExchange("cluster-publish", classicQueue);
		try (ConfigurableApplicationContext onQuorum = SpringContexts.start(HarePublishApplication.class,
				onCluster.broker().address(),
				Map.of("spring.rabbitmq.addresses", cluster.addresses(1), "hare.publishers.bench.exchange",
						quorumExchange, "hare.publishers.bench.routing-key", quorumQueue));
				ConfigurableApplicationContext onClassic = SpringContexts.start(HarePublishApplication.class,
						single.broker().address(), Map.of("hare.publishers.bench.exchange", classicExchange,
								"hare.publishers.bench.routing-key", classicQueue))) {
			HarePublisher quorum = onQuorum.getBean(HarePublishers.class).get("bench");
			HarePublisher classic = onClassic.getBean(HarePublishers.class).get("bench");
			List<Contender> contenders = List.of(
					new PublishBlockingScenario.BlockingContender(PUBLISH_QUORUM, id(), onCluster, quorumQueue, payloads,
							quorum::publish),
					new PublishBlockingScenario.BlockingContender(PUBLISH_CLASSIC, id(), single, classicQueue, payloads,
							classic::publish));
			Map<String, List<Measurement>> results = Rounds.alternate(contenders, single.options().warmup(),
					single.options().rounds(), single.log());
			results.values().forEach(single.report()::addMeasurements);
			single.report()
				.add(List.of(ResultRow.of(results.get(PUBLISH_CLASSIC)),
						ResultRow.compared(results.get(PUBLISH_QUORUM), results.get(PUBLISH_CLASSIC), 0)
							.withoutGoal()));
		}
	}

	/**
	 * Each round: a quorum queue with a backlog, a listener connected to the node leading it;
	 * that node stops while the listener consumes. The pause is the longest time in which the
	 * listener handled nothing, sampled every millisecond, until it consumes again.
	 */
	private void failover(Context onCluster, LocalCluster cluster, Payloads payloads) throws Exception {
		BenchBroker broker = onCluster.broker();
		String queue = broker.newQueue("cluster-failover");
		broker.declareQuorumQueue(queue);
		List<Double> pauses = new ArrayList<>();
		for (int round = 1; round <= onCluster.options().rounds(); round++) {
			broker.publish(queue, FAILOVER_BACKLOG, payloads::body);
			int leader = cluster.leader(queue);
			try (ConfigurableApplicationContext application = SpringContexts.start(
					ScalerApplications.HareScalerApplication.class, broker.address(),
					Map.of("bench.queue", queue, "hare.listeners.scaler.queue.type", "quorum",
							"hare.listeners.scaler.concurrency", onCluster.options().concurrency(),
							"hare.listeners.scaler.prefetch", onCluster.options().prefetch(), "spring.rabbitmq.addresses",
							cluster.addresses(leader),
							// The stopped node closes connections on purpose: no stack traces for it.
							"logging.level.org.springframework.amqp", "OFF"))) {
				SlowHandlerProbe probe = application.getBean(SlowHandlerProbe.class);
				probe.setHandlerTime(HANDLER_TIME);
				double pause = pauseAcrossStop(probe, () -> cluster.stopNode(leader));
				pauses.add(pause);
				onCluster.log()
					.println(String.format(Locale.ROOT, "  %-16s %-8s %-40s pause %.0f ms (node %d stopped)", id(),
							"round " + round, FAILOVER, pause, leader));
			}
			finally {
				cluster.startNode(leader);
			}
			broker.purge(queue);
		}
		double p50 = Stats.percentile(pauses, 50);
		double p99 = Stats.percentile(pauses, 99);
		onCluster.report()
			.add(List.of(new ResultRow(id(), FAILOVER, Double.NaN, p50, p99, null, "p99 ≤ 2000 ms", p99 <= 2000,
					pauses.size() + " rounds, " + FAILOVER_BACKLOG + " messages backlog, handler "
							+ HANDLER_TIME.toMillis() + " ms, pauses (ms) " + pauses.stream()
								.map((pause) -> String.format(Locale.ROOT, "%.0f", pause))
								.toList())));
	}

	private static double pauseAcrossStop(SlowHandlerProbe probe, Runnable stop) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (probe.received() < 500) {
			check(deadline, "The failover listener did not start consuming");
			TimeUnit.MILLISECONDS.sleep(1);
		}
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(stop);
		long last = probe.received();
		long lastChange = System.nanoTime();
		long longest = 0;
		long resumedAfterStop = -1;
		while (true) {
			check(deadline, "The failover listener did not consume again within 60 s of the node stop");
			TimeUnit.MILLISECONDS.sleep(1);
			long now = System.nanoTime();
			long received = probe.received();
			if (received != last) {
				longest = Math.max(longest, now - lastChange);
				last = received;
				lastChange = now;
				if (stopped.isDone() && resumedAfterStop < 0) {
					resumedAfterStop = received;
				}
			}
			if (received >= FAILOVER_BACKLOG) {
				throw new IllegalStateException("The failover backlog ran out before the node stop was over");
			}
			// Consuming again for a while after the node is down: the pause is over.
			if (resumedAfterStop >= 0 && received - resumedAfterStop >= 200) {
				stopped.join();
				return longest / 1e6;
			}
		}
	}

	private static void check(long deadline, String failure) {
		if (System.nanoTime() > deadline) {
			throw new IllegalStateException(failure);
		}
	}

}
