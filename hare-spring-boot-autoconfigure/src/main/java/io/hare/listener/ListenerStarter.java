package io.hare.listener;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Starts many listeners at once. Each start waits on the broker several times (its queues'
 * declarations, quorum delay queues being the slowest, then its consumers' channels, queue
 * checks and consumes) while using little CPU, so one after the other most of a large
 * application's start-up was spent waiting. Every listener declares its topology before any
 * consumer starts, so its delay queues exist before its first retry.
 */
final class ListenerStarter {

	// A few channels at a time: enough to overlap the broker's replies, few enough not to
	// crowd a broker other applications share.
	static final int PARALLELISM = 8;

	private ListenerStarter() {
	}

	/**
	 * Start listeners, several at a time, and return once all started: first every
	 * listener's topology, then every listener's consumers.
	 * @param listeners the listeners, in registration order
	 * @throws RuntimeException the failure of the first listener, in registration order,
	 * that could not declare its topology (then none starts consuming) or start, once the
	 * others finished
	 */
	static void startAll(List<HareListenerContainer> listeners) {
		if (listeners.size() < 2) {
			listeners.forEach(HareListenerContainer::start);
			return;
		}
		CustomizableThreadFactory threads = new CustomizableThreadFactory("hare-start-");
		threads.setDaemon(true);
		ExecutorService executor = Executors.newFixedThreadPool(Math.min(PARALLELISM, listeners.size()), threads);
		try {
			// Every declaration ends before the first container starts: a starting consumer
			// walks the admin's remembered declarations, which a declaration running meanwhile
			// changes (Spring AMQP's check then fails with a ConcurrentModificationException).
			runAll(listeners, HareListenerContainer::declare, executor);
			runAll(listeners, HareListenerContainer::consume, executor);
		}
		finally {
			executor.shutdown();
		}
	}

	private static void runAll(List<HareListenerContainer> listeners, Consumer<HareListenerContainer> step,
			ExecutorService executor) {
		List<CompletableFuture<Void>> runs = listeners.stream()
			.map((listener) -> CompletableFuture.runAsync(() -> step.accept(listener), executor))
			.toList();
		RuntimeException failure = null;
		for (CompletableFuture<Void> run : runs) {
			try {
				run.join();
			}
			catch (CompletionException ex) {
				if (failure == null) {
					failure = (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
