package io.hare.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hare.actuate.HareEndpoint.DedupDescriptor;
import io.hare.actuate.HareEndpoint.PublishCountsDescriptor;
import io.hare.actuate.HareEndpoint.PublisherDescriptor;
import io.hare.operations.HarePublisherStatistics;
import io.hare.publish.Deduplication;
import io.hare.publish.DefaultHarePublisher;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublishers;
import io.hare.support.CredentialMasker;

import org.springframework.boot.convert.DurationStyle;

/**
 * Describes the publishers for the {@link HareEndpoint}: where they publish, how they
 * deduplicate, and what became of their messages.
 */
final class PublisherDescriber {

	private final HarePublishers publishers;

	private final HarePublisherStatistics statistics;

	PublisherDescriber(HarePublishers publishers, HarePublisherStatistics statistics) {
		this.publishers = publishers;
		this.statistics = statistics;
	}

	Map<String, PublisherDescriptor> describeAll() {
		Map<String, PublisherDescriptor> described = new LinkedHashMap<>();
		this.publishers.getPublishers().forEach((publisher) -> described.put(publisher.getName(), describe(publisher)));
		return described;
	}

	private PublisherDescriptor describe(HarePublisher publisher) {
		String exchangeType = null;
		String connection = null;
		String confirmTimeout = null;
		DedupDescriptor dedup = null;
		if (publisher instanceof DefaultHarePublisher described) {
			exchangeType = described.getExchangeType();
			connection = described.getConnection().getName();
			confirmTimeout = DurationStyle.SIMPLE.print(described.getConfirmTimeout());
			Deduplication deduplication = described.getDeduplication();
			if (deduplication != null) {
				dedup = new DedupDescriptor(deduplication.ttl().toString(), deduplication.keyStrategy().toString(),
						String.valueOf(CredentialMasker.mask(deduplication.store().toString())),
						deduplication.failOpen());
			}
		}
		String name = publisher.getName();
		PublishCountsDescriptor counts = new PublishCountsDescriptor(this.statistics.published(name),
				this.statistics.duplicates(name), this.statistics.returned(name), this.statistics.failed(name));
		return new PublisherDescriptor(name, publisher.getExchange(), exchangeType, publisher.getRoutingKey(),
				connection, confirmTimeout, dedup, counts);
	}

}
