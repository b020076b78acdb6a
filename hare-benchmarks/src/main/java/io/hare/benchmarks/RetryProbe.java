package io.hare.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handler's stand-in that fails each message a set number of times, then succeeds, and
 * remembers when each attempt began, so that each retry's lateness can be computed.
 */
public class RetryProbe {

	private final Map<Long, long[]> attempts = new ConcurrentHashMap<>();

	private final AtomicLong succeeded = new AtomicLong();

	private volatile int failures;

	private volatile long expected = Long.MAX_VALUE;

	private volatile CountDownLatch done = new CountDownLatch(1);

	/**
	 * Start a round.
	 * @param messages how many messages make it complete
	 * @param failures how many attempts of each fail before one succeeds
	 */
	public void expect(long messages, int failures) {
		this.attempts.clear();
		this.succeeded.set(0);
		this.failures = failures;
		this.done = new CountDownLatch(1);
		this.expected = messages;
	}

	/**
	 * Handle an attempt: fail it if the message has failures left.
	 * @param order the decoded payload
	 * @throws IllegalStateException for an attempt that is planned to fail
	 */
	public void attempt(Order order) {
		long now = System.nanoTime();
		long[] times = this.attempts.computeIfAbsent(order.id(), (id) -> new long[this.failures + 2]);
		int attempt;
		synchronized (times) {
			// Slot 0 counts the attempts; a redelivery past the last planned one is not timed.
			attempt = (int) Math.min(++times[0], times.length - 1);
			times[attempt] = now;
		}
		if (attempt <= this.failures) {
			throw new IllegalStateException("Attempt " + attempt + " of order " + order.id() + " fails on purpose");
		}
		if (attempt == this.failures + 1 && this.succeeded.incrementAndGet() == this.expected) {
			this.done.countDown();
		}
	}

	/**
	 * Wait until every message succeeded.
	 * @param timeout how long at most
	 * @throws IllegalStateException if they did not in time
	 */
	public void await(Duration timeout) throws InterruptedException {
		if (!this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("Only " + this.succeeded.get() + " of " + this.expected
					+ " messages succeeded in " + timeout);
		}
	}

	/**
	 * Return how much later than its delay each retry began: the time between a failed
	 * attempt and the next, less the delay configured for that retry.
	 * @param delays the delay of retry {@code i} is {@code delays[min(i, n - 1)]}
	 * @return the lateness of every retry, in milliseconds
	 */
	public List<Double> latenessMillis(List<Duration> delays) {
		List<Double> lateness = new ArrayList<>();
		for (long[] times : this.attempts.values()) {
			for (int retry = 1; retry <= this.failures && retry + 1 < times.length && times[retry + 1] != 0; retry++) {
				Duration delay = delays.get(Math.min(retry - 1, delays.size() - 1));
				lateness.add((times[retry + 1] - times[retry]) / 1e6 - delay.toMillis());
			}
		}
		return lateness;
	}

}
