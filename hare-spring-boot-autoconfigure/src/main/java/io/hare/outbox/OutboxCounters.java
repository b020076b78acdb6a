package io.hare.outbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the relays of one outbox have done since it started.
 */
final class OutboxCounters {

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	void countSent() {
		this.sent.incrementAndGet();
	}

	void countFailed(int count) {
		this.failed.addAndGet(count);
	}

	void countDuplicate() {
		this.duplicates.incrementAndGet();
	}

	long sent() {
		return this.sent.get();
	}

	long failed() {
		return this.failed.get();
	}

	long duplicates() {
		return this.duplicates.get();
	}

}
