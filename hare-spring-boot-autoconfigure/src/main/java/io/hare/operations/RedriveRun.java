package io.hare.operations;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.retry.HareHeaders;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecoverer;

/**
 * One run of a {@link DeadLetterRedriver redrive} or deletion, on one channel that takes the
 * dead letters: each chosen one is acted on (for a redrive, copied to the work queue without its
 * failure headers and confirmed) and acked only once that action returned; the others are held
 * unacked and returned, in their order, at the end.
 */
final class RedriveRun {

	private static final Log logger = LogFactory.getLog(RedriveRun.class);

	private static final List<String> FAILURE_HEADERS = List.of(HareHeaders.ATTEMPT, HareHeaders.EXCEPTION,
			HareHeaders.EXCEPTION_MESSAGE, HareHeaders.FAILED_AT, RepublishMessageRecoverer.X_EXCEPTION_MESSAGE,
			RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);

	private final Action action;

	private final String deadQueue;

	private final String description;

	private final Predicate<Message> selector;

	private final int maxMessages;

	private final long scanLimit;

	private final long intervalNanos;

	private volatile int actedOn;

	private volatile int skipped;

	/**
	 * Create a run.
	 * @param action what to do with each chosen dead letter before it is acked; it throws to
	 * leave the dead letter where it was
	 * @param rate the most dead letters to act on per second; zero or less for no limit
	 * @param deadQueue the dead-letter queue
	 * @param description what the run did, for its log line, such as
	 * {@code Redrive of 'q.dead' to 'q' republished}
	 * @param selector which dead letters to act on
	 * @param maxMessages the most dead letters to act on
	 * @param scanLimit the most dead letters to look at
	 */
	private RedriveRun(Action action, int rate, String deadQueue, String description, Predicate<Message> selector,
			int maxMessages, long scanLimit) {
		this.action = action;
		this.deadQueue = deadQueue;
		this.description = description;
		this.selector = selector;
		this.maxMessages = maxMessages;
		this.scanLimit = scanLimit;
		this.intervalNanos = (rate > 0) ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
	}

	/**
	 * A run that republishes each dead letter to the work queue.
	 * @param sender sends a copy to a queue and waits for the broker's confirm
	 * @param rate the most dead letters to republish per second; zero or less for no limit
	 * @param deadQueue the dead-letter queue
	 * @param workQueue the work queue to move them to
	 * @param selector which dead letters to move
	 * @param maxMessages the most dead letters to move
	 * @param scanLimit the most dead letters to look at
	 * @return the run
	 */
	static RedriveRun redrive(BiConsumer<String, Message> sender, int rate, String deadQueue, String workQueue,
			Predicate<Message> selector, int maxMessages, long scanLimit) {
		return new RedriveRun((deadLetter) -> sender.accept(workQueue, copyForRetry(deadLetter)), rate, deadQueue,
				"Redrive of '" + deadQueue + "' to '" + workQueue + "' republished", selector, maxMessages, scanLimit);
	}

	/**
	 * A run that deletes each chosen dead letter: acking it is all there is to do.
	 * @param deadQueue the dead-letter queue
	 * @param selector which dead letters to delete
	 * @param maxMessages the most dead letters to delete
	 * @param scanLimit the most dead letters to look at
	 * @return the run
	 */
	static RedriveRun delete(String deadQueue, Predicate<Message> selector, int maxMessages, long scanLimit) {
		return new RedriveRun((deadLetter) -> {
		}, 0, deadQueue, "Deletion of dead letters from '" + deadQueue + "' deleted", selector, maxMessages,
				scanLimit);
	}

	RedriveResult run(Channel channel) throws Exception {
		long lastSkippedTag = -1;
		long inFlightTag = -1;
		long scanned = 0;
		long left = 0;
		long nextSend = System.nanoTime();
		try {
			while (true) {
				if (this.actedOn >= this.maxMessages) {
					return result(RedriveResult.Stop.COUNT_REACHED);
				}
				if (scanned >= this.scanLimit) {
					return result(RedriveResult.Stop.ALL_SCANNED);
				}
				GetResponse response = channel.basicGet(this.deadQueue, false);
				if (response == null) {
					left = 0;
					return result(RedriveResult.Stop.EMPTY);
				}
				scanned++;
				left = response.getMessageCount();
				long tag = response.getEnvelope().getDeliveryTag();
				Message deadLetter = DeadLetters.toMessage(response);
				if (!this.selector.test(deadLetter)) {
					// Held unacked until the end so that the next get moves on to the next one.
					lastSkippedTag = tag;
					this.skipped++;
					continue;
				}
				inFlightTag = tag;
				nextSend = pace(nextSend);
				this.action.apply(deadLetter);
				channel.basicAck(tag, false);
				inFlightTag = -1;
				this.actedOn++;
			}
		}
		finally {
			// A copy that was not confirmed leaves its dead letter where it was.
			DeadLetters.requeue(channel, inFlightTag);
			DeadLetters.requeueUpTo(channel, this.deadQueue, lastSkippedTag,
					left + this.skipped + ((inFlightTag >= 0) ? 1 : 0));
		}
	}

	private long pace(long nextSend) throws InterruptedException {
		long wait = nextSend - System.nanoTime();
		if (wait > 0) {
			TimeUnit.NANOSECONDS.sleep(wait);
		}
		return Math.max(nextSend, System.nanoTime() - this.intervalNanos) + this.intervalNanos;
	}

	private static Message copyForRetry(Message deadLetter) {
		MessageProperties properties = deadLetter.getMessageProperties();
		FAILURE_HEADERS.forEach(properties.getHeaders()::remove);
		MessageDeliveryMode deliveryMode = properties.getReceivedDeliveryMode();
		properties.setDeliveryMode((deliveryMode != null) ? deliveryMode : MessageDeliveryMode.PERSISTENT);
		return deadLetter;
	}

	private RedriveResult result(RedriveResult.Stop stop) {
		logger.info(this.description + " " + this.actedOn + " message(s), skipped " + this.skipped + ": " + stop);
		return new RedriveResult(this.actedOn, this.skipped, stop, null);
	}

	/**
	 * What a run does with a chosen dead letter before acking it.
	 */
	@FunctionalInterface
	interface Action {

		void apply(Message deadLetter);

	}

	int actedOn() {
		return this.actedOn;
	}

	int skipped() {
		return this.skipped;
	}

}
