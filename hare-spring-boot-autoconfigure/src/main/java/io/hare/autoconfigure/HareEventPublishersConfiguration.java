package io.hare.autoconfigure;

import io.hare.connection.HareConnections;
import io.hare.event.HareConnectionEventPublisher;
import io.hare.event.HareConsumerEventTranslator;
import io.hare.event.HareEventPublishingObserver;
import io.hare.listener.HareListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The publishers of Hare's application events, imported by
 * {@link HareOperationsAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class HareEventPublishersConfiguration {

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

}
