package io.hare.dedup;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.util.Assert;

/**
 * A {@link DedupStore} in this application's memory, bounded in size, each claim expiring after
 * its own time-to-live. Claims are not shared with other instances: use a shared store such as
 * {@link RedisDedupStore} when several instances publish.
 */
public class CaffeineDedupStore implements DedupStore {

	// Caffeine saturates durations to about 292 years, which is as good as forever.
	private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

	private final Cache<String, Duration> claims;

	private final long maxEntries;

	/**
	 * Create a store.
	 * @param maxEntries how many claims it holds at most; beyond that the least useful are evicted
	 */
	public CaffeineDedupStore(long maxEntries) {
		this(maxEntries, Ticker.systemTicker());
	}

	/**
	 * Create a store that reads the time from a ticker.
	 * @param maxEntries how many claims it holds at most
	 * @param ticker the time source
	 */
	public CaffeineDedupStore(long maxEntries, Ticker ticker) {
		Assert.isTrue(maxEntries > 0, "'maxEntries' must be positive");
		Assert.notNull(ticker, "'ticker' must not be null");
		this.maxEntries = maxEntries;
		// Maintenance (eviction, expiry) runs on the claiming thread. On the common pool it woke a
		// thread every few claims, which cost a publisher on 2 cores about 10% of its throughput
		// (hare-benchmarks' dedup scenario: 0.89 of dedup off, 0.96 with this).
		this.claims = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.executor(Runnable::run)
			.expireAfter(Expiry.<String, Duration>writing((key, ttl) -> ttl))
			.ticker(ticker)
			.build();
	}

	@Override
	public boolean claim(String key, DedupTtl ttl) {
		Duration duration = ttl.isInfinite() ? FOREVER : ttl.toDuration();
		// putIfAbsent is atomic, and Caffeine treats an expired entry as absent.
		return this.claims.asMap().putIfAbsent(key, duration) == null;
	}

	@Override
	public void release(String key) {
		this.claims.invalidate(key);
	}

	/**
	 * Return roughly how many claims the store holds.
	 * @return the estimated number of claims
	 */
	public long estimatedSize() {
		return this.claims.estimatedSize();
	}

	/**
	 * Run pending maintenance now, such as evicting claims beyond the size bound.
	 */
	public void cleanUp() {
		this.claims.cleanUp();
	}

	@Override
	public String toString() {
		return "in-memory dedup store (max " + this.maxEntries + " entries)";
	}

}
