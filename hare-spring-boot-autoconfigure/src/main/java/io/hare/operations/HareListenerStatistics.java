package io.hare.operations;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.hare.listener.HandledMessage;
import io.hare.listener.HandlingOutcome;
import io.hare.listener.HareListenerObserver;

/**
 * Counts, per listener, what became of the messages it handled since the application started,
 * without needing Micrometer.
 */
public class HareListenerStatistics implements HareListenerObserver {

	private final Map<String, Map<HandlingOutcome, LongAdder>> counts = new ConcurrentHashMap<>();

	@Override
	public void messageHandled(HandledMessage message) {
		this.counts.computeIfAbsent(message.listenerId(), (id) -> newCounters())
			.get(message.outcome())
			.increment();
	}

	/**
	 * Return how many messages of a listener ended with each outcome.
	 * @param listenerId the listener
	 * @return the counts by outcome, zero for outcomes never seen
	 */
	public Map<HandlingOutcome, Long> counts(String listenerId) {
		Map<HandlingOutcome, LongAdder> counters = this.counts.get(listenerId);
		Map<HandlingOutcome, Long> result = new EnumMap<>(HandlingOutcome.class);
		for (HandlingOutcome outcome : HandlingOutcome.values()) {
			result.put(outcome, (counters != null) ? counters.get(outcome).sum() : 0L);
		}
		return result;
	}

	private static Map<HandlingOutcome, LongAdder> newCounters() {
		Map<HandlingOutcome, LongAdder> counters = new EnumMap<>(HandlingOutcome.class);
		for (HandlingOutcome outcome : HandlingOutcome.values()) {
			counters.put(outcome, new LongAdder());
		}
		return counters;
	}

}
