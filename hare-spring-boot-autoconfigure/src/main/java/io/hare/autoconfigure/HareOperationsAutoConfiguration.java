package io.hare.autoconfigure;

import io.hare.connection.HareConnectionMonitor;
import io.hare.connection.HareConnections;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.HareListenerStatistics;
import io.hare.operations.HareOperations;
import io.hare.operations.HarePublisherStatistics;
import io.hare.operations.QueueDepths;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for {@link HareOperations} and what it and the actuator endpoint, health and metrics rest
 * on (statistics, queue depths, connection status), and for Hare's application events; none of
 * it needs the actuator.
 */
@AutoConfiguration(after = HareAutoConfiguration.class)
@ConditionalOnBean(HareListenerRegistry.class)
@Import(HareEventPublishersConfiguration.class)
public final class HareOperationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HareListenerStatistics hareListenerStatistics() {
		return new HareListenerStatistics();
	}

	@Bean
	@ConditionalOnMissingBean
	HarePublisherStatistics harePublisherStatistics() {
		return new HarePublisherStatistics();
	}

	@Bean
	@ConditionalOnMissingBean
	HareConnectionMonitor hareConnectionMonitor(HareConnections connections) {
		return new HareConnectionMonitor(connections);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueDepths hareQueueDepths(HareConnections connections, HareProperties properties) {
		return new QueueDepths(connections, properties.getMetrics().getQueueDepthTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	HareOperations hareOperations(HareListenerRegistry registry, HareConnections connections,
			ApplicationEventPublisher eventPublisher, HareProperties properties) {
		int readLimit = properties.getDeadLetters().getReadLimit();
		if (readLimit < 1) {
			throw new InvalidConfigurationPropertyValueException("hare.dead-letters.read-limit", readLimit,
					"Read at least 1 dead letter");
		}
		HareOperations operations = new HareOperations(registry, connections, eventPublisher);
		operations.setConfirmTimeout(properties.getConfirmTimeout());
		operations.setRedriveRate(properties.getRedrive().getRate());
		operations.setReadLimit(readLimit);
		return operations;
	}

}
