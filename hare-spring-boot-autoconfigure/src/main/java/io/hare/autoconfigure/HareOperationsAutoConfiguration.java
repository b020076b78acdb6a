package io.hare.autoconfigure;

import io.hare.actuate.HareConnectionEventPublisher;
import io.hare.actuate.HareConnectionMonitor;
import io.hare.actuate.HareConsumerEventTranslator;
import io.hare.actuate.HareEventPublishingObserver;
import io.hare.actuate.HareListenerStatistics;
import io.hare.actuate.HareOperations;
import io.hare.actuate.HarePublisherStatistics;
import io.hare.actuate.QueueDepths;
import io.hare.connection.HareConnections;
import io.hare.listener.HareListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Hare's application events and the operations the actuator endpoint, health and metrics
 * rest on; none of it needs the actuator.
 */
@AutoConfiguration(after = HareAutoConfiguration.class)
@ConditionalOnBean(HareListenerRegistry.class)
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
	HareEventPublishingObserver hareEventPublishingObserver(ApplicationEventPublisher eventPublisher) {
		return new HareEventPublishingObserver(eventPublisher);
	}

	@Bean
	@ConditionalOnMissingBean
	HareConnectionEventPublisher hareConnectionEventPublisher(HareConnections connections,
			ApplicationEventPublisher eventPublisher) {
		return new HareConnectionEventPublisher(connections, eventPublisher);
	}

	@Bean
	@ConditionalOnMissingBean
	HareConsumerEventTranslator hareConsumerEventTranslator(ObjectProvider<HareListenerRegistry> registry,
			ApplicationEventPublisher eventPublisher) {
		return new HareConsumerEventTranslator(registry, eventPublisher);
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
		HareOperations operations = new HareOperations(registry, connections, eventPublisher);
		operations.setConfirmTimeout(properties.getConfirmTimeout());
		operations.setRedriveRate(properties.getRedrive().getRate());
		return operations;
	}

}
