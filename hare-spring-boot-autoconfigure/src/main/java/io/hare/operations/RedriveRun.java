package io.hare.operations;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

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
 * One run of a {@link DeadLetterRedriver redrive}, on one channel that takes the dead letters:
 * each matching one is copied to the work queue without its failure headers, and acked only
 * once the copy was confirmed; the others are held unacked and returned at the end.
 */
final class RedriveRun {

	private static final Log logger = LogFactory.getLog(RedriveRun.class);

	private static final List<String> FAILURE_HEADERS = List.of(HareHeaders.ATTEMPT, HareHeaders.EXCEPTION,
			HareHeaders.EXCEPTION_MESSAGE, HareHeaders.FAILED_AT, RepublishMessageRecoverer.X_EXCEPTION_MESSAGE,
			RepublishMessageRecoverer.X_EXCEPTION_STACKTRACE);

	private final BiConsumer<String, Message> sender;

	private final String deadQueue;

	private final String workQueue;

	private final RedriveRequest request;

	private final long scanLimit;

	private final long intervalNanos;

	private volatile int republished;

	private volatile int skipped;

	/**
	 * Create a run.
	 * @param sender sends a copy and waits for the broker's confirm
	 * @param rate the most dead letters to republish per second; zero or less for no limit
	 * @param deadQueue the dead-letter queue
	 * @param workQueue the work queue to move them to
	 * @param request which dead letters to move
	 * @param scanLimit the most dead letters to look at
	 */
	RedriveRun(BiConsumer<String, Message> sender, int rate, String deadQueue, String workQueue,
			RedriveRequest request, long scanLimit) {
		this.sender = sender;
		this.deadQueue = deadQueue;
		this.workQueue = workQueue;
		this.request = request;
		this.scanLimit = scanLimit;
		this.intervalNanos = (rate > 0) ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
	}

	RedriveResult run(Channel channel) throws Exception {
		long lastSkippedTag = -1;
		long inFlightTag = -1;
		long scanned = 0;
		long nextSend = System.nanoTime();
		try {
			while (true) {
				if (this.republished >= this.request.maxMessages()) {
					return result(RedriveResult.Stop.COUNT_REACHED);
				}
				if (scanned >= this.scanLimit) {
					return result(RedriveResult.Stop.ALL_SCANNED);
				}
				GetResponse response = channel.basicGet(this.deadQueue, false);
				if (response == null) {
					return result(RedriveResult.Stop.EMPTY);
				}
				scanned++;
				long tag = response.getEnvelope().getDeliveryTag();
				Message deadLetter = DeadLetters.toMessage(response);
				if (!this.request.matches(deadLetter)) {
					// Held unacked until the end so that the next get moves on to the next one.
					lastSkippedTag = tag;
					this.skipped++;
					continue;
				}
				inFlightTag = tag;
				nextSend = pace(nextSend);
				this.sender.accept(this.workQueue, copyForRetry(deadLetter));
				channel.basicAck(tag, false);
				inFlightTag = -1;
				this.republished++;
			}
		}
		finally {
			// A copy that was not confirmed leaves its dead letter where it was.
			DeadLetters.requeue(channel, inFlightTag);
			DeadLetters.requeueUpTo(channel, lastSkippedTag);
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
		logger.info("Redrive of '" + this.deadQueue + "' to '" + this.workQueue + "' republished "
				+ this.republished + " message(s), skipped " + this.skipped + ": " + stop);
		return new RedriveResult(this.republished, this.skipped, stop, null);
	}

	int republished() {
		return this.republished;
	}

	int skipped() {
		return this.skipped;
	}

}
