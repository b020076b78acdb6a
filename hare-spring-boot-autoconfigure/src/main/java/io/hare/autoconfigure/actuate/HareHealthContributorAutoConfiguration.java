package io.hare.autoconfigure.actuate;

import io.hare.actuate.HareHealthIndicator;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.QueueDepths;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@code hare} health contributor.
 */
@AutoConfiguration(after = HareOperationsAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ HareListenerRegistry.class, QueueDepths.class })
@ConditionalOnEnabledHealthIndicator("hare")
public final class HareHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "hareHealthIndicator", "hareHealthContributor" })
	HareHealthIndicator hareHealthIndicator(HareListenerRegistry registry, QueueDepths queueDepths) {
		return new HareHealthIndicator(registry, queueDepths);
	}

}
