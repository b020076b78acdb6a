package io.hare.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers when each delayed order is due and how late (or early) it arrived.
 */
public class DelayProbe {

	private volatile long[] dueNanos = new long[0];

	private volatile double[] latenessMillis = new double[0];

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private volatile CountDownLatch done = new CountDownLatch(1);

	/**
	 * Start a run of orders numbered from 0.
	 * @param messages how many
	 */
	public void expect(int messages) {
		this.dueNanos = new long[messages];
		double[] lateness = new double[messages];
		Arrays.fill(lateness, Double.NaN);
		this.latenessMillis = lateness;
		this.received.set(0);
		this.duplicates.set(0);
		this.done = new CountDownLatch(1);
	}

	/**
	 * Say when an order is due, before it is sent.
	 * @param id the order's number
	 * @param delay its delay
	 */
	public void sending(int id, Duration delay) {
		this.dueNanos[id] = System.nanoTime() + delay.toNanos();
	}

	/**
	 * Record an order's arrival.
	 * @param order the order
	 */
	public void arrived(Order order) {
		long now = System.nanoTime();
		int id = (int) order.id();
		synchronized (this) {
			if (!Double.isNaN(this.latenessMillis[id])) {
				this.duplicates.incrementAndGet();
				return;
			}
			this.latenessMillis[id] = (now - this.dueNanos[id]) / 1e6;
		}
		if (this.received.incrementAndGet() == this.latenessMillis.length) {
			this.done.countDown();
		}
	}

	/**
	 * Wait until every order arrived.
	 * @param timeout how long at most
	 * @throws IllegalStateException if they did not in time
	 */
	public void await(Duration timeout) throws InterruptedException {
		if (!this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("Only " + this.received.get() + " of " + this.latenessMillis.length
					+ " delayed messages arrived in " + timeout);
		}
	}

	/**
	 * Return how late each order arrived, by its number; negative if early.
	 * @return milliseconds
	 */
	public double[] latenessMillis() {
		return this.latenessMillis.clone();
	}

	public long duplicates() {
		return this.duplicates.get();
	}

}
