package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Publishes a round's orders asynchronously (Hare's {@code publishAsync}, or a plain
 * {@code RabbitTemplate} send with a {@code CorrelationData}), at most a window of them
 * unconfirmed, timing each from the call to its confirm.
 */
final class AsyncPublishContender implements Contender {

	private final String scenario;

	private final String name;

	private final Scenario.Context context;

	private final @Nullable String queue;

	private final AsyncPublish publisher;

	private final Payloads payloads;

	/**
	 * Create a contender.
	 * @param queue the queue to purge after each round, or {@code null} for a stream, which
	 * keeps its records
	 */
	AsyncPublishContender(String scenario, String name, Scenario.Context context, @Nullable String queue,
			AsyncPublish publisher) {
		this.scenario = scenario;
		this.name = name;
		this.context = context;
		this.queue = queue;
		this.publisher = publisher;
		this.payloads = new Payloads(context.options().payloadBytes());
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Measurement run(int round) throws Exception {
		int messages = this.context.options().messages();
		// Distinct ids in every round, so that a dedup store never finds a duplicate.
		long firstId = (round + 100L) * 10_000_000L;
		List<Order> orders = new ArrayList<>(messages);
		for (int i = 0; i < messages; i++) {
			orders.add(this.payloads.order(firstId + i));
		}
		Semaphore window = new Semaphore(this.context.options().inFlight());
		long[] latencies = new long[messages];
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CompletableFuture<?>[] futures = new CompletableFuture<?>[messages];
		CpuTime.Window cpu = new CpuTime.Window();
		long start = System.nanoTime();
		for (int i = 0; i < messages; i++) {
			window.acquire();
			int index = i;
			long sent = System.nanoTime();
			futures[i] = this.publisher.publish(orders.get(i)).whenComplete((result, ex) -> {
				latencies[index] = System.nanoTime() - sent;
				if (ex != null) {
					failure.compareAndSet(null, ex);
				}
				window.release();
			});
		}
		CompletableFuture.allOf(futures).get(DrainScenario.timeout(messages).toSeconds(), TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - start) / 1e9;
		long cpuNanos = cpu.stop();
		if (failure.get() != null) {
			throw new IllegalStateException(this.name + " failed to publish", failure.get());
		}
		if (this.queue != null) {
			this.context.broker().purge(this.queue);
		}
		Latencies recorded = new Latencies(messages);
		for (long latency : latencies) {
			recorded.record(latency);
		}
		return new Measurement(this.scenario, this.name, round, messages, seconds, recorded.percentileMillis(50),
				recorded.percentileMillis(99)).withCpu(cpuNanos);
	}

	/**
	 * What one contender does to publish one order without waiting.
	 */
	@FunctionalInterface
	interface AsyncPublish {

		/**
		 * Publish an order.
		 * @param order the order
		 * @return a future completed once the broker confirmed it, or failed
		 */
		CompletableFuture<?> publish(Order order);

	}

}
