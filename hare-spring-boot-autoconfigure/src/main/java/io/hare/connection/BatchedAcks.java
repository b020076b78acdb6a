package io.hare.connection;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Holds back the acks a listener container sends on one channel and sends one multiple ack
 * for every {@code batchSize} messages, or {@code timeout} after the first one held back,
 * whichever comes first. A reject, nack or close first sends the ack held back, so that it
 * settles only what it names and a stopping consumer redelivers nothing.
 * <p>
 * Safe because the container settles each delivery in order, one at a time: every tag below
 * the last acked one was acked or rejected already. Delivery tags count the deliveries of a
 * channel, so the highest tag held back less the last one settled is the number held back.
 */
final class BatchedAcks {

	private static final Log logger = LogFactory.getLog(BatchedAcks.class);

	private final Channel channel;

	private final int batchSize;

	private final Duration timeout;

	private final TaskScheduler scheduler;

	private final ReentrantLock lock = new ReentrantLock();

	private long heldTag;

	private long settledTag;

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
			if (deliveryTag > this.heldTag) {
				this.heldTag = deliveryTag;
			}
			if (this.heldTag - this.settledTag >= this.batchSize) {
				flush();
			}
			else if (!this.flushScheduled) {
				scheduleFlush();
			}
		}
		finally {
			this.lock.unlock();
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

	/**
	 * Send the ack held back, then settle a delivery otherwise (a reject or nack), under the
	 * same lock so that the two reach the broker in that order.
	 * @param deliveryTag the tag the other settlement names
	 * @param settlement sends the other settlement
	 * @throws IOException if either cannot be sent
	 */
	void settle(long deliveryTag, Settlement settlement) throws IOException {
		this.lock.lock();
		try {
			flush();
			settlement.send();
			if (deliveryTag > this.settledTag) {
				this.settledTag = deliveryTag;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Send the ack held back before the channel closes; when that fails the broker requeues
	 * the messages, as after a crash.
	 */
	void flushBeforeClose() {
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

	private void flushOnTimeout() {
		this.lock.lock();
		try {
			this.flushScheduled = false;
			if (this.channel.isOpen()) {
				flush();
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send the acks held back; the broker redelivers those messages", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void flush() throws IOException {
		if (this.heldTag > this.settledTag) {
			long tag = this.heldTag;
			// Settled even if the ack fails: the channel is then gone, and its tags with it.
			this.settledTag = tag;
			this.channel.basicAck(tag, true);
		}
	}

	/**
	 * A settlement other than an ack, such as a reject.
	 */
	@FunctionalInterface
	interface Settlement {

		void send() throws IOException;

	}

}
