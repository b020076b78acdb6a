package io.hare.autoconfigure.actuate;

import io.hare.actuate.HareEndpoint;
import io.hare.autoconfigure.HareOperationsAutoConfiguration;
import io.hare.connection.HareConnectionMonitor;
import io.hare.connection.HareConnections;
import io.hare.listener.HareListenerRegistry;
import io.hare.operations.HareListenerStatistics;
import io.hare.operations.HareOperations;
import io.hare.operations.HarePublisherStatistics;
import io.hare.operations.QueueDepths;
import io.hare.outbox.HareOutbox;
import io.hare.publish.HarePublishers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for the {@link HareEndpoint hare} actuator endpoint, present when exposed.
 */
@AutoConfiguration(after = HareOperationsAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ HareListenerRegistry.class, HareOperations.class })
public final class HareEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	HareEndpoint hareEndpoint(HareListenerRegistry registry, HareConnections connections,
			HareConnectionMonitor connectionMonitor, QueueDepths queueDepths, HareListenerStatistics statistics,
			HareOperations operations, ObjectProvider<HarePublishers> publishers,
			ObjectProvider<HarePublisherStatistics> publisherStatistics, ObjectProvider<HareOutbox> outbox) {
		HareEndpoint endpoint = new HareEndpoint(registry, connections, connectionMonitor, queueDepths, statistics,
				operations);
		publishers.ifAvailable((available) -> endpoint.setPublishers(available,
				publisherStatistics.getIfAvailable(HarePublisherStatistics::new)));
		outbox.ifAvailable(endpoint::setOutbox);
		return endpoint;
	}

}
