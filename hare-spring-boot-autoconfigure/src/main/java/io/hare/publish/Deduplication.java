package io.hare.publish;

import io.hare.dedup.DedupKeyStrategy;
import io.hare.dedup.DedupStore;
import io.hare.dedup.DedupTtl;

import org.springframework.util.Assert;

/**
 * How a publisher deduplicates: where claims go, how long they last, how keys are made, and
 * whether to publish anyway when the store is unavailable.
 *
 * @param store the store of claims
 * @param ttl how long a claim lasts
 * @param keyStrategy how a message's key is made
 * @param failOpen whether to publish without deduplication when the store is unavailable
 */
public record Deduplication(DedupStore store, DedupTtl ttl, DedupKeyStrategy keyStrategy, boolean failOpen) {

	public Deduplication {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(ttl, "'ttl' must not be null");
		Assert.notNull(keyStrategy, "'keyStrategy' must not be null");
	}

}
