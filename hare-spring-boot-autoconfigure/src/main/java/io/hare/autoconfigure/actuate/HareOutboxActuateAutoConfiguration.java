package io.hare.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;

import io.hare.actuate.HareOutboxHealthIndicator;
import io.hare.actuate.HareOutboxMetrics;
import io.hare.autoconfigure.HareOutboxAutoConfiguration;
import io.hare.autoconfigure.HareProperties;
import io.hare.outbox.HareOutbox;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the operations surface of the {@link HareOutbox transactional outbox}: its
 * {@code hareOutbox} health contributor and its {@code hare.outbox.*} meters, each when its
 * library is there. The outbox shows in {@code /actuator/hare} through the endpoint's own
 * auto-configuration.
 */
@AutoConfiguration(after = HareOutboxAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean({ HareOutbox.class, HareProperties.class })
public final class HareOutboxActuateAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("hare-outbox")
	static class OutboxHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "hareOutboxHealthIndicator")
		HareOutboxHealthIndicator hareOutboxHealthIndicator(HareOutbox outbox, HareProperties properties) {
			return new HareOutboxHealthIndicator(outbox, properties.getOutbox().getHealth().getMaxAge());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class OutboxMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HareOutboxMetrics hareOutboxMetrics(MeterRegistry registry, HareOutbox outbox, HareProperties properties) {
			return new HareOutboxMetrics(registry, outbox, properties.getMetrics().getQueueDepthTtl());
		}

	}

}
