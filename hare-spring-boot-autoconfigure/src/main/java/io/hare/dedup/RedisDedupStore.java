package io.hare.dedup;

import java.util.concurrent.TimeUnit;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * A {@link DedupStore} in Redis, shared by every instance that uses the same Redis and key
 * prefix. A claim is one {@code SET key value NX PX ttl}, atomic on the Redis server.
 */
public class RedisDedupStore implements DedupStore {

	/**
	 * The key prefix used when none is given.
	 */
	public static final String DEFAULT_KEY_PREFIX = "hare:dedup:";

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	/**
	 * Create a store.
	 * @param redis the template to reach Redis with
	 * @param keyPrefix what every key starts with
	 */
	public RedisDedupStore(StringRedisTemplate redis, String keyPrefix) {
		Assert.notNull(redis, "'redis' must not be null");
		Assert.notNull(keyPrefix, "'keyPrefix' must not be null");
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	@Override
	public boolean claim(String key, DedupTtl ttl) {
		String redisKey = this.keyPrefix + key;
		try {
			Boolean claimed = ttl.isInfinite() ? this.redis.opsForValue().setIfAbsent(redisKey, "1")
					: this.redis.opsForValue()
						.setIfAbsent(redisKey, "1", ttl.toDuration().toMillis(), TimeUnit.MILLISECONDS);
			return Boolean.TRUE.equals(claimed);
		}
		catch (DataAccessException ex) {
			throw new DedupStoreException("Redis dedup store could not claim a key: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void release(String key) {
		try {
			this.redis.delete(this.keyPrefix + key);
		}
		catch (DataAccessException ex) {
			throw new DedupStoreException("Redis dedup store could not release a key: " + ex.getMessage(), ex);
		}
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public String toString() {
		return "Redis dedup store (key prefix '" + this.keyPrefix + "')";
	}

}
