package io.hare.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import com.rabbitmq.client.GetResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.support.ConfirmedSend;
import io.hare.support.OwnChannel;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.ChannelCallback;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.util.Assert;

/**
 * Looks at, moves back and purges the messages of a dead-letter queue.
 * <p>
 * A peek takes messages with {@code basic.get} without acking them and returns them all at
 * once with {@code basic.nack(requeue)}: they stay in the queue, at their place in a classic
 * queue (a quorum queue on RabbitMQ 4 counts it as a delivery towards its delivery limit).
 * <p>
 * A redrive takes one dead letter at a time, republishes it through the default exchange to
 * the work queue with its attempt count and failure headers removed, waits for the broker's
 * confirm, and only then acks the dead copy. A message is therefore never lost: if the
 * connection closes or the confirm does not come, the dead copy goes back to the dead-letter
 * queue. The one window left, a close between the confirm and the ack, can leave a message in
 * both queues, never in neither. A redrive looks at no more messages than the dead-letter queue
 * held when it started, so a message that fails again is not redriven in a loop.
 */
final class DeadLetterRedriver {

	private static final Log logger = LogFactory.getLog(DeadLetterRedriver.class);

	private final RabbitTemplate template;

	private final ConfirmType confirmType;

	private final RabbitAdmin admin;

	private Duration confirmTimeout = Duration.ofSeconds(10);

	private int rate = 100;

	/**
	 * Create a redriver.
	 * @param template a mandatory template on the connection of the queues, with publisher
	 * confirms of the given type
	 * @param confirmType the publisher confirm type of the template's connection factory
	 */
	DeadLetterRedriver(RabbitTemplate template, ConfirmType confirmType) {
		Assert.notNull(template, "'template' must not be null");
		Assert.isTrue(confirmType != ConfirmType.NONE, "'confirmType' must not be NONE: a redrive needs confirms");
		this.template = template;
		this.confirmType = confirmType;
		this.admin = new RabbitAdmin(template);
	}

	/**
	 * Set how long to wait for the broker to confirm a republished dead letter.
	 * @param confirmTimeout the confirm timeout
	 */
	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Set the most dead letters a redrive republishes per second.
	 * @param rate the rate; zero or less for no limit
	 */
	public void setRate(int rate) {
		this.rate = rate;
	}

	/**
	 * Return the first dead letters, leaving them in the queue.
	 * @param deadQueue the dead-letter queue
	 * @param count the most to return
	 * @return the dead letters, oldest first
	 */
	public List<Message> peek(String deadQueue, int count) {
		Assert.isTrue(count > 0, "'count' must be positive");
		return onOwnChannel((channel) -> {
			List<Message> taken = new ArrayList<>();
			long lastTag = -1;
			long left = 0;
			try {
				while (taken.size() < count) {
					GetResponse response = channel.basicGet(deadQueue, false);
					if (response == null) {
						left = 0;
						break;
					}
					lastTag = response.getEnvelope().getDeliveryTag();
					left = response.getMessageCount();
					taken.add(DeadLetters.toMessage(response));
				}
			}
			finally {
				DeadLetters.requeueUpTo(channel, deadQueue, lastTag, left + taken.size());
			}
			return taken;
		});
	}

	/**
	 * Move dead letters back to their work queue, at the {@link #setRate(int) rate}, each one
	 * removed from the dead-letter queue only once the broker confirmed its copy.
	 * @param deadQueue the dead-letter queue
	 * @param workQueue the work queue to move them to
	 * @param request which dead letters to move
	 * @return what was done
	 */
	public RedriveResult redrive(String deadQueue, String workQueue, RedriveRequest request) {
		return redrive(deadQueue, workQueue, request::matches, request.maxMessages());
	}

	/**
	 * Move the chosen dead letters back to their work queue, as {@link #redrive(String, String,
	 * RedriveRequest)} does.
	 * @param deadQueue the dead-letter queue
	 * @param workQueue the work queue to move them to
	 * @param selector which dead letters to move
	 * @param maxMessages the most to move
	 * @return what was done
	 */
	RedriveResult redrive(String deadQueue, String workQueue, Predicate<Message> selector, int maxMessages) {
		return run(deadQueue, (scanLimit) -> RedriveRun.redrive(this::sendConfirmed, this.rate, deadQueue, workQueue,
				selector, maxMessages, scanLimit));
	}

	/**
	 * Delete the chosen dead letters; the others stay, in their order.
	 * @param deadQueue the dead-letter queue
	 * @param selector which dead letters to delete
	 * @param maxMessages the most to delete
	 * @return what was done, as a redrive result whose republished count is the deleted one
	 */
	RedriveResult delete(String deadQueue, Predicate<Message> selector, int maxMessages) {
		return run(deadQueue, (scanLimit) -> RedriveRun.delete(deadQueue, selector, maxMessages, scanLimit));
	}

	private RedriveResult run(String deadQueue, LongFunction<RedriveRun> runs) {
		QueueInformation info = this.admin.getQueueInfo(deadQueue);
		if (info == null) {
			return new RedriveResult(0, 0, RedriveResult.Stop.FAILED, "Queue '" + deadQueue + "' does not exist");
		}
		// No more than the queue held at the start, so that a message failing again is not
		// taken twice.
		RedriveRun run = runs.apply(info.getMessageCount());
		try {
			return onOwnChannel(run::run);
		}
		catch (AmqpException ex) {
			logger.warn("Dead letters of '" + deadQueue + "': a run stopped after acting on " + run.actedOn()
					+ " message(s): " + ex);
			return new RedriveResult(run.actedOn(), run.skipped(), RedriveResult.Stop.FAILED,
					String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Delete every message of a dead-letter queue.
	 * @param deadQueue the dead-letter queue
	 * @return how many messages were deleted
	 */
	public int purge(String deadQueue) {
		return this.admin.purgeQueue(deadQueue);
	}

	private <T> T onOwnChannel(ChannelCallback<T> callback) {
		return OwnChannel.execute(this.template.getConnectionFactory(), callback);
	}

	private void sendConfirmed(String queue, Message message) {
		ConfirmedSend.Outcome outcome = ConfirmedSend.send(this.template, this.confirmType, this.confirmTimeout, "",
				queue, message);
		if (!outcome.confirmed()) {
			throw new AmqpException("A dead letter could not be moved to queue '" + queue + "': " + outcome.describe());
		}
	}

}
