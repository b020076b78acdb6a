package io.hare.autoconfigure;

import io.hare.dedup.DedupStore;
import io.hare.dedup.RedisDedupStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the Redis deduplication store, chosen with {@code hare.dedup.store=redis}: claims are
 * shared by every instance on the same Redis.
 */
@AutoConfiguration(before = HarePublisherAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ StringRedisTemplate.class, RedisConnectionFactory.class })
@ConditionalOnProperty(name = "hare.dedup.store", havingValue = "redis")
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@EnableConfigurationProperties(HareProperties.class)
public final class HareRedisDedupAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedupStore hareDedupStore(RedisConnectionFactory redisConnectionFactory, HareProperties properties) {
		StringRedisTemplate redis = new StringRedisTemplate(redisConnectionFactory);
		return new RedisDedupStore(redis, properties.getDedup().getRedis().getKeyPrefix());
	}

}
