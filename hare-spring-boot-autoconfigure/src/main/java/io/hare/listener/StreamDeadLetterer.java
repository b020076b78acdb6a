package io.hare.listener;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hare.retry.HareHeaders;
import io.hare.retry.HareRepublisher;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.QueueBuilder;

/**
 * Copies a stream message whose handler failed to the listener's dead-letter queue or
 * stream, with the reason headers of Hare's dead letters, and returns only once the broker
 * confirmed the copy: until then the listener does not move past the message, so none is
 * lost. A copy the broker does not confirm is tried again while the listener runs.
 */
final class StreamDeadLetterer {

	private static final Log logger = LogFactory.getLog(StreamDeadLetterer.class);

	private final String listenerId;

	private final String target;

	private final HareRepublisher republisher;

	private final AmqpAdmin admin;

	private final Map<String, Object> retention;

	private final Duration pause;

	/**
	 * Create a dead-letterer.
	 * @param listenerId the listener, for the reason headers and log messages
	 * @param target the queue or stream the copies go to
	 * @param republisher publishes a copy with the reason headers and waits for its confirm
	 * @param admin declares the target when it does not exist
	 * @param retention the arguments of the listener's stream, given to a target Hare declares
	 * @param pause how long to wait before trying an unconfirmed copy again
	 */
	StreamDeadLetterer(String listenerId, String target, HareRepublisher republisher, AmqpAdmin admin,
			Map<String, Object> retention, Duration pause) {
		this.listenerId = listenerId;
		this.target = target;
		this.republisher = republisher;
		this.admin = admin;
		this.retention = Map.copyOf(retention);
		this.pause = pause;
	}

	String getTarget() {
		return this.target;
	}

	/**
	 * Copy the message to the target and wait for the broker's confirm, trying again while
	 * the listener runs.
	 * @param message the message as received
	 * @param failure what the handler threw
	 * @param running whether the listener still runs
	 * @throws AmqpException if the listener stopped, or the thread was interrupted, before
	 * the broker confirmed a copy: the message is read again when the listener starts
	 */
	void deadLetter(Message message, Throwable failure, BooleanSupplier running) {
		// A stream message is never retried: its first attempt is its last.
		Message failed = MessageBuilder.fromMessage(message).setHeader(HareHeaders.ATTEMPT, 1).build();
		while (true) {
			try {
				send(failed, failure);
				return;
			}
			catch (AmqpException ex) {
				if (!running.getAsBoolean() || Thread.currentThread().isInterrupted()) {
					throw ex;
				}
				logger.warn("Hare stream listener '" + this.listenerId + "' could not copy a failed message to '"
						+ this.target + "' (" + ex.getMessage() + "); it tries again in " + this.pause
						+ " and does not move past the message meanwhile");
				try {
					Thread.sleep(this.pause.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	private void send(Message failed, Throwable failure) {
		try {
			this.republisher.recover(failed, failure);
		}
		catch (AmqpMessageReturnedException ex) {
			// Unroutable through the default exchange: the target does not exist (yet, or any more).
			this.admin.declareQueue(QueueBuilder.durable(this.target).stream().withArguments(this.retention).build());
			this.republisher.recover(failed, failure);
		}
	}

}
