package io.hare.operations;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.hare.publish.HarePublishException;
import io.hare.publish.HarePublishObserver;
import io.hare.publish.HarePublisher;
import io.hare.publish.PublishResult;

/**
 * Counts, per publisher, what became of the messages it was given since the application
 * started, without needing Micrometer.
 */
public class HarePublisherStatistics implements HarePublishObserver {

	private final Map<String, Map<PublishOutcome, LongAdder>> counts = new ConcurrentHashMap<>();

	@Override
	public void published(HarePublisher publisher, PublishResult result) {
		increment(publisher.getName(), PublishOutcome.of(result));
	}

	@Override
	public void failed(HarePublisher publisher, HarePublishException failure) {
		increment(publisher.getName(), PublishOutcome.of(failure));
	}

	private void increment(String publisher, PublishOutcome outcome) {
		this.counts.computeIfAbsent(publisher, (name) -> {
			Map<PublishOutcome, LongAdder> counters = new EnumMap<>(PublishOutcome.class);
			for (PublishOutcome each : PublishOutcome.values()) {
				counters.put(each, new LongAdder());
			}
			return counters;
		}).get(outcome).increment();
	}

	/**
	 * Return how many messages of a publisher were published since the application started.
	 * @param publisher the publisher's name
	 * @return the count
	 */
	public long published(String publisher) {
		return count(publisher, PublishOutcome.PUBLISHED);
	}

	/**
	 * Return how many messages of a publisher were dropped as duplicates.
	 * @param publisher the publisher's name
	 * @return the count
	 */
	public long duplicates(String publisher) {
		return count(publisher, PublishOutcome.DUPLICATE);
	}

	/**
	 * Return how many messages of a publisher the broker returned as unroutable.
	 * @param publisher the publisher's name
	 * @return the count
	 */
	public long returned(String publisher) {
		return count(publisher, PublishOutcome.RETURNED);
	}

	/**
	 * Return how many messages of a publisher failed otherwise: refused, timed out, lost with
	 * the connection, or not encodable.
	 * @param publisher the publisher's name
	 * @return the count
	 */
	public long failed(String publisher) {
		return count(publisher, PublishOutcome.FAILED);
	}

	private long count(String publisher, PublishOutcome outcome) {
		Map<PublishOutcome, LongAdder> counters = this.counts.get(publisher);
		return (counters != null) ? counters.get(outcome).sum() : 0;
	}

}
