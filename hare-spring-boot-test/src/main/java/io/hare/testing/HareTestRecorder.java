package io.hare.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.hare.listener.HandledMessage;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerObserver;
import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublishObserver;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;

/**
 * Records, through Hare's observer SPIs, every message each listener handled, every outcome
 * of each publisher and every listener created, and wakes those awaiting a change.
 */
final class HareTestRecorder implements HareListenerObserver, HarePublishObserver {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final List<HandledMessage> handled = new ArrayList<>();

	private final Map<String, List<PublishResult>> published = new LinkedHashMap<>();

	private final Map<String, List<HarePublishException>> failed = new LinkedHashMap<>();

	private final Map<String, HareListenerContainer> created = new LinkedHashMap<>();

	@Override
	public void listenerCreated(HareListenerContainer listener) {
		// Kept after the listener is removed: its queues are still to be cleaned up.
		locked(() -> this.created.put(listener.getId() + "@" + listener.getTopology().queue(), listener));
	}

	@Override
	public void messageHandled(HandledMessage message) {
		record(() -> this.handled.add(message));
	}

	@Override
	public void published(HarePublisher publisher, PublishResult result) {
		record(() -> this.published.computeIfAbsent(publisher.getName(), (name) -> new ArrayList<>()).add(result));
	}

	@Override
	public void failed(HarePublisher publisher, HarePublishException failure) {
		record(() -> this.failed.computeIfAbsent(publisher.getName(), (name) -> new ArrayList<>()).add(failure));
	}

	private void record(Runnable change) {
		this.lock.lock();
		try {
			change.run();
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Forget every message and publish recorded so far; the listeners created are kept.
	 */
	void reset() {
		record(() -> {
			this.handled.clear();
			this.published.clear();
			this.failed.clear();
		});
	}

	List<HandledMessage> handled(String listenerId) {
		return locked(() -> this.handled.stream().filter((message) -> message.listenerId().equals(listenerId)).toList());
	}

	List<PublishResult> published(String publisherName) {
		return locked(() -> List.copyOf(this.published.getOrDefault(publisherName, List.of())));
	}

	List<HarePublishException> failed(String publisherName) {
		return locked(() -> List.copyOf(this.failed.getOrDefault(publisherName, List.of())));
	}

	List<HareListenerContainer> createdListeners() {
		return locked(() -> List.copyOf(this.created.values()));
	}

	private <T> T locked(Supplier<T> read) {
		this.lock.lock();
		try {
			return read.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until the check, given a listener's messages so far, finds something, or the
	 * timeout passes.
	 * @param listenerId the listener
	 * @param timeout how long to wait
	 * @param check what to look for, empty to go on waiting
	 * @return what the check found, empty after the timeout
	 */
	<T> Optional<T> await(String listenerId, Duration timeout, Function<List<HandledMessage>, Optional<T>> check) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			while (true) {
				Optional<T> found = check.apply(handled(listenerId));
				long left = deadline - System.nanoTime();
				if (found.isPresent() || left <= 0) {
					return found;
				}
				this.changed.await(left, TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while awaiting listener '" + listenerId + "'", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

}
