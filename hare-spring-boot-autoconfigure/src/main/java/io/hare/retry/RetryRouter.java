package io.hare.retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;
import io.hare.topology.ListenerTopology;

import org.springframework.amqp.core.AmqpMessageReturnedException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.util.Assert;

/**
 * Sends a message whose handling failed to its next delay queue, or to the dead-letter queue
 * once its retries are used up or it cannot be retried. Returns only when the copy is
 * confirmed; throws otherwise, so that the original is requeued rather than lost.
 */
public class RetryRouter {

	private static final Log logger = LogFactory.getLog(RetryRouter.class);

	private static final int MAX_LOGGED_MESSAGE_LENGTH = 500;

	private final String listenerId;

	private final ListenerTopology topology;

	private final RetryPolicy policy;

	private final Map<Duration, MessageRecoverer> delayRecoverers = new LinkedHashMap<>();

	private final MessageRecoverer deadRecoverer;

	private final @Nullable DelayedRecoverer delayedRecoverer;

	private final Runnable redeclare;

	private @Nullable HareRetryPolicy customPolicy;

	/**
	 * Create a router.
	 * @param listenerId the listener whose failures are routed
	 * @param topology the listener's topology
	 * @param policy the listener's retry policy
	 * @param recovererFactory creates the recoverer that republishes to a queue
	 * @param redeclare declares the listener's topology again, if a retry or dead-letter queue
	 * was deleted
	 */
	public RetryRouter(String listenerId, ListenerTopology topology, RetryPolicy policy,
			RecovererFactory recovererFactory, Runnable redeclare) {
		this(listenerId, topology, policy, recovererFactory, null, redeclare);
	}

	/**
	 * Create a router.
	 * @param listenerId the listener whose failures are routed
	 * @param topology the listener's topology
	 * @param policy the listener's retry policy
	 * @param recovererFactory creates the recoverer that republishes to a queue
	 * @param delayedRecoverer republishes a retry through Hare's delay levels, required when
	 * the policy {@link RetryPolicy#isExponential() is exponential}
	 * @param redeclare declares the listener's topology again, if a retry or dead-letter queue
	 * was deleted
	 */
	public RetryRouter(String listenerId, ListenerTopology topology, RetryPolicy policy,
			RecovererFactory recovererFactory, @Nullable DelayedRecoverer delayedRecoverer, Runnable redeclare) {
		Assert.isTrue(topology.hasRetryQueues(), "'topology' must have retry queues");
		Assert.isTrue(!policy.isExponential() || delayedRecoverer != null,
				"An exponential backoff needs a 'delayedRecoverer'");
		this.listenerId = listenerId;
		this.topology = topology;
		this.policy = policy;
		for (Duration delay : policy.delays()) {
			this.delayRecoverers.computeIfAbsent(delay,
					(key) -> recovererFactory.create(topology.delayQueue(key), listenerId));
		}
		this.deadRecoverer = recovererFactory.create(topology.deadQueue(), listenerId);
		this.delayedRecoverer = delayedRecoverer;
		this.redeclare = redeclare;
	}

	/**
	 * Set the policy that has the final word on whether a failure is retried.
	 * @param customPolicy the policy, or {@code null} for the settings alone
	 */
	public void setCustomPolicy(@Nullable HareRetryPolicy customPolicy) {
		this.customPolicy = customPolicy;
	}

	/**
	 * Whether a failure may be retried, by the listener's settings and the custom policy.
	 * @param failure what the handler threw
	 * @return whether to retry
	 */
	public boolean isRetryable(Throwable failure) {
		boolean retryable = this.policy.isRetryable(failure);
		return (this.customPolicy != null) ? this.customPolicy.isRetryable(this.listenerId, failure, retryable)
				: retryable;
	}

	/**
	 * Route a message whose attempt failed, with no immediate retries made.
	 * @param message the message as received
	 * @param failure what made it fail
	 * @param undecodable whether the message could not be decoded
	 * @return where the message went
	 */
	public RetryOutcome route(Message message, Throwable failure, boolean undecodable) {
		return route(message, failure, undecodable, 0);
	}

	/**
	 * Route a message whose attempt failed.
	 * @param message the message as received, left unchanged: the copies carry the attempt
	 * @param failure what made it fail: the handler's exception, or the decoding failure
	 * @param undecodable whether the message could not be decoded, so that a retry cannot help
	 * @param immediateRetries how many times the handler was tried again in place first
	 * @return where the message went
	 * @throws org.springframework.amqp.AmqpException if the copy was not confirmed
	 */
	public RetryOutcome route(Message message, Throwable failure, boolean undecodable, int immediateRetries) {
		int failedAttempt = HareHeaders.failedAttempts(message.getMessageProperties()) + 1;
		// The copies carry the attempt; the message the handler received stays as it was.
		MessageBuilderSupport<Message> copy = MessageBuilder.fromMessage(message)
			.setHeader(HareHeaders.ATTEMPT, failedAttempt);
		if (immediateRetries > 0) {
			copy.setHeader(HareHeaders.IMMEDIATE_RETRIES, immediateRetries);
		}
		Message failed = copy.build();
		if (!undecodable && isRetryable(failure) && this.policy.hasRetryLeft(failedAttempt)) {
			Duration delay = this.policy.delayAfter(failedAttempt);
			if (this.delayedRecoverer != null && this.policy.isExponential()) {
				this.delayedRecoverer.recover(failed, failure, delay);
			}
			else {
				send(this.delayRecoverers.get(delay), failed, failure);
			}
			if (logger.isInfoEnabled()) {
				logger.info("Hare listener '" + this.listenerId + "' retries a message from queue '"
						+ this.topology.queue() + "' in " + delay + " after attempt " + failedAttempt + " failed: "
						+ describe(failure));
			}
			return RetryOutcome.retriedAfter(delay);
		}
		send(this.deadRecoverer, failed, failure);
		logger.warn("Hare listener '" + this.listenerId + "' dead-lettered a message from queue '"
				+ this.topology.queue() + "' to '" + this.topology.deadQueue() + "' after attempt " + failedAttempt
				+ (undecodable ? " (undecodable)" : "") + ": " + describe(failure));
		return RetryOutcome.DEAD_LETTERED;
	}

	/**
	 * Describe a failure in one line of bounded length, its credentials masked: an exception
	 * message may span lines or be huge.
	 */
	private static String describe(Throwable failure) {
		String message = String.valueOf(CredentialMasker.mask(failure.getMessage())).replaceAll("\\s+", " ");
		if (message.length() > MAX_LOGGED_MESSAGE_LENGTH) {
			message = message.substring(0, MAX_LOGGED_MESSAGE_LENGTH) + "...";
		}
		return failure.getClass().getName() + ": " + message;
	}

	private void send(MessageRecoverer recoverer, Message message, Throwable failure) {
		try {
			recoverer.recover(message, failure);
		}
		catch (AmqpMessageReturnedException ex) {
			// The target queue is gone (deleted by hand?): declare it again and try once more
			// rather than requeue the original into a loop.
			logger.warn("Hare listener '" + this.listenerId + "' found a retry or dead-letter queue of '"
					+ this.topology.queue() + "' missing; declaring its topology again");
			this.redeclare.run();
			recoverer.recover(message, failure);
		}
	}

	/**
	 * Return the retry policy this router follows.
	 * @return the retry policy
	 */
	public RetryPolicy getPolicy() {
		return this.policy;
	}

	/**
	 * Creates the recoverer that republishes a failed message to one queue.
	 */
	@FunctionalInterface
	public interface RecovererFactory {

		/**
		 * Create a recoverer.
		 * @param queue the queue to republish to
		 * @param listenerId the listener whose failures it republishes
		 * @return the recoverer
		 */
		MessageRecoverer create(String queue, String listenerId);

	}

}
