package io.hare.autoconfigure;

import io.hare.connection.HareConnections;
import io.hare.convert.HareMessageConverter;
import io.hare.dedup.CaffeineDedupStore;
import io.hare.dedup.DedupStore;
import io.hare.delay.HareDelays;
import io.hare.publish.HarePublishObserver;
import io.hare.publish.HarePublisher;
import io.hare.publish.HarePublisherCustomizer;
import io.hare.publish.HarePublishers;
import io.hare.publish.PublishOutbox;
import io.hare.publish.StreamPublishing;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for {@link HarePublisher publishers} and their deduplication store. Each publisher under
 * {@code hare.publishers.<name>} becomes a bean qualified by its name.
 */
@AutoConfiguration(after = HareAutoConfiguration.class)
@ConditionalOnBean({ HareConnections.class, HareMessageConverter.class })
@EnableConfigurationProperties(HareProperties.class)
@Import(HarePublisherBeanRegistrar.class)
public final class HarePublisherAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedupStore hareDedupStore(HareProperties properties) {
		HareProperties.Dedup dedup = properties.getDedup();
		if (dedup.getStore() == HareProperties.DedupStoreType.REDIS) {
			// HareRedisDedupAutoConfiguration would have made it: falling back to memory would
			// silently stop deduplicating across instances.
			throw new InvalidConfigurationPropertyValueException("hare.dedup.store", "redis",
					"the Redis dedup store needs Spring Data Redis (spring-boot-starter-data-redis) on the class path "
							+ "and a single RedisConnectionFactory");
		}
		if (dedup.getMaxEntries() < 1) {
			throw new InvalidConfigurationPropertyValueException("hare.dedup.max-entries", dedup.getMaxEntries(),
					"must be at least 1");
		}
		return new CaffeineDedupStore(dedup.getMaxEntries());
	}

	@Bean
	@ConditionalOnMissingBean
	HarePublishers harePublishers(HareConnections connections, HareMessageConverter messageConverter,
			ObjectProvider<DedupStore> dedupStore, HareProperties properties,
			ObjectProvider<HarePublisherCustomizer> customizers, ObjectProvider<HareDelays> delays,
			ObjectProvider<HarePublishObserver> observers, ObjectProvider<PublishOutbox> outbox,
			ObjectProvider<StreamPublishing> streamPublishing, BeanFactory beanFactory) {
		HarePublishers publishers = new HarePublishers(connections, messageConverter);
		publishers.setDelays(delays.getIfAvailable());
		publishers.setOutbox(outbox.getIfUnique());
		publishers.setObservers(observers.orderedStream().toList());
		new HarePropertiesPublisherConfigurer(properties, connections, customizers.orderedStream().toList(),
				beanFactory, streamPublishing.getIfUnique())
			.configure(publishers, dedupStore.getIfUnique());
		return publishers;
	}

}
