package io.hare.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;

import io.hare.actuate.HareMetrics;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.operations.QueueDepths;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for {@link HareMetrics Hare's Micrometer meters}.
 */
@AutoConfiguration(after = HareOperationsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, QueueDepths.class })
public final class HareMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HareMetrics hareMetrics(MeterRegistry meterRegistry, QueueDepths queueDepths) {
		return new HareMetrics(meterRegistry, queueDepths);
	}

}
