package io.hare.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the messages a listener handled and says when a round's worth arrived. Every
 * contender's handler does exactly this, after its payload was decoded.
 */
public class MessageProbe {

	private final AtomicLong received = new AtomicLong();

	private volatile long expected = Long.MAX_VALUE;

	private volatile CountDownLatch done = new CountDownLatch(1);

	/**
	 * Start a round.
	 * @param messages how many messages make it complete
	 */
	public void expect(long messages) {
		this.received.set(0);
		this.done = new CountDownLatch(1);
		this.expected = messages;
	}

	/**
	 * Count a handled message.
	 * @param order the decoded payload
	 */
	public void record(Order order) {
		if (this.received.incrementAndGet() == this.expected) {
			this.done.countDown();
		}
	}

	/**
	 * Wait until the round is complete.
	 * @param timeout how long at most
	 * @throws IllegalStateException if it did not complete in time
	 */
	public void await(Duration timeout) throws InterruptedException {
		if (!this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(
					"Only " + this.received.get() + " of " + this.expected + " messages arrived in " + timeout);
		}
	}

	public long received() {
		return this.received.get();
	}

}
