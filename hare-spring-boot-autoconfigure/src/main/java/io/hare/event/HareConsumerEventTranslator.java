package io.hare.event;

import io.hare.listener.HareListenerContainer;
import io.hare.listener.HareListenerRegistry;

import org.springframework.amqp.event.AmqpEvent;
import org.springframework.amqp.rabbit.listener.AsyncConsumerRestartedEvent;
import org.springframework.amqp.rabbit.listener.AsyncConsumerStartedEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Turns the consumer events of the Spring AMQP containers behind Hare's listeners into
 * {@link HareConsumerStartedEvent}s that name the listener.
 */
public class HareConsumerEventTranslator implements ApplicationListener<AmqpEvent> {

	private final ObjectProvider<HareListenerRegistry> registry;

	private final ApplicationEventPublisher eventPublisher;

	/**
	 * Create a translator.
	 * @param registry the listener registry, looked up on each event since the registry is
	 * created after the containers' event publisher
	 * @param eventPublisher the publisher of the translated events
	 */
	public HareConsumerEventTranslator(ObjectProvider<HareListenerRegistry> registry,
			ApplicationEventPublisher eventPublisher) {
		this.registry = registry;
		this.eventPublisher = eventPublisher;
	}

	@Override
	public void onApplicationEvent(AmqpEvent event) {
		if (event instanceof AsyncConsumerStartedEvent || event instanceof AsyncConsumerRestartedEvent) {
			HareListenerRegistry registry = this.registry.getIfAvailable();
			if (registry == null) {
				return;
			}
			for (HareListenerContainer listener : registry.getListeners()) {
				if (listener.getContainer() == event.getSource()) {
					this.eventPublisher.publishEvent(new HareConsumerStartedEvent(event.getSource(), listener.getId(),
							listener.getTopology().queue()));
					return;
				}
			}
		}
	}

}
