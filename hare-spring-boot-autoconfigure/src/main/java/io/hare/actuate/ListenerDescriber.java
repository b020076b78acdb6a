package io.hare.actuate;

import java.util.Map;

import io.hare.actuate.HareEndpoint.ConsumersDescriptor;
import io.hare.actuate.HareEndpoint.CountsDescriptor;
import io.hare.actuate.HareEndpoint.DepthDescriptor;
import io.hare.actuate.HareEndpoint.ListenerDescriptor;
import io.hare.actuate.HareEndpoint.RetryDescriptor;
import io.hare.actuate.HareEndpoint.StreamDescriptor;
import io.hare.connection.HareConnection;
import io.hare.listener.HandlingOutcome;
import io.hare.listener.HareListenerContainer;
import io.hare.listener.ListenerSettings;
import io.hare.operations.HareListenerStatistics;
import io.hare.operations.QueueDepths;
import io.hare.retry.RetryPolicy;
import io.hare.topology.ListenerTopology;

import org.springframework.boot.convert.DurationStyle;

/**
 * Describes a listener for the {@link HareEndpoint}: its topology, state, consumers, retries,
 * queue depths read afresh and what became of its messages.
 */
final class ListenerDescriber {

	private final QueueDepths queueDepths;

	private final HareListenerStatistics statistics;

	ListenerDescriber(QueueDepths queueDepths, HareListenerStatistics statistics) {
		this.queueDepths = queueDepths;
		this.statistics = statistics;
	}

	ListenerDescriptor describe(HareListenerContainer listener) {
		ListenerSettings settings = listener.getSettings();
		ListenerTopology topology = listener.getTopology();
		String connection = (settings.connection() != null) ? settings.connection() : HareConnection.DEFAULT;
		RetryDescriptor retry = null;
		String deadQueue = null;
		Long deadDepth = null;
		RetryPolicy policy = settings.retryPolicy();
		if (policy != null) {
			retry = new RetryDescriptor(policy.limit(),
					policy.delays().stream().map(DurationStyle.SIMPLE::print).toList(),
					policy.nonRetryable().stream().map(Class::getName).toList());
			deadQueue = topology.deadQueue();
			deadDepth = this.queueDepths.read(listener, deadQueue);
		}
		Map<HandlingOutcome, Long> counts = this.statistics.counts(listener.getId());
		return new ListenerDescriptor(listener.getId(), topology.queue(), topology.exchange(), topology.exchangeType(),
				topology.routingKeys(), topology.queueType().argumentValue(), connection, state(listener),
				consumers(listener),
				settings.prefetch(), retry, deadQueue,
				new DepthDescriptor(this.queueDepths.read(listener, topology.queue()), deadDepth),
				new CountsDescriptor(counts.get(HandlingOutcome.SUCCESS), counts.get(HandlingOutcome.RETRIED),
						counts.get(HandlingOutcome.DEAD_LETTERED) + counts.get(HandlingOutcome.DECODE_FAILED),
						counts.get(HandlingOutcome.DECODE_FAILED), counts.get(HandlingOutcome.REQUEUED),
						counts.get(HandlingOutcome.SKIPPED)),
				listener.getCircuitBreakerState().orElse(null),
				(settings.batch() != null) ? settings.batch().size() : null, settings.isBroadcast(),
				settings.isStream() ? new StreamDescriptor(listener.getProtocol(),
						listener.getStreamConsumerName().orElse(null), listener.getStoredStreamOffset().orElse(null))
						: null);
	}

	private static ConsumersDescriptor consumers(HareListenerContainer listener) {
		return listener.getAutoScaler()
			.map((scaler) -> new ConsumersDescriptor(listener.getActualConsumers(), listener.getDesiredConsumers(),
					scaler.getMinConsumers(), scaler.getMaxConsumers(), true))
			.orElseGet(() -> new ConsumersDescriptor(listener.getActualConsumers(), listener.getDesiredConsumers(),
					null, null, false));
	}

	static String state(HareListenerContainer listener) {
		if (listener.isPaused()) {
			return "paused";
		}
		if (listener.isTripped()) {
			return "circuit-open";
		}
		return listener.isRunning() ? "running" : "stopped";
	}

}
