package io.hare.test;

import java.util.Set;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A test's own corner of the real Redis on 127.0.0.1:6379 (or {@code REDIS_HOST}/{@code REDIS_PORT}):
 * a unique key prefix whose keys it deletes afterwards.
 */
public final class RedisFixture implements AutoCloseable {

	private final String host = orDefault(System.getenv("REDIS_HOST"), "127.0.0.1");

	private final int port = Integer.parseInt(orDefault(System.getenv("REDIS_PORT"), "6379"));

	private final String keyPrefix = "hare-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	public RedisFixture() {
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(this.host, this.port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	private static String orDefault(String value, String fallback) {
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

	public String keyPrefix() {
		return this.keyPrefix;
	}

	public StringRedisTemplate redis() {
		return this.redis;
	}

	/**
	 * Return the properties that point Spring Boot and Hare's Redis dedup store at this fixture.
	 * @return the properties as {@code key=value}
	 */
	public String[] properties() {
		return new String[] { "spring.data.redis.host=" + this.host, "spring.data.redis.port=" + this.port,
				"hare.dedup.store=redis", "hare.dedup.redis.key-prefix=" + this.keyPrefix };
	}

	public Set<String> keys() {
		return this.redis.keys(this.keyPrefix + "*");
	}

	@Override
	public void close() {
		try {
			Set<String> keys = keys();
			if (!keys.isEmpty()) {
				this.redis.delete(keys);
			}
		}
		finally {
			this.connectionFactory.destroy();
		}
	}

}
