package io.hare.dedup;

/**
 * Where deduplication claims live. A claim marks a key as published for a while; it must be
 * atomic, so that of several publishers claiming the same key at once exactly one succeeds,
 * also across application instances when the store is shared.
 */
public interface DedupStore {

	/**
	 * Claim a key if no live claim holds it.
	 * @param key the key
	 * @param ttl how long the claim lasts
	 * @return {@code true} if this call claimed the key, {@code false} if it was already claimed
	 * @throws DedupStoreException if the store cannot be reached
	 */
	boolean claim(String key, DedupTtl ttl);

	/**
	 * Release a claim, so the key can be claimed again; called when a claimed publish failed.
	 * @param key the key
	 * @throws DedupStoreException if the store cannot be reached
	 */
	void release(String key);

}
