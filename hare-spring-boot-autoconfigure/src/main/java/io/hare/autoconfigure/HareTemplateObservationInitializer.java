package io.hare.autoconfigure;

import io.micrometer.observation.ObservationRegistry;

import io.hare.connection.HareConnections;
import io.hare.publish.DefaultHarePublisher;
import io.hare.publish.HarePublishers;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;

/**
 * Turns on Micrometer Observation on Hare's publishers, so that a trace starts at the publish,
 * and on the templates Hare republishes retry and dead-letter copies through, so that the copy
 * carries the trace context of the attempt that failed and the retry continues the same trace.
 */
class HareTemplateObservationInitializer implements SmartInitializingSingleton {

	private final ObjectProvider<HareConnections> connections;

	private final ObjectProvider<HarePublishers> publishers;

	private final ApplicationContext applicationContext;

	HareTemplateObservationInitializer(ObjectProvider<HareConnections> connections,
			ObjectProvider<HarePublishers> publishers, ApplicationContext applicationContext) {
		this.connections = connections;
		this.publishers = publishers;
		this.applicationContext = applicationContext;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.connections.ifAvailable(
				(connections) -> connections.asMap().values().forEach((connection) -> observe(connection.getTemplate())));
		ObservationRegistry registry = this.applicationContext.getBeanProvider(ObservationRegistry.class)
			.getIfUnique(() -> ObservationRegistry.NOOP);
		this.publishers.ifAvailable((publishers) -> publishers.getPublishers().forEach((publisher) -> {
			if (publisher instanceof DefaultHarePublisher observable) {
				observable.setObservationRegistry(registry);
			}
		}));
	}

	private void observe(RabbitTemplate template) {
		// The template finds the ObservationRegistry in the context on its first send.
		template.setApplicationContext(this.applicationContext);
		template.setObservationEnabled(true);
	}

}
