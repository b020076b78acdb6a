package io.hare.listener;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hare.retry.ImmediateRetries;
import io.hare.retry.RetryPolicy;
import io.hare.scaling.AutoScalingPolicy;
import io.hare.topology.ListenerTopology;
import io.hare.topology.QueueType;
import io.hare.topology.StreamOffset;

import org.springframework.util.Assert;

/**
 * The validated, immutable settings of one listener, resolved from every layer of
 * {@link ListenerProperties} by a {@link ListenerSettingsResolver}.
 *
 * @param id the listener id
 * @param topology the exchange, queues and bindings to declare
 * @param prefetch the unacknowledged messages each consumer may hold, or {@code null} for
 * Spring AMQP's default
 * @param concurrency the number of consumers when not auto-scaled, at least 1
 * @param connection the name of the connection to consume on, or {@code null} for Spring
 * Boot's
 * @param retryPolicy how failed messages are retried, or {@code null} for a stream, which
 * cannot retry
 * @param autoScaling how the auto-scaler sizes the listener, or {@code null} for a fixed
 * number of consumers
 * @param streamOffset where a stream listener starts reading
 * @param immediateRetries how often a failed message is tried again in place first
 * @param postProcessors the names of the {@code MessagePostProcessor} beans a delivered
 * message goes through before its handler
 * @param batch how a batch listener receives its messages, or {@code null} for a listener of
 * single messages
 * @param circuitBreaker when the listener's kill switch stops it, or {@code null} for none
 * @param idempotent whether the handler runs in a transaction with the inbox, so that a
 * redelivered message is not handled twice
 * @param streamTracking how a stream listener stores its offset on the broker over the
 * stream protocol, or {@code null} for a listener of a queue
 * @param streamDeadLetter the queue or stream a stream listener copies a message its handler
 * failed on to, or {@code null} for none
 * @param ack how handled messages are acknowledged; a stream listener acks each on its own
 */
public record ListenerSettings(String id, ListenerTopology topology, @Nullable Integer prefetch, int concurrency,
		@Nullable String connection, @Nullable RetryPolicy retryPolicy, @Nullable AutoScalingPolicy autoScaling,
		StreamOffset streamOffset, ImmediateRetries immediateRetries, List<String> postProcessors,
		@Nullable BatchSettings batch, @Nullable CircuitBreakerSettings circuitBreaker, boolean idempotent,
		@Nullable StreamTracking streamTracking, @Nullable String streamDeadLetter, AckSettings ack) {

	public ListenerSettings {
		Assert.hasText(id, "'id' must not be empty");
		Assert.notNull(topology, "'topology' must not be null");
		Assert.isTrue(concurrency >= 1, "'concurrency' must be at least 1");
		Assert.isTrue(topology.hasRetryQueues() == (retryPolicy != null),
				"a stream or broadcast queue has no retry policy, a work queue has one");
		Assert.notNull(streamOffset, "'streamOffset' must not be null");
		Assert.notNull(immediateRetries, "'immediateRetries' must not be null");
		postProcessors = List.copyOf(postProcessors);
		Assert.isTrue(!idempotent || !isStream(topology), "a stream listener cannot be idempotent");
		Assert.isTrue(isStream(topology) == (streamTracking != null), "a stream listener, and only one, tracks offsets");
		Assert.notNull(ack, "'ack' must not be null");
		Assert.isTrue(streamDeadLetter == null || isStream(topology), "only a stream listener has a stream dead letter");
	}

	/**
	 * Return the name of the queue the listener consumes.
	 * @return the queue name
	 */
	public String queue() {
		return this.topology.queue();
	}

	/**
	 * Whether the listener reads a stream.
	 * @return whether the queue is a stream
	 */
	public boolean isStream() {
		return isStream(this.topology);
	}

	/**
	 * Whether every application instance gets every message, each on a queue of its own.
	 * @return whether the listener is a broadcast listener
	 */
	public boolean isBroadcast() {
		return this.topology.broadcast();
	}

	private static boolean isStream(ListenerTopology topology) {
		return topology.queueType() == QueueType.STREAM;
	}

}
