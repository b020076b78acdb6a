package io.hare.retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

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
import org.springframework.core.task.SimpleAsyncTaskExecutor;
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

	private final Executor redeclareExecutor = redeclareExecutor();

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

	// Only for a copy returned because its queue was deleted, which is rare: a thread each.
	private static Executor redeclareExecutor() {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("hare-redeclare-");
		executor.setDaemon(true);
		return executor;
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
		Route route = decide(message, failure, undecodable, immediateRetries);
		MessageRecoverer recoverer = route.recoverer();
		if (recoverer == null) {
			delayed(route, failure);
		}
		else {
			send(recoverer, route.copy(), failure);
		}
		log(route, failure, undecodable);
		return route.outcome();
	}

	/**
	 * Route a message whose attempt failed without waiting for the copy's confirm: the copy
	 * is sent, and the caller acks the original only once {@link PendingCopy#confirmed()}
	 * completes; if it completes exceptionally, the original must be requeued. A retry
	 * through the delay levels is confirmed before this returns.
	 * @param message the message as received, left unchanged: the copies carry the attempt
	 * @param failure what made it fail: the handler's exception, or the decoding failure
	 * @param undecodable whether the message could not be decoded, so that a retry cannot help
	 * @param immediateRetries how many times the handler was tried again in place first
	 * @return where the message goes, and when its copy is confirmed
	 * @throws org.springframework.amqp.AmqpException if the copy could not be sent
	 */
	public PendingCopy routeAsync(Message message, Throwable failure, boolean undecodable, int immediateRetries) {
		Route route = decide(message, failure, undecodable, immediateRetries);
		MessageRecoverer recoverer = route.recoverer();
		CompletableFuture<@Nullable Void> confirmed;
		if (recoverer == null) {
			delayed(route, failure);
			confirmed = CompletableFuture.completedFuture(null);
		}
		else {
			confirmed = sendAsync(recoverer, route.copy(), failure);
		}
		log(route, failure, undecodable);
		return new PendingCopy(route.outcome(), confirmed);
	}

	private Route decide(Message message, Throwable failure, boolean undecodable, int immediateRetries) {
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
			boolean delayed = this.delayedRecoverer != null && this.policy.isExponential();
			return new Route(failed, failedAttempt, RetryOutcome.retriedAfter(delay),
					delayed ? null : this.delayRecoverers.get(delay));
		}
		return new Route(failed, failedAttempt, RetryOutcome.DEAD_LETTERED, this.deadRecoverer);
	}

	// Through the delay levels, confirmed before it returns.
	private void delayed(Route route, Throwable failure) {
		DelayedRecoverer delayedRecoverer = this.delayedRecoverer;
		Duration delay = route.outcome().delay();
		Assert.state(delayedRecoverer != null && delay != null, "A delayed retry needs the delay levels");
		delayedRecoverer.recover(route.copy(), failure, delay);
	}

	private void log(Route route, Throwable failure, boolean undecodable) {
		if (route.outcome().retried()) {
			if (logger.isInfoEnabled()) {
				logger.info("Hare listener '" + this.listenerId + "' retries a message from queue '"
						+ this.topology.queue() + "' in " + route.outcome().delay() + " after attempt "
						+ route.attempt() + " failed: " + describe(failure));
			}
		}
		else {
			logger.warn("Hare listener '" + this.listenerId + "' dead-lettered a message from queue '"
					+ this.topology.queue() + "' to '" + this.topology.deadQueue() + "' after attempt " + route.attempt()
					+ (undecodable ? " (undecodable)" : "") + ": " + describe(failure));
		}
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

	private CompletableFuture<@Nullable Void> sendAsync(MessageRecoverer recoverer, Message message,
			Throwable failure) {
		if (!(recoverer instanceof HareRepublisher republisher)) {
			send(recoverer, message, failure);
			return CompletableFuture.completedFuture(null);
		}
		return republisher.recoverAsync(message, failure).exceptionallyCompose((ex) -> {
			if (!(unwrap(ex) instanceof AmqpMessageReturnedException)) {
				return CompletableFuture.failedFuture(ex);
			}
			// Not on the connection's thread, which completed the confirm: declaring needs it.
			return CompletableFuture.runAsync(() -> {
				logger.warn("Hare listener '" + this.listenerId + "' found a retry or dead-letter queue of '"
						+ this.topology.queue() + "' missing; declaring its topology again");
				this.redeclare.run();
				recoverer.recover(message, failure);
			}, this.redeclareExecutor);
		});
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
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

	/**
	 * A copy of a failed message, sent.
	 *
	 * @param outcome where it went
	 * @param confirmed completes once the broker confirmed the copy, exceptionally if it did
	 * not (then the original must be requeued)
	 */
	public record PendingCopy(RetryOutcome outcome, CompletableFuture<@Nullable Void> confirmed) {
	}

	/**
	 * Where a copy goes: to {@code recoverer}'s queue, or through the delay levels if none.
	 */
	private record Route(Message copy, int attempt, RetryOutcome outcome, @Nullable MessageRecoverer recoverer) {
	}

}
