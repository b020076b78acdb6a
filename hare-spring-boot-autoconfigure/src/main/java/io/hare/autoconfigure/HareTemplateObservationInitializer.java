package io.hare.autoconfigure;

import io.hare.connection.HareConnections;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;

/**
 * Turns on Micrometer Observation on the templates Hare republishes retry and dead-letter
 * copies through, so that the copy carries the trace context of the attempt that failed and
 * the retry continues the same trace.
 */
class HareTemplateObservationInitializer implements SmartInitializingSingleton {

	private final ObjectProvider<HareConnections> connections;

	private final ApplicationContext applicationContext;

	HareTemplateObservationInitializer(ObjectProvider<HareConnections> connections,
			ApplicationContext applicationContext) {
		this.connections = connections;
		this.applicationContext = applicationContext;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.connections.ifAvailable((connections) -> connections.asMap().values().forEach((connection) -> {
			// The template finds the ObservationRegistry in the context on its first send.
			connection.getTemplate().setApplicationContext(this.applicationContext);
			connection.getTemplate().setObservationEnabled(true);
		}));
	}

}
