package io.hare.connection;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Holds back the acks a listener container sends on one channel and sends one multiple ack
 * for every {@code batchSize} messages, or {@code timeout} after the first one held back,
 * whichever comes first. A reject, nack or close first sends the ack held back, so that it
 * settles only what it names and a stopping consumer redelivers nothing. The ack of a
 * delivery can also wait for something else, such as the confirm of its retry copy: the
 * multiple ack then stops below it until that is done, or requeues it alone if that fails.
 * <p>
 * Safe because the container settles each delivery in order, one at a time: every tag up to
 * the last one it acked was acked, rejected or waits here. A multiple ack must name a tag
 * still unsettled (the broker closes the channel otherwise), so it skips the rejected ones.
 */
final class BatchedAcks {

	private static final Log logger = LogFactory.getLog(BatchedAcks.class);

	private final Channel channel;

	private final int batchSize;

	private final Duration timeout;

	private final TaskScheduler scheduler;

	private final ReentrantLock lock = new ReentrantLock();

	/**
	 * Completes once a delivery waiting for something else has been settled here.
	 */
	private final Map<Long, CompletableFuture<?>> settling = new HashMap<>();

	private final NavigableSet<Long> awaitedTags = new TreeSet<>();

	private final NavigableSet<Long> rejectedTags = new TreeSet<>();

	/**
	 * The highest tag the container acked; the broker has not been told yet if above
	 * {@link #ackedTag}.
	 */
	private long heldTag;

	/**
	 * The highest tag the container acked or rejected.
	 */
	private long lastTag;

	/**
	 * Every tag up to this one is settled: by a multiple ack sent, or rejected.
	 */
	private long ackedTag;

	private boolean flushScheduled;

	BatchedAcks(Channel channel, int batchSize, Duration timeout, TaskScheduler scheduler) {
		this.channel = channel;
		this.batchSize = batchSize;
		this.timeout = timeout;
		this.scheduler = scheduler;
	}

	/**
	 * Hold back the ack of a delivery, and of every one before it, or send it if the batch
	 * is full.
	 * @param deliveryTag the delivery tag
	 * @throws IOException if the ack cannot be sent
	 */
	void ack(long deliveryTag) throws IOException {
		this.lock.lock();
		try {
			this.heldTag = Math.max(this.heldTag, deliveryTag);
			this.lastTag = Math.max(this.lastTag, deliveryTag);
			flushIfDue();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Hold back the ack of a delivery, and of every later one, until {@code done} completes;
	 * if it completes exceptionally, requeue the delivery on its own.
	 * @param deliveryTag the delivery tag
	 * @param done completes when the delivery may be acked
	 */
	void ackWhenDone(long deliveryTag, CompletionStage<?> done) {
		this.lock.lock();
		try {
			this.awaitedTags.add(deliveryTag);
		}
		finally {
			this.lock.unlock();
		}
		// Runs on the thread that completes it, often the connection's own: only writes here.
		CompletableFuture<?> settled = done.whenComplete((result, failure) -> done(deliveryTag, failure))
			.toCompletableFuture();
		this.lock.lock();
		try {
			if (this.awaitedTags.contains(deliveryTag)) {
				this.settling.put(deliveryTag, settled);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void done(long deliveryTag, @Nullable Throwable failure) {
		this.lock.lock();
		try {
			if (!this.awaitedTags.remove(deliveryTag)) {
				return;
			}
			this.settling.remove(deliveryTag);
			if (!this.channel.isOpen()) {
				return;
			}
			if (failure != null) {
				this.rejectedTags.add(deliveryTag);
				this.channel.basicNack(deliveryTag, false, true);
			}
			flushIfDue();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not settle a delivery whose ack was held back; the broker redelivers it", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Send the ack held back, then requeue or reject, each on its own, the deliveries the
	 * container names, under the same lock so that they reach the broker in that order. The
	 * container names them with one multiple nack, which would also settle the deliveries
	 * whose ack is held back here.
	 * @param deliveryTag the tag the container's nack or reject names
	 * @param multiple whether it names every delivery up to the tag that it did not settle
	 * @param requeue whether to requeue them
	 * @throws IOException if one cannot be sent
	 */
	void reject(long deliveryTag, boolean multiple, boolean requeue) throws IOException {
		this.lock.lock();
		try {
			flush();
			long first = multiple ? this.lastTag + 1 : deliveryTag;
			for (long tag = first; tag <= deliveryTag; tag++) {
				this.rejectedTags.add(tag);
				this.channel.basicNack(tag, false, requeue);
			}
			this.lastTag = Math.max(this.lastTag, deliveryTag);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Send the ack held back before the channel closes, waiting a while for the deliveries
	 * whose ack waits for something else; what cannot be sent the broker requeues, as after a
	 * crash.
	 * @param wait how long to wait for those deliveries at most
	 */
	void flushBeforeClose(Duration wait) {
		List<CompletableFuture<@Nullable Object>> pending;
		this.lock.lock();
		try {
			pending = this.settling.values().stream()
				.map((settled) -> settled.<@Nullable Object>handle((result, failure) -> null))
				.toList();
		}
		finally {
			this.lock.unlock();
		}
		if (!pending.isEmpty()) {
			try {
				CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
					.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.debug("Closing a channel with deliveries whose ack still waits; the broker redelivers them", ex);
			}
		}
		this.lock.lock();
		try {
			flush();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send the acks held back before the channel closed", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void flushIfDue() throws IOException {
		if (this.heldTag - this.ackedTag >= this.batchSize) {
			flush();
		}
		if (!this.flushScheduled && this.heldTag > this.ackedTag) {
			scheduleFlush();
		}
	}

	private void scheduleFlush() throws IOException {
		try {
			this.scheduler.schedule(this::flushOnTimeout, Instant.now().plus(this.timeout));
			this.flushScheduled = true;
		}
		catch (TaskRejectedException ex) {
			// The scheduler is shutting down: hold nothing back that no one would send.
			flush();
		}
	}

	private void flushOnTimeout() {
		this.lock.lock();
		try {
			this.flushScheduled = false;
			if (this.channel.isOpen()) {
				flush();
				if (this.heldTag > this.ackedTag) {
					// Some wait for something else: look again later.
					scheduleFlush();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send the acks held back; the broker redelivers those messages", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	// One multiple ack up to the highest delivery held back below the first one that waits,
	// naming a tag that is still unsettled; every tag up to the limit is settled after it.
	private void flush() throws IOException {
		long limit = this.awaitedTags.isEmpty() ? this.heldTag
				: Math.min(this.heldTag, this.awaitedTags.first() - 1);
		if (limit <= this.ackedTag) {
			return;
		}
		long tag = limit;
		while (tag > this.ackedTag && this.rejectedTags.contains(tag)) {
			tag--;
		}
		long previous = this.ackedTag;
		// Settled even if the ack fails: the channel is then gone, and its tags with it.
		this.ackedTag = limit;
		this.rejectedTags.headSet(limit, true).clear();
		if (tag > previous) {
			this.channel.basicAck(tag, true);
		}
	}

}
